import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { GraderInputError } from "../errors.ts";
import { writeFileAtomically } from "../write-atomically.ts";
import { gradeReportFormats as formats } from "../report/formats.ts";
import { complete, isPractice, onTrack } from "../report/next-step.ts";
import { fitStepSummary } from "../report/markdown.ts";
import { argumentError, npmChecked, runCommand } from "./run-command.ts";
import { forTerminal } from "./terminal-text.ts";

const usage = "npm run grade -- [--submission DIR | --solutions] [--only ID[,ID…]] [--json FILE] [--timeout SECONDS] [--isolation sandbox|user|process] [--on-track]";

const help = `Grades a submission and prints a scorecard.

Usage: ${usage}

  (no options)        grade this checkout: its exercises/ and lessons/*/quiz.md
  --submission DIR    grade another checkout (only its exercises/ and quiz answers are read)
  --solutions         grade the reference solutions (and the quiz keys)
  --only ID[,ID…]     only these modules (01, 1, task-queue or 01-task-queue)
  --json FILE         also write the report as JSON
  --timeout SECONDS   time limit per module (default: course.json grading.moduleTimeoutSeconds)
  --isolation MODE    sandbox: demand the bubblewrap sandbox (exit 2 where it cannot start);
                      user: as root without the sandbox, run submission code as the
                      unprivileged user nobody, with resource limits (Gradescope);
                      process: run submission code in a process of its own, nothing more.
                      By default the sandbox; where it cannot start, another person's
                      submission with hidden suites is not graded (exit 2) unless
                      user or process is named, and every output says which ran.
  --on-track          in a student's copy (no hidden tests): exit 0 while the student is
                      on track. Modules not started are neutral; 1 only for a started
                      module's failing public test or type error, or a quiz that cannot
                      be read. The push workflow's gate.

Exit status: 0 every point earned (with --on-track: on track), 1 some points missed, 2 could not grade.`;

await runCommand(async () => {
  let values;
  try {
    ({ values } = parseArgs(npmChecked({
      options: {
        submission: { type: "string" },
        solutions: { type: "boolean" },
        only: { type: "string" },
        json: { type: "string" },
        timeout: { type: "string" },
        isolation: { type: "string" },
        "on-track": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    })));
  } catch (error) {
    throw argumentError(error, usage);
  }
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  let timeoutSeconds: number | undefined;
  if (values.timeout !== undefined) {
    timeoutSeconds = Number(values.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
      throw new GraderInputError(`--timeout: "${values.timeout}" is not a positive number of seconds`);
    }
  }
  const isolation = values.isolation;
  if (isolation !== undefined && isolation !== "sandbox" && isolation !== "user" && isolation !== "process") {
    throw new GraderInputError(`--isolation: "${isolation}" is not sandbox, user or process`);
  }
  // Check where the report goes before grading, so a typo does not waste a run.
  const jsonFile = values.json === undefined ? undefined : path.resolve(values.json);
  if (jsonFile !== undefined) {
    const folder = path.dirname(jsonFile);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new GraderInputError(`--json: folder ${path.dirname(values.json ?? "")} does not exist`);
    }
    if (existsSync(jsonFile) && statSync(jsonFile).isDirectory()) throw new GraderInputError(`--json: ${values.json} is a folder`);
  }

  // Loaded only now: a typo in the options is answered at once, without loading the grader.
  const { grade } = await import("../grade.ts");
  const report = await grade({
    submission: values.submission,
    solutions: values.solutions,
    only: values.only,
    timeoutSeconds,
    isolation,
    typecheck: true,
    skipUntouched: true,
  });
  if (jsonFile !== undefined) writeFileAtomically(jsonFile, formats.json.render(report));
  const summaryFile = process.env["GITHUB_STEP_SUMMARY"];
  if (summaryFile) appendFileSync(summaryFile, fitStepSummary(formats.markdown.render(report)));
  // In GitHub Actions, annotate the student's files, then stop the runner from
  // reading workflow commands (::error …) inside the scorecard, which quotes
  // submission text. The token is random, so nothing quoted can end the pause.
  const inActions = process.env["GITHUB_ACTIONS"] === "true";
  const token = randomBytes(16).toString("hex");
  if (inActions) {
    process.stdout.write(formats.annotations.render(report));
    process.stdout.write(`::stop-commands::${token}\n`);
  }
  process.stdout.write(forTerminal(formats.terminal.render(report)));
  if (inActions) process.stdout.write(`::${token}::\n`);
  if (values["on-track"] === true && isPractice(report)) return onTrack(report) ? 0 : 1;
  return complete(report) ? 0 : 1;
});

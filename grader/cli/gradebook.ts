import { appendFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pc from "picocolors";
import { GraderInputError } from "../errors.ts";
import { mergeGradebooks } from "../gradebook/merge.ts";
import { writeClassSimilarity } from "../gradebook/class-similarity.ts";
import { checkOutFolder, readGradebook, writeGradebook } from "../gradebook/outputs.ts";
import { keepSubmittedCode } from "../gradebook/submitted-code.ts";
import { parseInstant, parseShard } from "../gradebook/roster.ts";
import { probeSandbox } from "../pipeline/submission-process.ts";
import { gradebookFormats } from "../report/class/formats.ts";
import { fitStepSummary } from "../report/markdown.ts";
import { parseVisibility, type Visibility } from "../report/gradescope.ts";
import { printable } from "../report/text.ts";
import type { Gradebook, GradebookRow } from "../report/types.ts";
import { argumentError, npmChecked, runCommand } from "./run-command.ts";

const usage =
  "npm run gradebook -- --roster FILE.csv [--deadline ISO] [--out DIR] [--cache DIR] [--jobs N] [--shard K/N | --regrade STUDENT] [--only ID[,ID…]] [--allow-unsandboxed] [--post-status [--post-feedback]] [--hidden-visibility WHEN]  |  npm run gradebook -- merge DIR... [--out DIR] [--post-status [--post-feedback]] [--hidden-visibility WHEN]  |  npm run gradebook -- show STUDENT [--out DIR]";

const help = `Grades every student on a roster with the hidden suites, in the sandbox, and writes the class's gradebook.

Usage:
  npm run gradebook -- --roster FILE.csv [options]
  npm run gradebook -- merge DIR... [--out DIR] [--post-status [--post-feedback]]
  npm run gradebook -- show STUDENT [--out DIR]
                        one student's full report from the gradebook.json in --out: every test with its message,
                        hidden ones included (never for students), the quiz, the graded commit and its date, late days

  --roster FILE.csv     columns student and repo (a git URL, or a path relative to the roster's folder);
                        optional deadline (an extension) and commit (a full SHA, which overrides any deadline)
  --deadline ISO        grade each student's last commit on the default branch before this instant,
                        e.g. 2026-12-01T23:59:00Z (commit dates are set by whoever commits)
  --out DIR             where gradebook.csv, gradebook.json, class-report.md, feedback/, similarity.md and code/ go (default: gradebook)
  --cache DIR           fetched repositories and graded reports, kept between runs (default: .gradebook-cache)
  --jobs N              submissions graded at once (default: the number of cores, ${os.availableParallelism()} here)
  --shard K/N           grade every N-th roster row, starting at row K; merge the shards' folders afterwards
  --regrade STUDENT     grade that one row again, never from the cache, and merge it into the gradebook in --out
                        (every other row kept; give the options it was graded with)
  --only ID[,ID…]       grade only these modules
  --timeout SECONDS     time limit per module (default: course.json grading.moduleTimeoutSeconds)
  --allow-unsandboxed   grade even where the bubblewrap sandbox cannot start (submission code then runs unconfined)
  --post-status         post each graded commit's points as a commit status (context "grade"); needs GITHUB_TOKEN
  --post-feedback       with --post-status, also post the student's feedback as a commit comment
  --hidden-visibility WHEN
                        when feedback names the hidden tests a student failed: after_due_date
                        (the default: once the row's deadline has passed), after_published or
                        hidden (not until a run with visible), or visible

course.json may weight modules (a "weight" on every module: the total is the weighted average of the
module percentages, beside the raw points) and set a late policy (grading.late: penaltyPercentPerDay,
maxDaysLate: with a deadline, the last commit before the deadline plus maxDaysLate days is graded, and
each started day late by its committer date costs penaltyPercentPerDay of the total, at most 100).

Exit status: 0 every row graded, 1 some rows could not be graded, 2 bad input (nothing graded).`;

function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new GraderInputError(`--${option}: "${text}" is not a whole number of at least 1`);
  return value;
}

function rowLine(row: GradebookRow, how: string): string {
  const student = printable(row.student || `row ${row.row}`).padEnd(20);
  if (!row.report) return `  ✗ ${student} could not be graded: ${printable(row.problems.join("; "))}`;
  return `  ✓ ${student} ${`${row.report.score}/${row.report.maxScore}`.padStart(9)}   ${how}`;
}

async function post(gradebook: Gradebook, comment: boolean, token: string, cacheDir: string, hiddenVisibility: Visibility): Promise<void> {
  const { postResults } = await import("../gradebook/post-status.ts");
  const outcomes = await postResults(gradebook, {
    token,
    apiUrl: process.env["GITHUB_API_URL"] || "https://api.github.com",
    serverUrl: process.env["GITHUB_SERVER_URL"] || "https://github.com",
    comment,
    cacheDir,
    hiddenVisibility,
  });
  const posted = outcomes.filter((outcome) => outcome.posted.length > 0).length;
  const failed = outcomes.filter((outcome) => outcome.problem !== null && !outcome.problem.startsWith("not graded"));
  for (const outcome of failed) {
    const done = outcome.posted.length > 0 ? `posted ${outcome.posted.join(" and ")}; ` : "";
    process.stderr.write(`warning: ${printable(outcome.student)}: ${done}${printable(outcome.problem ?? "")}\n`);
  }
  process.stdout.write(`Posted results to ${posted} commit(s); ${failed.length} could not be posted in full (the grades stand).\n`);
}

function finish(gradebook: Gradebook, out: string, started: number, hiddenVisibility: Visibility, codeDirs: readonly string[] = [out]): number {
  writeGradebook(out, gradebook, hiddenVisibility);
  try {
    writeClassSimilarity(out, gradebook, codeDirs);
  } catch (error) {
    // A reading aid for the instructor: without it, the grades still stand.
    process.stderr.write(`warning: similarity.md not written: ${printable((error as Error).message.split("\n")[0] ?? "")}\n`);
  }
  const summaryFile = process.env["GITHUB_STEP_SUMMARY"];
  if (summaryFile) appendFileSync(summaryFile, fitStepSummary(gradebookFormats.classReport.render(gradebook)));
  const graded = gradebook.rows.filter((row) => row.report !== null).length;
  const ungraded = gradebook.rows.length - graded;
  const problems = ungraded > 0 ? `; ${ungraded} could not be (see class-report.md)` : "";
  process.stdout.write(`\n${graded} of ${gradebook.rows.length} students graded${problems}. Wrote ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
  return ungraded === 0 ? 0 : 1;
}

await runCommand(async () => {
  const started = performance.now();
  let parsed;
  try {
    parsed = parseArgs(npmChecked({
      options: {
        roster: { type: "string" },
        deadline: { type: "string" },
        out: { type: "string" },
        cache: { type: "string" },
        jobs: { type: "string" },
        shard: { type: "string" },
        only: { type: "string" },
        timeout: { type: "string" },
        "allow-unsandboxed": { type: "boolean" },
        "post-status": { type: "boolean" },
        "post-feedback": { type: "boolean" },
        "hidden-visibility": { type: "string" },
        regrade: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    throw argumentError(error, usage);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const out = path.resolve(values.out ?? "gradebook");
  const cacheDir = path.resolve(values.cache ?? ".gradebook-cache");
  checkOutFolder(out);
  if (values["post-feedback"] && !values["post-status"]) throw new GraderInputError("--post-feedback goes with --post-status");
  const hiddenVisibility = parseVisibility(values["hidden-visibility"]);
  if (typeof hiddenVisibility !== "string") throw new GraderInputError(`--hidden-visibility: ${hiddenVisibility.problem}`);
  const token = process.env["GITHUB_TOKEN"] ?? "";
  if (values["post-status"] && token === "") throw new GraderInputError("--post-status: set GITHUB_TOKEN to a token that may write commit statuses to the students' repositories");

  if (positionals[0] === "show") {
    const [, student, extra] = positionals;
    if (student === undefined || extra !== undefined) throw new GraderInputError(`show: name one student (usage: npm run gradebook -- show STUDENT [--out DIR])`);
    const graded = Object.entries(values).find(([option, value]) => value !== undefined && option !== "out");
    if (graded) throw new GraderInputError(`show: --${graded[0]} does not go with show, which only reads the gradebook in --out`);
    const { findStudentRow, renderStudentView } = await import("../gradebook/show.ts");
    const gradebook = readGradebook(out);
    process.stdout.write(`${renderStudentView(gradebook, findStudentRow(gradebook, student, path.join(out, "gradebook.json")), pc)}\n`);
    return 0;
  }
  if (positionals[0] === "merge") {
    const dirs = positionals.slice(1);
    if (dirs.length === 0) throw new GraderInputError(`merge: name the gradebook folders to merge (usage: ${usage})`);
    for (const option of ["roster", "deadline", "jobs", "shard", "only", "timeout", "regrade"] as const) {
      if (values[option] !== undefined) throw new GraderInputError(`merge: --${option} belongs to grading, not merging`);
    }
    const gradebook = mergeGradebooks(dirs.map((dir) => ({ dir, gradebook: readGradebook(dir) })));
    process.stdout.write(`Merged ${dirs.length} folder(s): ${gradebook.rows.length} roster rows.\n`);
    const status = finish(gradebook, out, started, hiddenVisibility, dirs);
    if (values["post-status"]) await post(gradebook, values["post-feedback"] === true, token, cacheDir, hiddenVisibility);
    return status;
  }
  if (positionals.length > 0) throw new GraderInputError(`unexpected argument "${positionals[0]}" (usage: ${usage})`);
  if (values.roster === undefined) throw new GraderInputError(`--roster is required (usage: ${usage})`);

  let deadline: string | null = null;
  if (values.deadline !== undefined) {
    const parsedDeadline = parseInstant(values.deadline);
    if ("problem" in parsedDeadline) throw new GraderInputError(`--deadline: ${parsedDeadline.problem}`);
    deadline = parsedDeadline.instant;
  }
  const jobs = values.jobs === undefined ? os.availableParallelism() : positiveInteger("jobs", values.jobs);
  const timeoutSeconds = values.timeout === undefined ? undefined : positiveInteger("timeout", values.timeout);
  const shard = values.shard === undefined ? null : parseShard(values.shard);
  if (shard && values.regrade !== undefined) throw new GraderInputError("--regrade grades one row of the whole gradebook; it does not go with --shard");
  // A regrade merges into the gradebook made before: it must be there.
  const previous = values.regrade === undefined ? undefined : readGradebook(out);
  // A class's submissions are untrusted code, many of them: without the sandbox, only on purpose.
  const sandbox = probeSandbox();
  if (sandbox.isolation !== "sandbox" && !values["allow-unsandboxed"]) {
    throw new GraderInputError(`${sandbox.reason}; grading a class needs the sandbox (--allow-unsandboxed grades without it)`);
  }
  if (sandbox.isolation !== "sandbox") process.stderr.write(`warning: grading without the sandbox: ${sandbox.reason}\n`);

  const shardNote = shard ? `, shard ${shard.index} of ${shard.count}` : "";
  // Loaded only now: a typo in the options is answered at once, without loading the grader.
  const { runGradebook } = await import("../gradebook/gradebook.ts");
  const gradebook = await runGradebook({
    // Only once the roster and the module list have been read: bad input prints its one line alone.
    onStart: () =>
      process.stdout.write(
        values.regrade !== undefined
          ? `Regrading ${values.regrade} from the roster ${values.roster}${deadline ? ` as of ${deadline}` : ""}, into ${out}:\n`
          : `Grading the roster ${values.roster}${deadline ? ` as of ${deadline}` : ""}${shardNote}, ${jobs} at a time:\n`,
      ),
    roster: values.roster,
    deadline,
    cacheDir,
    jobs,
    shard,
    only: values.only,
    timeoutSeconds,
    isolation: sandbox.isolation === "sandbox" ? "sandbox" : "process",
    ...(values.regrade !== undefined && previous ? { regrade: { student: values.regrade, previous, where: out } } : {}),
    onCode: (student, code) => keepSubmittedCode(out, student, code),
    onRow: (row, how) => {
      const seconds = row.report ? ` in ${(row.report.durationMs / 1000).toFixed(1)} s` : "";
      process.stdout.write(`${rowLine(row, how === "cached" ? "unchanged: from the cache" : `graded${seconds}`)}\n`);
    },
  });
  const status = finish(gradebook, out, started, hiddenVisibility);
  if (values["post-status"]) await post(gradebook, values["post-feedback"] === true, token, cacheDir, hiddenVisibility);
  return status;
});

import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { GraderInputError } from "../errors.ts";
import { listRoster, outsideTerm, parseTermDay, readSavedState, whatChanged } from "../gradebook/pushes.ts";
import { loadRoster, parseInstant } from "../gradebook/roster.ts";
import { printable } from "../report/text.ts";
import { writeFileAtomically } from "../write-atomically.ts";
import { argumentError, npmChecked, runCommand } from "./run-command.ts";

const usage =
  "npm run pushes -- --roster FILE.csv --out FILE.json [--saved FILE.json] [--course SHA] [--deadline ISO] [--setting NAME=VALUE]... [--term-start YYYY-MM-DD] [--term-end YYYY-MM-DD] [--now ISO] [--github-output FILE]";

const help = `Says whether the gradebook has anything to do: lists the newest commit of every student's
repository (git ls-remote, nothing fetched) and compares it, with the course's commit, the
roster and the settings, with what the last successful run saw.

Usage: ${usage}

  --roster FILE.csv     the roster, as npm run gradebook reads it
  --out FILE.json       where this run's state goes (keep it once the gradebook has run)
  --saved FILE.json     the state the last successful run kept (absent: grade)
  --course SHA          the course's commit (its hidden suites and grader)
  --deadline ISO        the class deadline, as given to the gradebook
  --setting NAME=VALUE  any other setting that changes what is graded or posted (repeatable)
  --term-start DAY      before this day (UTC), say nothing changed and list nothing (empty: no bound)
  --term-end DAY        after this day (UTC), likewise
  --now ISO             the time to judge the term and deadlines by (default: now)
  --github-output FILE  append changed=true or changed=false (Actions' GITHUB_OUTPUT)

Exit status: 0 (changed or not); 2 bad input.`;

/** A line for the log; in Actions, a notice on the run's summary page. */
function notice(text: string, level: "notice" | "warning" = "notice"): void {
  const line = printable(text);
  process.stdout.write(process.env["GITHUB_ACTIONS"] === "true" ? `::${level}::${line}\n` : `${line}\n`);
}

/** `npm run pushes`: whether the scheduled gradebook run has anything to grade. */
await runCommand(async () => {
  let values;
  try {
    ({ values } = parseArgs(npmChecked({
      options: {
        roster: { type: "string" },
        out: { type: "string" },
        saved: { type: "string" },
        course: { type: "string" },
        deadline: { type: "string" },
        setting: { type: "string", multiple: true },
        "term-start": { type: "string" },
        "term-end": { type: "string" },
        now: { type: "string" },
        "github-output": { type: "string" },
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
  for (const required of ["roster", "out"] as const) {
    if (values[required] === undefined) throw new GraderInputError(`--${required} is required (usage: ${usage})`);
  }
  const settings: { [name: string]: string } = {};
  for (const setting of values.setting ?? []) {
    const match = /^([\w.-]+)=(.*)$/s.exec(setting);
    if (!match) throw new GraderInputError(`--setting: "${setting}" is not NAME=VALUE`);
    settings[match[1] ?? ""] = match[2] ?? "";
  }
  const instant = (option: string, text: string | undefined): string | null => {
    if (text === undefined || text.trim() === "") return null;
    const parsed = parseInstant(text);
    if ("problem" in parsed) throw new GraderInputError(`--${option}: ${parsed.problem}`);
    return parsed.instant;
  };
  const now = new Date(instant("now", values.now) ?? Date.now());
  const deadline = instant("deadline", values.deadline);
  const term = { start: parseTermDay(values["term-start"] ?? "", "--term-start"), end: parseTermDay(values["term-end"] ?? "", "--term-end") };
  const roster = loadRoster(path.resolve(values.roster ?? ""), deadline);
  const report = (changed: boolean) => {
    if (values["github-output"] !== undefined) appendFileSync(values["github-output"], `changed=${changed}\n`);
    return 0;
  };

  const outside = outsideTerm(term, now);
  if (outside !== null) {
    notice(`Outside the term: ${outside}, so this scheduled run grades no one.`);
    return report(false);
  }

  // Read before anything is written: --out may name the same file.
  const saved = values.saved === undefined ? { state: null, reason: "no --saved state was given" } : readSavedState(path.resolve(values.saved));
  const { state, unlisted } = await listRoster(roster, { course: values.course ?? "", settings: { deadline: deadline ?? "", ...settings }, now });
  const out = path.resolve(values.out ?? "");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileAtomically(out, `${JSON.stringify(state, null, 2)}\n`);
  for (const line of unlisted) notice(`Could not list ${line}`, "warning");

  if (saved.state === null) {
    notice(`Grading: ${saved.reason}.`);
    return report(true);
  }
  const reasons = whatChanged(saved.state, state);
  if (reasons.length === 0) {
    notice(`Nothing to grade: no one pushed since the last graded run, and nothing else that decides a grade changed (${Object.keys(state.rows).length} repositories listed).`);
    return report(false);
  }
  notice(`Grading: ${reasons.join("; ")}.`);
  return report(true);
});

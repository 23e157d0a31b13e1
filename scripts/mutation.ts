// `npm run mutation`: Stryker mutates the reference solutions and runs the
// public and hidden suites against each mutant, then this prints a score per
// module and says which surviving mutants have no reason on record in
// tests/hidden/surviving-mutants.json. Stryker 10 needs Node 22 or later, so
// it runs under Node 24 (npm exec --package=node@24), whatever Node runs this.
// The HTML report is written to reports/mutation/index.html.
// Exit status: 0 when every module scores at least the threshold and every
// survivor is explained; 1 otherwise; 2 when Stryker could not run or the
// survivors file is malformed. `npm run mutation -- --report` skips the run
// and reads the last report again.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { courseRoot } from "../grader/course/manifest.ts";

const threshold = 95;
const reportFile = path.join(courseRoot, "reports", "mutation", "mutation.json");
const survivorsFile = path.join(courseRoot, "tests", "hidden", "surviving-mutants.json");

/** The parts of Stryker's mutation-testing-report-schema read here. */
interface MutationReport {
  files: Record<string, { mutants: { mutatorName: string; replacement?: string; status: string; location: { start: { line: number } } }[] }>;
}

/** A surviving mutant on record: where it is, and why no test should kill it. */
interface ExplainedSurvivor {
  file: string;
  line: number;
  mutator: string;
  replacement: string;
  /** "equivalent": it changes no behaviour; "allowed": the contract leaves the behaviour open. */
  kind: "equivalent" | "allowed";
  reason: string;
}

/** Reads the survivors on record; a malformed file stops the run (exit 2) with one line. */
function readExplained(): ExplainedSurvivor[] {
  if (!existsSync(survivorsFile)) return [];
  const where = path.relative(courseRoot, survivorsFile);
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(survivorsFile, "utf8"));
  } catch (error) {
    fail(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(entries)) fail(`${where} must hold an array of survivors`);
  entries.forEach((entry: Partial<ExplainedSurvivor>, index) => {
    const good =
      typeof entry.file === "string" &&
      Number.isInteger(entry.line) &&
      typeof entry.mutator === "string" &&
      typeof entry.replacement === "string" &&
      (entry.kind === "equivalent" || entry.kind === "allowed") &&
      typeof entry.reason === "string" &&
      entry.reason.trim() !== "";
    if (!good) fail(`${where}: entry ${index + 1} needs file, line, mutator, replacement, kind ("equivalent" or "allowed") and a reason`);
  });
  return entries as ExplainedSurvivor[];
}

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

// `--report` reads the last run's report again, e.g. after editing the survivors file.
const reportOnly = process.argv.includes("--report");
const unknownOption = process.argv.slice(2).find((argument) => argument !== "--report");
if (unknownOption !== undefined) fail(`unknown option ${unknownOption} (the only option is --report)`);
if (!reportOnly) {
  const stryker = path.join(courseRoot, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
  const run = spawnSync("npm", ["exec", "--yes", "--package=node@24", "--", "node", stryker, "run"], {
    cwd: courseRoot,
    stdio: "inherit",
    // The speed checks' budgets stretch for instrumented code.
    env: { ...process.env, SUITES: "all", EXERCISES: "solutions", MQ_SPEED_BUDGET_SCALE: "4" },
  });
  if (run.status !== 0) fail(`Stryker did not finish (exit ${run.status}); see its output above`);
}
if (!existsSync(reportFile)) fail(`there is no report at ${path.relative(courseRoot, reportFile)}: run npm run mutation first`);

const report = JSON.parse(readFileSync(reportFile, "utf8")) as MutationReport;
const explained = readExplained();
const used = new Set<ExplainedSurvivor>();
interface Row {
  mutants: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  equivalent: number;
  allowed: number;
  unexplained: string[];
}
const rows = new Map<string, Row>();
for (const [file, { mutants }] of Object.entries(report.files)) {
  const module = file.split("/")[1] ?? file;
  const row = rows.get(module) ?? { mutants: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, equivalent: 0, allowed: 0, unexplained: [] };
  for (const mutant of mutants) {
    if (["CompileError", "RuntimeError", "Ignored"].includes(mutant.status)) continue;
    row.mutants += 1;
    if (mutant.status === "Killed") row.killed += 1;
    else if (mutant.status === "Timeout") row.timeout += 1;
    else {
      if (mutant.status === "NoCoverage") row.noCoverage += 1;
      else row.survived += 1;
      const line = mutant.location.start.line;
      // One entry explains one mutant: two alike on one line need two entries.
      const entry = explained.find(
        (candidate) => !used.has(candidate) && candidate.file === file && candidate.line === line && candidate.mutator === mutant.mutatorName && candidate.replacement === (mutant.replacement ?? ""),
      );
      if (entry) {
        used.add(entry);
        row[entry.kind] += 1;
      } else row.unexplained.push(`${file}:${line} ${mutant.mutatorName} → ${JSON.stringify(mutant.replacement ?? "")}`);
    }
  }
  rows.set(module, row);
}

// An equivalent mutant is the same program, so it is left out of the score
// (the usual definition); an allowed one still counts against it.
let ok = true;
const lines = [
  "| module | mutants | killed | timeout | survived | no coverage | equivalent | allowed | unexplained | Stryker's score | score without equivalents |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
];
for (const [module, row] of [...rows].sort(([a], [b]) => (a < b ? -1 : 1))) {
  const detected = row.killed + row.timeout;
  const raw = row.mutants === 0 ? 100 : (detected / row.mutants) * 100;
  const counted = row.mutants - row.equivalent;
  const score = counted === 0 ? 100 : (detected / counted) * 100;
  if (score < threshold || row.unexplained.length > 0) ok = false;
  lines.push(
    `| ${module} | ${row.mutants} | ${row.killed} | ${row.timeout} | ${row.survived} | ${row.noCoverage} | ${row.equivalent} | ${row.allowed} | ${row.unexplained.length} | ${raw.toFixed(1)}% | ${score.toFixed(1)}% |`,
  );
}
process.stdout.write(`\nMutation score per module (goal: ${threshold}% each without equivalent mutants, every survivor explained in tests/hidden/surviving-mutants.json):\n\n${lines.join("\n")}\n`);
const unexplained = [...rows.values()].flatMap((row) => row.unexplained);
if (unexplained.length > 0) process.stdout.write(`\nSurvivors without a reason on record:\n${unexplained.map((entry) => `  ${entry}`).join("\n")}\n`);
// An entry no survivor matches has gone stale (a test now kills it, or the code moved): the file must say only what is true.
const stale = explained.filter((entry) => !used.has(entry));
if (stale.length > 0) {
  ok = false;
  process.stdout.write(`\nEntries on record that match no surviving mutant (remove or update them):\n${stale.map((entry) => `  ${entry.file}:${entry.line} ${entry.mutator} → ${JSON.stringify(entry.replacement)}`).join("\n")}\n`);
}
process.stdout.write(`\nHTML report: ${path.relative(courseRoot, path.join(path.dirname(reportFile), "index.html"))}\n`);
process.exit(ok ? 0 : 1);

// `npm run mutation`: Stryker mutates the reference solutions and runs the
// public and hidden suites against each mutant, then this prints a score per
// module and says which surviving mutants have no reason on record in
// tests/hidden/surviving-mutants.json. Stryker 10 needs Node 22 or later, so
// it runs under Node 24 (npm exec --package=node@24), whatever Node runs this.
// The HTML report is written to reports/mutation/index.html.
// Exit status: 0 when every module scores at least the threshold and every
// survivor is explained; 1 otherwise; 2 when Stryker could not run.
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

const stryker = path.join(courseRoot, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
const run = spawnSync("npm", ["exec", "--yes", "--package=node@24", "--", "node", stryker, "run"], {
  cwd: courseRoot,
  stdio: "inherit",
  // The speed checks' budgets stretch for instrumented code.
  env: { ...process.env, SUITES: "all", EXERCISES: "solutions", MQ_SPEED_BUDGET_SCALE: "4" },
});
if (run.status !== 0 || !existsSync(reportFile)) {
  process.stderr.write(`error: Stryker did not finish (exit ${run.status}); see its output above\n`);
  process.exit(2);
}

const report = JSON.parse(readFileSync(reportFile, "utf8")) as MutationReport;
const explained: ExplainedSurvivor[] = existsSync(survivorsFile) ? (JSON.parse(readFileSync(survivorsFile, "utf8")) as ExplainedSurvivor[]) : [];
const rows = new Map<string, { mutants: number; killed: number; timeout: number; survived: number; noCoverage: number; unexplained: string[] }>();
for (const [file, { mutants }] of Object.entries(report.files)) {
  const module = file.split("/")[1] ?? file;
  const row = rows.get(module) ?? { mutants: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, unexplained: [] };
  for (const mutant of mutants) {
    if (["CompileError", "RuntimeError", "Ignored"].includes(mutant.status)) continue;
    row.mutants += 1;
    if (mutant.status === "Killed") row.killed += 1;
    else if (mutant.status === "Timeout") row.timeout += 1;
    else {
      if (mutant.status === "NoCoverage") row.noCoverage += 1;
      else row.survived += 1;
      const line = mutant.location.start.line;
      const known = explained.some((entry) => entry.file === file && entry.line === line && entry.mutator === mutant.mutatorName && entry.replacement === (mutant.replacement ?? ""));
      if (!known) row.unexplained.push(`${file}:${line} ${mutant.mutatorName} → ${JSON.stringify(mutant.replacement ?? "")}`);
    }
  }
  rows.set(module, row);
}

let ok = true;
const lines = ["| module | mutants | killed | timeout | survived | no coverage | score | unexplained |", "|---|---:|---:|---:|---:|---:|---:|---:|"];
for (const [module, row] of [...rows].sort(([a], [b]) => (a < b ? -1 : 1))) {
  const score = row.mutants === 0 ? 100 : ((row.killed + row.timeout) / row.mutants) * 100;
  if (score < threshold || row.unexplained.length > 0) ok = false;
  lines.push(`| ${module} | ${row.mutants} | ${row.killed} | ${row.timeout} | ${row.survived} | ${row.noCoverage} | ${score.toFixed(1)}% | ${row.unexplained.length} |`);
}
process.stdout.write(`\nMutation score per module (goal: ${threshold}% each, every survivor explained in tests/hidden/surviving-mutants.json):\n\n${lines.join("\n")}\n`);
const unexplained = [...rows.values()].flatMap((row) => row.unexplained);
if (unexplained.length > 0) process.stdout.write(`\nSurvivors without a reason on record:\n${unexplained.map((entry) => `  ${entry}`).join("\n")}\n`);
process.stdout.write(`\nHTML report: ${path.relative(courseRoot, path.join(path.dirname(reportFile), "index.html"))}\n`);
process.exit(ok ? 0 : 1);

// `npm run public-strength`: how much the public suites alone catch, per
// module. A student whose public tests pass should lose few hidden points, so
// the public suites must fail on most wrong code. Two measures:
// - the course's own wrong fixtures (tests/fixtures/submissions/NN-wrong-*),
//   each graded with its module's public suite only, in one process;
// - Stryker's mutants of the reference solutions, run against the public
//   suites only (under Node 24, as npm run mutation), leaving out the
//   mutants on record as equivalent, which no test can catch.
// A fixture or mutant is caught when at least one public test fails on it.
// Usage: npm run public-strength [-- --fixtures-only] [--only ID[,ID…]]
// Exit status: 0 when every module's public suite catches at least 80% of
// both; 1 when one does not; 2 when the measure could not be taken.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { courseRoot, loadCourse, selectModules } from "../grader/course/manifest.ts";
import { GraderInputError } from "../grader/errors.ts";
import { grade } from "../grader/grade.ts";

const goal = 80;
// Where stryker.public.config.mjs has Stryker write its report.
const reportFile = path.join(courseRoot, "reports", "public-strength", "mutation.json");
const survivorsFile = path.join(courseRoot, "tests", "hidden", "surviving-mutants.json");

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

let options: { "fixtures-only"?: boolean; only?: string };
try {
  ({ values: options } = parseArgs({ options: { "fixtures-only": { type: "boolean" }, only: { type: "string" } } }));
} catch (error) {
  fail(`${(error as Error).message} (usage: npm run public-strength [-- --fixtures-only] [--only ID[,ID…]])`);
}
let modules: string[];
try {
  modules = selectModules(loadCourse(), options.only)
    .filter((module) => module.exerciseFiles !== null)
    .map((module) => module.id);
} catch (error) {
  fail(error instanceof GraderInputError ? error.message : String(error));
}

export interface Caught {
  caught: number;
  total: number;
  /** What the public suite let through. */
  missed: string[];
}

/** Each wrong fixture of a module, graded with the public suite alone. */
async function fixtureStrength(moduleId: string): Promise<Caught> {
  const fixturesDir = path.join(courseRoot, "tests", "fixtures", "submissions");
  const prefix = `${moduleId.slice(0, 2)}-wrong-`;
  const result: Caught = { caught: 0, total: 0, missed: [] };
  for (const name of readdirSync(fixturesDir).filter((entry) => entry.startsWith(prefix)).sort()) {
    const report = await grade({ submission: path.join(fixturesDir, name), only: moduleId, parts: ["public"], isolation: "in-process" });
    const failed = report.modules.some((module) => module.tests.some((test) => test.status !== "passed"));
    result.total += 1;
    if (failed) result.caught += 1;
    else result.missed.push(name);
  }
  return result;
}

/** The parts of Stryker's report read here. */
interface MutationReport {
  files: Record<string, { mutants: Array<{ mutatorName: string; replacement?: string; status: string; location: { start: { line: number } } }> }>;
}

/** Stryker over the reference solutions with the public suites only; mutants on record as equivalent are left out. */
function mutantStrength(): Map<string, Caught> {
  const stryker = path.join(courseRoot, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js");
  const run = spawnSync(
    "npm",
    ["exec", "--yes", "--package=node@24", "--", "node", stryker, "run", "stryker.public.config.mjs"],
    { cwd: courseRoot, stdio: "inherit", env: { ...process.env, SUITES: "public", EXERCISES: "solutions", MQ_SPEED_BUDGET_SCALE: "4" } },
  );
  if (run.status !== 0 || !existsSync(reportFile)) fail(`Stryker did not finish (exit ${run.status}); see its output above`);
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as MutationReport;
  const equivalent = existsSync(survivorsFile)
    ? (JSON.parse(readFileSync(survivorsFile, "utf8")) as Array<{ file: string; line: number; mutator: string; replacement: string; kind: string }>).filter((entry) => entry.kind === "equivalent")
    : [];
  const rows = new Map<string, Caught>();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const moduleId = file.split("/")[1] ?? file;
    const row = rows.get(moduleId) ?? { caught: 0, total: 0, missed: [] };
    for (const mutant of mutants) {
      if (["CompileError", "RuntimeError", "Ignored"].includes(mutant.status)) continue;
      const line = mutant.location.start.line;
      const isEquivalent = equivalent.some((entry) => entry.file === file && entry.line === line && entry.mutator === mutant.mutatorName && entry.replacement === (mutant.replacement ?? ""));
      if (isEquivalent) continue;
      row.total += 1;
      if (mutant.status === "Killed" || mutant.status === "Timeout") row.caught += 1;
      else row.missed.push(`${file}:${line} ${mutant.mutatorName} → ${JSON.stringify(mutant.replacement ?? "")}`);
    }
    rows.set(moduleId, row);
  }
  return rows;
}

const percent = (row: Caught | undefined) => (row && row.total > 0 ? (row.caught / row.total) * 100 : 100);
const cell = (row: Caught | undefined) => (row ? `${row.caught}/${row.total} (${percent(row).toFixed(0)}%)` : "not measured");

const fixtures = new Map<string, Caught>();
for (const moduleId of modules) fixtures.set(moduleId, await fixtureStrength(moduleId));
const mutants = options["fixtures-only"] ? null : mutantStrength();

let ok = true;
const lines = ["| module | wrong fixtures caught | mutants caught |", "|---|---:|---:|"];
for (const moduleId of modules) {
  const byMutants = mutants?.get(moduleId);
  if (percent(fixtures.get(moduleId)) < goal || (mutants && percent(byMutants) < goal)) ok = false;
  lines.push(`| ${moduleId} | ${cell(fixtures.get(moduleId))} | ${mutants ? cell(byMutants) : "not measured (--fixtures-only)"} |`);
}
process.stdout.write(`\nWhat the public suites alone catch (goal: ${goal}% of each, per module):\n\n${lines.join("\n")}\n`);
for (const moduleId of modules) {
  const missed = [...(fixtures.get(moduleId)?.missed ?? []), ...(mutants?.get(moduleId)?.missed ?? [])];
  if (missed.length > 0) process.stdout.write(`\n${moduleId}: not caught by the public suite:\n${missed.map((entry) => `  ${entry}`).join("\n")}\n`);
}
process.exit(ok ? 0 : 1);

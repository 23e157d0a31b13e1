import pc from "picocolors";
import { nextStep } from "./next-step.ts";
import { percent, printable } from "./text.ts";
import type { GradeReport, ModuleReport, TestReport } from "./types.ts";

const failuresShown = 5;

function bar(score: number, maxScore: number, width = 20): string {
  const filled = maxScore === 0 ? width : Math.round((score / maxScore) * width);
  return pc.green("█".repeat(filled)) + pc.dim("░".repeat(width - filled));
}

function countLine(module: ModuleReport, kind: TestReport["kind"], label: string): string | null {
  const tests = module.tests.filter((test) => test.kind === kind);
  if (tests.length === 0) return null;
  const passed = tests.filter((test) => test.status === "passed").length;
  const text = `${label} ${passed}/${tests.length}`;
  return passed === tests.length ? pc.green(text) : text;
}

function renderFailure(test: TestReport): string[] {
  const label = test.kind === "quiz" ? "quiz" : test.kind;
  const lines = [`    ${pc.red("✗")} ${pc.dim(`[${label}]`)} ${printable(test.name)}`];
  for (const line of printable(test.message ?? "failed").split("\n")) lines.push(`        ${line}`);
  if (test.location) lines.push(pc.dim(`        at ${test.location.file}:${test.location.line}:${test.location.column}`));
  return lines;
}

function renderModule(module: ModuleReport): string[] {
  const full = module.score === module.maxScore;
  const points = `${module.score}/${module.maxScore}`.padStart(7);
  const counts = [countLine(module, "public", "public"), countLine(module, "hidden", "hidden"), countLine(module, "quiz", "quiz")]
    .filter((part): part is string => part !== null)
    .join(pc.dim(" · "));
  const mark = full ? pc.green("✓") : pc.red("✗");
  const lines = [`${mark} ${pc.bold(module.id.padEnd(22))} ${bar(module.score, module.maxScore)} ${full ? pc.green(points) : points}   ${counts}`];
  if (module.problem) lines.push(`    ${pc.yellow("!")} ${printable(module.problem)}`);
  const failures = module.tests.filter((test) => test.status !== "passed");
  // A module-wide problem already explains every test; listing each again is noise.
  const explained = module.problem ? failures.filter((test) => test.message !== module.problem) : failures;
  for (const test of explained.slice(0, failuresShown)) lines.push(...renderFailure(test));
  if (explained.length > failuresShown) {
    lines.push(pc.dim(`    … and ${explained.length - failuresShown} more not passing (npm run grade -- --json report.json lists them all)`));
  }
  return lines;
}

/** The scorecard printed at the end of `npm run grade`. */
export function renderScorecard(report: GradeReport): string {
  const lines = [pc.bold(`${printable(report.course)}: grading ${printable(report.submission)}`), ""];
  for (const module of report.modules) lines.push(...renderModule(module));
  if (report.ignored.length > 0) {
    const shown = report.ignored.slice(0, 8).map(printable).join(", ");
    const more = report.ignored.length > 8 ? ` and ${report.ignored.length - 8} more` : "";
    lines.push("", pc.dim(`Not used for grading: ${shown}${more}`));
  }
  const total = `${report.score}/${report.maxScore} points (${percent(report.score, report.maxScore)}%)`;
  lines.push(
    "",
    `${pc.bold("Total")} ${report.score === report.maxScore ? pc.green(total) : total}   ${pc.dim(`graded in ${(report.durationMs / 1000).toFixed(1)} s`)}`,
    `${pc.bold("Next")}  ${nextStep(report)}`,
  );
  return lines.join("\n");
}

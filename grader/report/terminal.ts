import pc from "picocolors";
import type { Colors } from "picocolors/types";
import { nextStep, notGradedHere, practiceNote } from "./next-step.ts";
import { percent, printable } from "./text.ts";
import type { GradeReport, ModuleReport, TestReport } from "./types.ts";

const groupsShown = 4;

function bar(c: Colors, score: number, maxScore: number, width = 20): string {
  const filled = maxScore === 0 ? width : Math.round((score / maxScore) * width);
  return c.green("█".repeat(filled)) + c.dim("░".repeat(width - filled));
}

function countLine(c: Colors, module: ModuleReport, kind: TestReport["kind"], label: string): string | null {
  const tests = module.tests.filter((test) => test.kind === kind);
  if (tests.length === 0) return null;
  const passed = tests.filter((test) => test.status === "passed").length;
  const text = `${label} ${passed}/${tests.length}`;
  return passed === tests.length ? c.green(text) : text;
}

function renderLocation(c: Colors, test: TestReport): string[] {
  return test.location ? [c.dim(`        at ${test.location.file}:${test.location.line}:${test.location.column}`)] : [];
}

function renderMessage(message: string | null): string[] {
  return printable(message ?? "failed")
    .split("\n")
    .map((line) => `        ${line}`);
}

/**
 * Failing tests grouped by message, in the order they first fail: an
 * untouched stub fails many tests with the same TODO, which is one thing to fix.
 */
function renderFailures(c: Colors, failures: TestReport[]): string[] {
  const groups = new Map<string, TestReport[]>();
  for (const test of failures) {
    const key = `${test.kind === "quiz" ? "quiz" : "test"}\u0000${test.message ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), test]);
  }
  const lines: string[] = [];
  const shown = [...groups.values()].slice(0, groupsShown);
  for (const group of shown) {
    const [first] = group as [TestReport, ...TestReport[]];
    if (group.length === 1) {
      lines.push(`    ${c.red("✗")} ${c.dim(`[${first.kind}]`)} ${printable(first.name)}`, ...renderMessage(first.message), ...renderLocation(c, first));
    } else {
      const what = first.kind === "quiz" ? "quiz questions" : "tests";
      lines.push(`    ${c.red("✗")} ${group.length} ${what}, for example ${c.dim(`[${first.kind}]`)} ${printable(first.name)}`);
      lines.push(...renderMessage(first.message), ...renderLocation(c, first));
    }
  }
  const hidden = [...groups.values()].slice(groupsShown).reduce((sum, group) => sum + group.length, 0);
  if (hidden > 0) lines.push(c.dim(`    … and ${hidden} more not passing (npm run grade -- --json report.json lists them all)`));
  return lines;
}

function renderModule(c: Colors, module: ModuleReport): string[] {
  const full = module.score === module.maxScore;
  const points = `${module.score}/${module.maxScore}`.padStart(7);
  const counts = [countLine(c, module, "public", "public"), countLine(c, module, "hidden", "hidden"), countLine(c, module, "quiz", "quiz")]
    .filter((part): part is string => part !== null)
    .join(c.dim(" · "));
  const mark = full ? c.green("✓") : c.red("✗");
  const lines = [`${mark} ${c.bold(module.id.padEnd(22))} ${bar(c, module.score, module.maxScore)} ${full ? c.green(points) : points}   ${counts}`];
  if (module.problem) lines.push(`    ${c.yellow("!")} ${printable(module.problem)}`);
  if (module.notGraded.length > 0) lines.push(c.dim(`    ${printable(notGradedHere(module))}`));
  // A module-wide problem already explains the tests it stopped; listing each again is noise.
  const failures = module.tests.filter((test) => test.status !== "passed" && test.message !== module.problem);
  lines.push(...renderFailures(c, failures));
  return lines;
}

/** The scorecard printed at the end of `npm run grade`; colours where the terminal shows them, unless told. */
export function renderScorecard(report: GradeReport, c: Colors = pc): string {
  const lines = [c.bold(`${printable(report.course)}: grading ${printable(report.submission)}`), ""];
  const practice = practiceNote(report);
  if (practice) lines.push(c.yellow(practice), "");
  for (const module of report.modules) lines.push(...renderModule(c, module));
  if (report.ignored.length > 0) {
    const shown = report.ignored.slice(0, 8).map(printable).join(", ");
    const more = report.ignored.length > 8 ? ` and ${report.ignored.length - 8} more` : "";
    lines.push("", c.dim(`Not used for grading: ${shown}${more}`));
  }
  const total = `${report.score}/${report.maxScore} points (${percent(report.score, report.maxScore)}%)`;
  lines.push(
    "",
    `${c.bold("Total")} ${report.score === report.maxScore ? c.green(total) : total}   ${c.dim(`graded in ${(report.durationMs / 1000).toFixed(1)} s`)}`,
    `${c.bold("Next")}  ${nextStep(report)}`,
  );
  return lines.join("\n");
}

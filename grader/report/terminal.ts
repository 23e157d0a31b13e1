import pc from "picocolors";
import { nextStep, notGradedHere, practiceNote } from "./next-step.ts";
import { percent, printable } from "./text.ts";
import type { GradeReport, ModuleReport, TestReport } from "./types.ts";

const groupsShown = 4;

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

function renderLocation(test: TestReport): string[] {
  return test.location ? [pc.dim(`        at ${test.location.file}:${test.location.line}:${test.location.column}`)] : [];
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
function renderFailures(failures: TestReport[]): string[] {
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
      lines.push(`    ${pc.red("✗")} ${pc.dim(`[${first.kind}]`)} ${printable(first.name)}`, ...renderMessage(first.message), ...renderLocation(first));
    } else {
      const what = first.kind === "quiz" ? "quiz questions" : "tests";
      lines.push(`    ${pc.red("✗")} ${group.length} ${what}, for example ${pc.dim(`[${first.kind}]`)} ${printable(first.name)}`);
      lines.push(...renderMessage(first.message), ...renderLocation(first));
    }
  }
  const hidden = [...groups.values()].slice(groupsShown).reduce((sum, group) => sum + group.length, 0);
  if (hidden > 0) lines.push(pc.dim(`    … and ${hidden} more not passing (npm run grade -- --json report.json lists them all)`));
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
  if (module.notGraded.length > 0) lines.push(pc.dim(`    ${printable(notGradedHere(module))}`));
  // A module-wide problem already explains the tests it stopped; listing each again is noise.
  const failures = module.tests.filter((test) => test.status !== "passed" && test.message !== module.problem);
  lines.push(...renderFailures(failures));
  return lines;
}

/** The scorecard printed at the end of `npm run grade`. */
export function renderScorecard(report: GradeReport): string {
  const lines = [pc.bold(`${printable(report.course)}: grading ${printable(report.submission)}`), ""];
  const practice = practiceNote(report);
  if (practice) lines.push(pc.yellow(practice), "");
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

import pc from "picocolors";
import type { Colors } from "picocolors/types";
import { answeredCount, exerciseStarted, isPractice, nextStep, notGradedHere, onTrack, practiceNote, publicCount, quizProblems } from "./next-step.ts";
import { isolationWarning, percent, printable, ruleNote } from "./text.ts";
import type { GradeReport, ModuleReport, TestReport } from "./types.ts";

const causesShown = 5;

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

export function renderLocation(c: Colors, test: TestReport): string[] {
  const code = test.location ? [c.dim(`        at ${test.location.file}:${test.location.line}:${test.location.column}`)] : [];
  // Only failing public tests carry where they are: a hidden test's file does not ship.
  return test.testLocation ? [...code, c.dim(`        test: ${test.testLocation.file}:${test.testLocation.line}`)] : code;
}

export function renderMessage(message: string | null): string[] {
  return printable(message ?? "failed")
    .split("\n")
    .map((line) => `        ${line}`);
}

/** A speed check that ran out of budget: its message is the budget's ("… is too slow: …"). */
function isSpeedFailure(test: TestReport): boolean {
  return test.kind !== "quiz" && / is too slow: /.test(test.message ?? "");
}

/** A speed failure in one line: what was slow and how long it would take, without the advice every speed message repeats. */
function speedSummary(message: string | null): string {
  const text = printable(message ?? "too slow").split("\n")[0] ?? "";
  return text.replace(/\. Each operation should take [^]*$/, "");
}

/**
 * Failing tests grouped by cause, with how many tests each cause fails. A
 * cause is a message (an untouched stub fails many tests with the same TODO,
 * which is one thing to fix); the most widespread comes first, since one fix
 * clears the most. Speed checks are one group at the end, one line each, so an
 * O(n) queue shows all its slow operations however many other tests fail.
 */
function renderFailures(c: Colors, failures: TestReport[]): string[] {
  const speed = failures.filter(isSpeedFailure);
  const groups = new Map<string, TestReport[]>();
  for (const test of failures.filter((failure) => !isSpeedFailure(failure))) {
    const key = `${test.kind === "quiz" ? "quiz" : "test"}\u0000${test.message ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), test]);
  }
  // A stable sort: causes failing as many tests keep the order they first failed in.
  const causes = [...groups.values()].sort((a, b) => b.length - a.length);
  const shownCauses = causes.slice(0, speed.length > 0 ? causesShown - 1 : causesShown);
  const lines: string[] = [];
  for (const group of shownCauses) {
    const [first] = group as [TestReport, ...TestReport[]];
    if (group.length === 1) {
      const rule = ruleNote(first.rules);
      lines.push(`    ${c.red("✗")} ${c.dim(`[${first.kind}]`)} ${printable(first.name)}${rule ? c.dim(` · ${rule}`) : ""}`, ...renderMessage(first.message), ...renderLocation(c, first));
    } else {
      const what = first.kind === "quiz" ? "quiz questions" : "tests";
      lines.push(`    ${c.red("✗")} ${group.length} ${what} fail for one reason, for example ${c.dim(`[${first.kind}]`)} ${printable(first.name)}`);
      lines.push(...renderMessage(first.message), ...renderLocation(c, first));
    }
  }
  if (speed.length > 0) {
    lines.push(`    ${c.red("✗")} ${speed.length === 1 ? "1 speed check is" : `${speed.length} speed checks are`} too slow:`);
    for (const test of speed) {
      const rule = ruleNote(test.rules);
      lines.push(`      ${c.dim(`[${test.kind}]`)} ${printable(test.name)}${rule ? c.dim(` · ${rule}`) : ""}`, `          ${speedSummary(test.message)}`);
    }
  }
  const hidden = causes.slice(shownCauses.length).reduce((sum, group) => sum + group.length, 0);
  const hiddenCauses = causes.length - shownCauses.length;
  if (hidden > 0) {
    lines.push(c.dim(`    … and ${hidden} more not passing, for ${hiddenCauses} other reason${hiddenCauses === 1 ? "" : "s"} (npm run grade -- --json report.json lists them all)`));
  }
  return lines;
}

/** A module's line of the scorecard (mark, bar, points, counts), and the problems that concern all of it. */
export function renderModuleHeading(c: Colors, module: ModuleReport): string[] {
  const full = module.score === module.maxScore;
  const points = `${module.score}/${module.maxScore}`.padStart(7);
  const counts = [countLine(c, module, "public", "public"), countLine(c, module, "hidden", "hidden"), countLine(c, module, "quiz", "quiz")]
    .filter((part): part is string => part !== null)
    .join(c.dim(" · "));
  const mark = full ? c.green("✓") : c.red("✗");
  const lines = [`${mark} ${c.bold(module.id.padEnd(22))} ${bar(c, module.score, module.maxScore)} ${full ? c.green(points) : points}   ${counts}`];
  if (module.problem) lines.push(`    ${c.yellow("!")} ${printable(module.problem)}`);
  if (module.notGraded.length > 0) lines.push(c.dim(`    ${printable(notGradedHere(module))}`));
  return lines;
}

/** A practice run's module line: what this copy checks (public tests, types, quiz format and how much is answered), never points. */
function renderPracticeHeading(c: Colors, module: ModuleReport): string[] {
  const started = exerciseStarted(module);
  const publicTests = module.tests.filter((test) => test.kind === "public");
  const passed = publicTests.filter((test) => test.status === "passed").length;
  const typeErrors = module.typeErrors ?? [];
  const quiz = module.quizProgress;
  const quizBroken = quizProblems(module).length > 0;
  const quizText = quiz ? (quizBroken ? "quiz cannot be read" : `quiz ${quiz.answered}/${quiz.questions} answered`) : null;
  const parts: string[] = [];
  if (publicTests.length > 0) {
    const text = `public tests ${passed}/${publicTests.length}`;
    parts.push(started || passed > 0 ? (passed === publicTests.length ? c.green(text) : text) : `not started (${text})`);
  }
  if (typeErrors.length > 0) parts.push(c.red(`${typeErrors.length} type error${typeErrors.length === 1 ? "" : "s"}`));
  if (quizText) parts.push(quizBroken ? c.red(quizText) : quiz?.answered === quiz?.questions ? c.green(quizText) : quizText);
  const failing = quizBroken || (started && (module.problem !== null || typeErrors.length > 0 || passed < publicTests.length));
  const done = !failing && passed === publicTests.length && quiz !== null && quiz.answered === quiz.questions;
  const mark = failing ? c.red("✗") : done ? c.green("✓") : !started && (quiz?.answered ?? 0) === 0 && passed === 0 ? c.dim("·") : c.yellow("◐");
  const lines = [`${mark} ${c.bold(module.id.padEnd(22))} ${parts.join(c.dim(" · "))}`];
  // A file that does not parse stops its tests from loading: its syntax error, listed below, says where.
  if (started && module.problem && (module.typeErrors ?? []).length === 0) lines.push(`    ${c.yellow("!")} ${printable(module.problem)}`);
  return lines;
}

function renderPracticeModule(c: Colors, module: ModuleReport): string[] {
  const lines = renderPracticeHeading(c, module);
  for (const problem of quizProblems(module)) lines.push(`    ${c.red("✗")} ${printable(problem)}`);
  // A module still as its stub is one line: every test fails with its TODO, which says nothing yet.
  if (!exerciseStarted(module)) return lines;
  for (const error of module.typeErrors ?? []) lines.push(`    ${c.red("✗")} ${error.file}:${error.line}:${error.column} ${printable(error.message)}`);
  const failures = module.tests.filter((test) => test.status !== "passed" && test.message !== module.problem);
  lines.push(...renderFailures(c, failures));
  return lines;
}

function renderModule(c: Colors, module: ModuleReport): string[] {
  const lines = renderModuleHeading(c, module);
  // A module-wide problem already explains the tests it stopped; listing each again is noise.
  const failures = module.tests.filter((test) => test.status !== "passed" && test.message !== module.problem);
  lines.push(...renderFailures(c, failures));
  return lines;
}

/** The scorecard printed at the end of `npm run grade`; colours where the terminal shows them, unless told. */
export function renderScorecard(report: GradeReport, c: Colors = pc): string {
  const lines = [c.bold(`${printable(report.course)}: ${isPractice(report) ? "practice run of" : "grading"} ${printable(report.submission)}`), ""];
  const note = practiceNote(report);
  if (note) lines.push(c.yellow(note), "");
  const isolation = isolationWarning(report);
  if (isolation) lines.push(c.yellow(`! ${printable(isolation)}`), "");
  const practice = isPractice(report);
  for (const module of report.modules) lines.push(...(practice ? renderPracticeModule(c, module) : renderModule(c, module)));
  if (report.ignored.length > 0) {
    const shown = report.ignored.slice(0, 8).map(printable).join(", ");
    const more = report.ignoredCount > 8 ? ` and ${(report.ignoredCount - 8).toLocaleString("en-US")} more` : "";
    lines.push("", c.dim(`Not used for grading: ${shown}${more}`));
  }
  if (practice) {
    const tests = publicCount(report.modules);
    const quizzes = answeredCount(report.modules);
    const verdict = onTrack(report) ? c.green("on track") : c.red("something to fix");
    lines.push(
      "",
      `${c.bold("Public tests")} ${tests.passed}/${tests.total} · ${c.bold("quizzes")} ${quizzes.answered}/${quizzes.questions} questions answered · ${verdict}   ${c.dim(`checked in ${(report.durationMs / 1000).toFixed(1)} s`)}`,
      `${c.bold("Hidden tests and quiz answers")} graded by your instructor, not here`,
      `${c.bold("Next")}  ${nextStep(report)}`,
    );
    return lines.join("\n");
  }
  const total = `${report.score}/${report.maxScore} points (${percent(report.score, report.maxScore)}%)`;
  lines.push(
    "",
    `${c.bold("Total")} ${report.score === report.maxScore ? c.green(total) : total}   ${c.dim(`graded in ${(report.durationMs / 1000).toFixed(1)} s`)}`,
    `${c.bold("Next")}  ${nextStep(report)}`,
  );
  return lines.join("\n");
}

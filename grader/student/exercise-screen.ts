import pc from "picocolors";
import { moduleNumber, type CourseModule } from "../course/manifest.ts";
import { printable, ruleNote } from "../report/text.ts";
import type { ModuleReport, TestReport } from "../report/types.ts";
import type { MissingExport, SyntaxProblem } from "./typecheck.ts";

export interface ExerciseRun {
  module: CourseModule;
  report: ModuleReport;
  typeProblems: string[];
  syntax: SyntaxProblem | null;
  missingExports: MissingExport[];
  /** How much of the module's quiz is answered in the student's quiz.md. */
  quiz: { answered: number; questions: number };
  finishedAt: Date;
  nextModule: CourseModule | undefined;
}

/**
 * Whether the public tests pass. Type errors do not count against it, as they
 * cost no points when grading (which runs the code and does not typecheck
 * it); the screen still shows them beside the result.
 */
export function publicTestsPass(run: Pick<ExerciseRun, "report">): boolean {
  return run.report.tests.every((test) => test.status === "passed");
}

const shownFailures = 3;

/** A speed or memory check, by the rules it names ("speed", "memory", "sim-speed"). */
export function isPerformanceCheck(test: Pick<TestReport, "rules">): boolean {
  return test.rules.some((rule) => /(?:^|-)(?:speed|memory)$/.test(rule));
}

/**
 * The failures the screen lists: the first few, and any speed or memory check
 * that fails for a reason of its own, wherever it comes, since it is easy to
 * miss and its fix is a different design. One failing for a reason other
 * tests share (a stub's TODO, a test kept from running) adds nothing.
 */
export function failuresToShow(failing: TestReport[]): TestReport[] {
  const sharing = (test: TestReport) => failing.filter((other) => other.message === test.message).length;
  return failing.filter((test, index) => index < shownFailures || (isPerformanceCheck(test) && sharing(test) === 1));
}

/** A failing test: its name and rules, why it failed, where in the student's code and in the suite, and for a speed or memory check the experiment that shows it. */
function renderFailure(run: ExerciseRun, test: TestReport): string[] {
  const rules = ruleNote(test.rules);
  const lines = [`  ${pc.red("✗")} ${printable(test.name)}${rules ? pc.dim(` · ${rules}`) : ""}`];
  if (test.message && test.message !== run.report.problem) {
    for (const line of printable(test.message).split("\n")) lines.push(`      ${line}`);
  }
  if (test.location) lines.push(pc.dim(`      at ${test.location.file}:${test.location.line}:${test.location.column}`));
  if (test.testLocation) lines.push(pc.dim(`      test: ${test.testLocation.file}:${test.testLocation.line}`));
  if (isPerformanceCheck(test)) {
    for (const experiment of run.module.experiments) lines.push(`      See it for yourself: npm run experiment -- ${experiment}`);
  }
  return lines;
}

/** What the watcher shows after each run. */
export function renderExerciseRun(run: ExerciseRun, options: { interactive: boolean }): string {
  const { module, report } = run;
  const files = (module.exerciseFiles ?? []).map((file) => `exercises/${module.id}/${file}`).join(" and ");
  const passed = report.tests.filter((test) => test.status === "passed");
  const failing = report.tests.filter((test) => test.status !== "passed");
  const time = run.finishedAt.toTimeString().slice(0, 8);
  const lines = [pc.bold(`Module ${module.id}: ${module.title}`) + pc.dim(`   checked at ${time}`), pc.dim(`Edit ${files}; every save runs the public tests again.`), ""];

  const count = `${passed.length}/${report.tests.length} passing`;
  lines.push(`${pc.bold("Public tests")}  ${failing.length === 0 ? pc.green(count) : pc.red(count)}`);
  if (report.problem) lines.push(`  ${pc.yellow("!")} ${printable(report.problem)}`);
  for (const test of passed) lines.push(`  ${pc.green("✓")} ${printable(test.name)}`);
  const shown = failuresToShow(failing);
  for (const test of shown) lines.push(...renderFailure(run, test));
  if (failing.length > shown.length) lines.push(pc.dim(`  … and ${failing.length - shown.length} more failing`));

  lines.push("");
  if (run.typeProblems.length === 0) lines.push(`${pc.bold("Types")}         ${pc.green("no type errors")}`);
  else {
    lines.push(`${pc.bold("Types")}         ${pc.red(`${run.typeProblems.length} type error${run.typeProblems.length === 1 ? "" : "s"}`)}`);
    for (const problem of run.typeProblems.slice(0, 5)) lines.push(`  ${printable(problem)}`);
  }

  lines.push("");
  const number = moduleNumber(module);
  if (publicTestsPass(run)) {
    lines.push(pc.green(pc.bold("Public tests pass. Hidden tests: graded by your instructor, not here.")));
    if (run.typeProblems.length > 0) lines.push(pc.yellow("The type errors above cost no points, but fix them: they often point at a real bug."));
    lines.push("Push your work: your instructor's grader runs the hidden tests on what you push (npm run progress says when).");
    const { answered, questions } = run.quiz;
    lines.push(questions > 0 && answered === questions ? `Quiz answered (${answered}/${questions}); your instructor's grader checks the answers.` : `Answer the quiz: npm run quiz ${number} (${answered}/${questions} answered)`);
    if (run.nextModule) lines.push(`Then move on: npm run exercise ${moduleNumber(run.nextModule)}${options.interactive ? " (or press n)" : ""}`);
  } else if (run.syntax) {
    // Until the file parses, no test says anything about the code: the syntax error is the one thing to do.
    lines.push(`${pc.bold("Next")}  fix the syntax error at line ${run.syntax.line} of ${run.syntax.file} (column ${run.syntax.column}: ${printable(run.syntax.message)}), then save.`);
  } else if (run.missingExports.length > 0) {
    const [{ file, name }] = run.missingExports as [MissingExport, ...MissingExport[]];
    lines.push(`${pc.bold("Next")}  ${file} does not export ${name} any more, and the tests import it by that name: export ${name} under that name again, then save.`);
  } else {
    lines.push(`${pc.bold("Next")}  make "${printable(failing[0]?.name ?? "")}" pass, then save.`);
  }
  if (options.interactive) lines.push("", pc.dim("h hint · n next module · r run again · q quit"));
  return lines.join("\n");
}

import pc from "picocolors";
import { moduleNumber, type CourseModule } from "../course/manifest.ts";
import { printable } from "../report/text.ts";
import type { ModuleReport } from "../report/types.ts";

export interface ExerciseRun {
  module: CourseModule;
  report: ModuleReport;
  typeProblems: string[];
  finishedAt: Date;
  nextModule: CourseModule | undefined;
}

/** Whether a run counts as done for the student's loop: public tests pass and the file typechecks. */
export function publicTestsPass(run: Pick<ExerciseRun, "report" | "typeProblems">): boolean {
  return run.report.tests.every((test) => test.status === "passed") && run.typeProblems.length === 0;
}

const shownFailures = 3;

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
  for (const test of failing.slice(0, shownFailures)) {
    lines.push(`  ${pc.red("✗")} ${printable(test.name)}`);
    if (test.message && test.message !== report.problem) {
      for (const line of printable(test.message).split("\n")) lines.push(`      ${line}`);
    }
    if (test.location) lines.push(pc.dim(`      at ${test.location.file}:${test.location.line}:${test.location.column}`));
  }
  if (failing.length > shownFailures) lines.push(pc.dim(`  … and ${failing.length - shownFailures} more failing`));

  lines.push("");
  if (run.typeProblems.length === 0) lines.push(`${pc.bold("Types")}         ${pc.green("no type errors")}`);
  else {
    lines.push(`${pc.bold("Types")}         ${pc.red(`${run.typeProblems.length} type error${run.typeProblems.length === 1 ? "" : "s"}`)}`);
    for (const problem of run.typeProblems.slice(0, 5)) lines.push(`  ${printable(problem)}`);
  }

  lines.push("");
  const number = moduleNumber(module);
  if (publicTestsPass(run)) {
    lines.push(pc.green(pc.bold("Public tests pass; hidden tests decide the grade.")));
    lines.push(`Check your grade: npm run grade -- --only ${number}`);
    lines.push(`Answer the quiz: npm run quiz ${number}`);
    if (run.nextModule) lines.push(`Then move on: npm run exercise ${moduleNumber(run.nextModule)}${options.interactive ? " (or press n)" : ""}`);
  } else if (failing.length > 0) {
    lines.push(`${pc.bold("Next")}  make "${printable(failing[0]?.name ?? "")}" pass, then save.`);
  } else {
    lines.push(`${pc.bold("Next")}  fix the type errors above, then save.`);
  }
  if (options.interactive) lines.push("", pc.dim("h hint · n next module · r run again · q quit"));
  return lines.join("\n");
}

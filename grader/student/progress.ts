import path from "node:path";
import pc from "picocolors";
import { describeHiddenResults } from "../course/hidden-results.ts";
import { moduleNumber, type Course, type CourseModule, type HiddenResults } from "../course/manifest.ts";
import { quizProgress, readQuizAnswers } from "../pipeline/plan.ts";
import { readSubmissionFile } from "../pipeline/submission-read.ts";
import type { GradeReport, ModuleReport } from "../report/types.ts";

export type ExerciseState = "no exercise" | "not started" | "in progress" | "public tests passing";

export interface ModuleProgress {
  module: CourseModule;
  exercise: ExerciseState;
  publicPassed: number;
  publicTotal: number;
  quizAnswered: number;
  quizTotal: number;
  /** A question of the quiz that cannot be read as written ("file:line: what to fix"). */
  quizProblem: string | null;
  /** Public tests pass and every question is answered; hidden tests may still fail, so this is not a grade. */
  done: boolean;
}

/** As grading reads sources: a larger file is no stub. */
const sourceSizeLimit = 1024 * 1024;

/** A module is not started while no public test passes and its files still throw the stub's TODO errors. */
function exerciseState(course: Course, module: CourseModule, report: ModuleReport | undefined): ExerciseState {
  if (!report) return "no exercise";
  if (report.tests.every((test) => test.status === "passed")) return "public tests passing";
  const sources = (module.exerciseFiles ?? []).map((file) => {
    const read = readSubmissionFile(course.root, path.join(course.root, "exercises", module.id, file), sourceSizeLimit);
    return read.ok ? read.bytes.toString("utf8") : "";
  });
  const untouched = sources.some((source) => /throw new Error\(\s*["'`]TODO/.test(source));
  return untouched && report.tests.every((test) => test.status !== "passed") ? "not started" : "in progress";
}

/** Where a student is, read from their work: public test results and ticked quiz boxes. */
export function measureProgress(course: Course, publicRun: GradeReport): ModuleProgress[] {
  return course.modules.map((module) => {
    const report = module.exerciseFiles ? publicRun.modules.find((m) => m.id === module.id) : undefined;
    const answers = readQuizAnswers(course.root, module);
    const quiz = answers ? quizProgress(answers) : { answered: 0, questions: 0, problem: null };
    const exercise = exerciseState(course, module, report);
    return {
      module,
      exercise,
      publicPassed: report?.tests.filter((test) => test.status === "passed").length ?? 0,
      publicTotal: report?.tests.length ?? 0,
      quizAnswered: quiz.answered,
      quizTotal: quiz.questions,
      quizProblem: quiz.problem,
      done: (exercise === "no exercise" || exercise === "public tests passing") && quiz.questions > 0 && quiz.answered === quiz.questions && quiz.problem === null,
    };
  });
}

function nextStep(progress: ModuleProgress[]): string {
  const next = progress.find((entry) => !entry.done);
  if (!next) return "Every exercise passes its public tests and every quiz is answered. Push your work: the hidden tests and your answers are graded by your instructor's grader (below).";
  const number = moduleNumber(next.module);
  const broken = progress.find((entry) => entry.quizProblem !== null);
  if (broken?.quizProblem) return `mend the quiz of ${broken.module.id}: ${broken.quizProblem}`;
  if (next.exercise === "not started" || next.exercise === "in progress") return `npm run exercise ${number}`;
  if (next.exercise === "no exercise" && next.quizAnswered === 0) return `read ${next.module.lesson}, then npm run quiz ${number}`;
  return `npm run quiz ${number}`;
}

/** `hiddenResults`: course.json's word on when and where the instructor's grader shows what this copy cannot check. */
export function renderProgress(progress: ModuleProgress[], hiddenResults: HiddenResults): string {
  const done = progress.filter((entry) => entry.done).length;
  const width = 28;
  const filled = Math.round((done / progress.length) * width);
  const lines = [
    `${pc.bold("Progress")}  ${pc.green("█".repeat(filled))}${pc.dim("░".repeat(width - filled))}  ${done} of ${progress.length} modules with public tests passing and the quiz answered`,
    "",
  ];
  for (const entry of progress) {
    const untouched = (entry.exercise === "not started" || entry.exercise === "no exercise") && entry.quizAnswered === 0;
    const mark = entry.done ? pc.green("✓") : untouched ? pc.dim("·") : pc.yellow("◐");
    const passing = entry.exercise === "public tests passing";
    const exercise =
      entry.exercise === "no exercise"
        ? "lesson and quiz"
        : passing
          ? `public tests pass (${entry.publicPassed}/${entry.publicTotal})`
          : entry.exercise === "not started"
            ? "not started"
            : `in progress (public tests ${entry.publicPassed}/${entry.publicTotal})`;
    const answered = entry.quizTotal > 0 && entry.quizAnswered === entry.quizTotal;
    const quiz = answered ? "quiz answered" : `quiz ${entry.quizAnswered}/${entry.quizTotal} answered`;
    // Pad before colouring: escape codes would count towards the width.
    const exerciseColumn = exercise.padEnd(40);
    lines.push(`  ${mark} ${entry.module.id.padEnd(24)} ${passing ? pc.green(exerciseColumn) : exerciseColumn} ${answered ? pc.green(quiz) : quiz}`);
    if (entry.quizProblem) lines.push(pc.yellow(`      ${entry.quizProblem}`));
  }
  lines.push(
    "",
    `${pc.bold("Next")}  ${nextStep(progress)}`,
    "",
    `${pc.bold("Your grade")}  Public tests and answered quizzes show progress, not the grade: the hidden tests and whether your answers are right decide it. ${describeHiddenResults(hiddenResults)}`,
  );
  return lines.join("\n");
}

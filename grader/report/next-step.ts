import { describeHiddenResults } from "../course/hidden-results.ts";
import { moduleNumber } from "../course/manifest.ts";
import type { GradeReport, ModuleReport } from "./types.ts";

const quizProblem = (module: ModuleReport) => module.quizProgress?.problem ?? null;

/** Every format problem of a module's quiz, each with its line; empty when it reads. */
export function quizProblems(module: ModuleReport): string[] {
  const progress = module.quizProgress;
  if (!progress) return [];
  return progress.problems ?? (progress.problem === null ? [] : [progress.problem]);
}

/** A student's practice run: this copy of the course has no hidden suites, so it checks the public tests and the quizzes' format only. */
export function isPractice(report: GradeReport): boolean {
  return report.modules.some((module) => module.notGraded.includes("hidden tests"));
}

/** The student has changed the module's exercise files, so its public tests and types speak about their work. */
export function exerciseStarted(module: ModuleReport): boolean {
  return !module.untouched && module.tests.some((test) => test.kind !== "quiz");
}

/** A started module's public tests, types and load all pass (or it has no exercise, or is not started). */
function exerciseOnTrack(module: ModuleReport): boolean {
  if (!exerciseStarted(module)) return true;
  return module.problem === null && (module.typeErrors ?? []).length === 0 && module.tests.every((test) => test.kind === "quiz" || test.status === "passed");
}

/**
 * A practice run's verdict: modules not started are neutral; it fails only
 * for a started module's failing public test, syntax or type error, and for a
 * quiz that cannot be read. The push workflow's gate (`--on-track`).
 */
export function onTrack(report: GradeReport): boolean {
  return report.modules.every((module) => quizProblems(module).length === 0 && exerciseOnTrack(module));
}

/** Public tests passing, of all public tests in the run. */
export function publicCount(modules: ModuleReport[]): { passed: number; total: number } {
  const tests = modules.flatMap((module) => module.tests.filter((test) => test.kind === "public"));
  return { passed: tests.filter((test) => test.status === "passed").length, total: tests.length };
}

/** Quiz questions answered, of all questions, where this copy cannot check the answers. */
export function answeredCount(modules: ModuleReport[]): { answered: number; questions: number } {
  return modules.reduce(
    (sum, module) => ({ answered: sum.answered + (module.quizProgress?.answered ?? 0), questions: sum.questions + (module.quizProgress?.questions ?? 0) }),
    { answered: 0, questions: 0 },
  );
}

/** The next step of a practice run: mend a quiz, then fix a started module, then start or finish the first unfinished one. */
function practiceNextStep(report: GradeReport): string {
  const broken = report.modules.find((module) => quizProblems(module).length > 0);
  if (broken) return `Mend the quiz of ${broken.id}: ${quizProblems(broken)[0]}`;
  const failing = report.modules.find((module) => !exerciseOnTrack(module));
  if (failing) {
    const number = moduleNumber(failing);
    const [typeError] = failing.typeErrors ?? [];
    const testsFail = failing.tests.some((test) => test.kind === "public" && test.status !== "passed");
    if (typeError && (!testsFail || failing.problem !== null)) {
      return `Fix ${typeError.file}:${typeError.line}:${typeError.column}: ${typeError.message.replace(/\.$/, "")}. Then run: npm run exercise ${number}`;
    }
    if (failing.problem) return `Fix module ${failing.id} first: ${failing.problem}. Then run: npm run exercise ${number}`;
    return `Make the public tests of ${failing.id} pass: npm run exercise ${number}`;
  }
  const unfinished = report.modules.find((module) => module.tests.some((test) => test.kind === "public" && test.status !== "passed") || quizOpen(module));
  if (unfinished) {
    const number = moduleNumber(unfinished);
    if (unfinished.tests.some((test) => test.kind === "public" && test.status !== "passed")) {
      return `Start ${unfinished.id}: read its lesson, then npm run exercise ${number}`;
    }
    return `Answer the quiz of ${unfinished.id}: npm run quiz ${number} (or tick boxes in lessons/${unfinished.id}/quiz.md)`;
  }
  const graded = report.modules.map((module) => module.id).join(", ");
  const scope = report.leftOut.length > 0 ? `Every public test of ${graded} passes and its quiz is answered (this run checked only these; npm run grade checks all ${report.modules.length + report.leftOut.length} modules).` : "Every public test passes and every quiz is answered.";
  return `${scope} Push your work: your instructor's grader runs the hidden tests and checks the answers.`;
}
const quizOpen = (module: ModuleReport) =>
  module.quizProgress !== null && (quizProblem(module) !== null || module.quizProgress.answered < module.quizProgress.questions);

/**
 * A module the student has not started: its exercise files are still the
 * stubs (or it has none), nothing passes, and no quiz question is answered.
 * Summaries fold such modules to one line and annotate them last.
 */
export function notStarted(module: ModuleReport): boolean {
  if (module.tests.length === 0 || module.tests.some((test) => test.status === "passed")) return false;
  if (module.quizProgress !== null && (module.quizProgress.answered > 0 || module.quizProgress.problem !== null)) return false;
  const code = module.tests.filter((test) => test.kind !== "quiz");
  const quiz = module.tests.filter((test) => test.kind === "quiz");
  return (code.length === 0 || module.untouched) && quiz.every((test) => (test.message ?? "").startsWith("not answered yet"));
}

/** Whether a run is green: every point earned, and (in a student's copy) every quiz still readable. */
export function complete(report: GradeReport): boolean {
  return report.modules.every((module) => module.score === module.maxScore && quizProblem(module) === null);
}

/** One sentence telling the student what to do next, from the first module still missing points. */
export function nextStep(report: GradeReport): string {
  if (isPractice(report)) return practiceNextStep(report);
  // A quiz that can no longer be read is what turns a student's run red: mend it first.
  const broken = report.modules.find((m) => quizProblem(m) !== null);
  if (broken) return `Mend the quiz of ${broken.id}: ${quizProblem(broken)}`;
  const module = report.modules.find((m) => m.score < m.maxScore || quizOpen(m));
  if (!module) {
    const graded = report.modules.map((m) => m.id).join(", ");
    // With --only, "every point" covers the modules graded, not the course.
    const scope = report.leftOut.length > 0 ? ` This run graded only ${graded}; npm run grade grades all ${report.modules.length + report.leftOut.length} modules.` : "";
    return report.leftOut.length > 0 ? `Every point of ${graded} earned.${scope}` : "Every point earned. Well done!";
  }
  const failing = (kind: string) => module.tests.filter((t) => t.kind === kind && t.status !== "passed").length;
  const number = moduleNumber(module);
  if (module.problem && failing("public") + failing("hidden") > 0) {
    return `Fix module ${module.id} first: ${module.problem}. Then run: npm run exercise ${number}`;
  }
  if (failing("public") > 0) {
    return `Make the public tests of ${module.id} pass: npm run exercise ${number}`;
  }
  if (failing("hidden") > 0) {
    return `The public tests of ${module.id} pass, but ${failing("hidden")} hidden test(s) fail: read their messages above, then ask for a hint with npm run hint ${number}`;
  }
  // An answered question that is wrong: name it, so the student knows which one to reread.
  const wrong = module.tests.find((t) => t.kind === "quiz" && t.status !== "passed" && (t.message ?? "").startsWith("not right yet"));
  if (wrong) {
    const title = wrong.name.length > 70 ? `${wrong.name.slice(0, 67)}…` : wrong.name;
    return `Question "${title}" of the quiz of ${module.id} is not right yet: reread the lesson, then npm run quiz ${number}`;
  }
  return `Answer the quiz of ${module.id}: npm run quiz ${number} (or tick boxes in lessons/${module.id}/quiz.md)`;
}

/** What this copy of the course leaves to the instructor's grader, in the words every student command uses. */
export function notGradedHere(module: Pick<ModuleReport, "notGraded">): string {
  const parts = module.notGraded;
  const list = parts.length < 2 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
  return `${list.charAt(0).toUpperCase()}${list.slice(1)}: graded by your instructor, not here`;
}

/** Said once at the top of a practice run: what it checks, and who checks the rest, when and where. */
export function practiceNote(report: GradeReport): string | null {
  if (!isPractice(report)) return null;
  const when = report.hiddenResults ? ` ${describeHiddenResults(report.hiddenResults)}` : " Your instructor's grader runs the hidden tests and checks your quiz answers.";
  return `Practice run: it checks the public tests, your code's types and the format of your quizzes, not the hidden tests or whether your answers are right.${when}`;
}

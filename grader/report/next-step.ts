import { moduleNumber } from "../course/manifest.ts";
import type { GradeReport, ModuleReport } from "./types.ts";

const quizProblem = (module: ModuleReport) => module.quizProgress?.problem ?? null;
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
  // A quiz that can no longer be read is what turns a student's run red: mend it first.
  const broken = report.modules.find((m) => quizProblem(m) !== null);
  if (broken) return `Mend the quiz of ${broken.id}: ${quizProblem(broken)}`;
  const module = report.modules.find((m) => m.score < m.maxScore || quizOpen(m));
  if (!module) {
    const graded = report.modules.map((m) => m.id).join(", ");
    // With --only, "every point" covers the modules graded, not the course.
    const scope = report.leftOut.length > 0 ? ` This run graded only ${graded}; npm run grade grades all ${report.modules.length + report.leftOut.length} modules.` : "";
    if (practiceNote(report)) {
      const what = report.leftOut.length > 0 ? `Every public test of ${graded} passes and its quiz is answered.` : "Every public test passes and every quiz is answered.";
      return `${what}${scope} Push your work: your instructor's grader runs the hidden tests and checks the answers.`;
    }
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

/** What this copy of the course leaves to the instructor's grader; `quote` renders what the submission wrote. */
export function notGradedHere(module: Pick<ModuleReport, "notGraded" | "quizProgress">, quote: (text: string) => string = (text) => text): string {
  const progress = module.quizProgress;
  const quiz = progress && (progress.problem !== null ? quote(progress.problem) : `${progress.answered} of ${progress.questions} questions answered`);
  const parts = module.notGraded.map((part) => (part === "quiz answers" && quiz ? `quiz answers (${quiz})` : part));
  return `Graded by your instructor's grader, not here: ${parts.join(", ")}`;
}

/** Said once at the top when hidden tests are absent: a student's copy shows practice points only. */
export function practiceNote(report: GradeReport): string | null {
  if (!report.modules.some((module) => module.notGraded.includes("hidden tests"))) return null;
  return "This is a practice score: the public tests, and the format of your quizzes. Hidden tests are not run here; your instructor's grader runs them and checks your quiz answers, and that decides your grade.";
}

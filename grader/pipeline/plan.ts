import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { GraderInputError } from "../errors.ts";
import { selectModules, suitePaths, type Course, type CourseModule } from "../course/manifest.ts";
import { parseQuiz } from "../course/quiz.ts";
import { loadQuizKey, type QuizKey } from "../course/quiz-key.ts";
import { listSuiteTests, type SuiteTest } from "../course/suite-tests.ts";

export type TestKind = "public" | "hidden";

/** What is being graded. */
export interface SubmissionSource {
  /** Shown in the scorecard: "this checkout", "the reference solutions" or a folder. */
  label: string;
  /** The folder whose `<module id>/…` sources are graded. */
  exercisesDir: string;
  /** The checkout whose `lessons/<id>/quiz.md` answers are graded, or "keys" to answer with the keys. */
  quizAnswersFrom: string | "keys";
}

export interface PlannedSuite {
  kind: TestKind;
  /** Path relative to the course root, and to the staged workspace. */
  file: string;
  /** The suite's source, so the scorer can keep it out of student-visible messages. */
  source: string;
  tests: SuiteTest[];
}

export interface PlannedQuiz {
  key: QuizKey;
  /** Where the answers came from, relative to the submission. */
  file: string;
  /** Ticked option texts by question title; null when the quiz file is missing. */
  ticked: Map<string, string[]> | null;
}

export interface ModulePlan {
  module: CourseModule;
  suites: PlannedSuite[];
  quiz: PlannedQuiz;
}

export interface GradingPlan {
  course: Course;
  source: SubmissionSource;
  modules: ModulePlan[];
}

export interface SourceOptions {
  submission?: string | undefined;
  solutions?: boolean | undefined;
}

export function resolveSource(course: Course, options: SourceOptions): SubmissionSource {
  if (options.submission !== undefined && options.solutions) {
    throw new GraderInputError("--submission and --solutions cannot be used together");
  }
  if (options.solutions) {
    return { label: "the reference solutions", exercisesDir: path.join(course.root, "solutions"), quizAnswersFrom: "keys" };
  }
  if (options.submission !== undefined) {
    const dir = path.resolve(options.submission);
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      throw new GraderInputError(`--submission: ${options.submission} does not exist or cannot be read`);
    }
    if (!isDir) throw new GraderInputError(`--submission: ${options.submission} is not a folder`);
    return { label: options.submission, exercisesDir: path.join(dir, "exercises"), quizAnswersFrom: dir };
  }
  return { label: "this checkout", exercisesDir: path.join(course.root, "exercises"), quizAnswersFrom: course.root };
}

function readCourseFile(course: Course, relative: string): string {
  try {
    return readFileSync(path.join(course.root, relative), "utf8");
  } catch {
    throw new GraderInputError(`the course is missing ${relative}`);
  }
}

function planQuiz(course: Course, module: CourseModule, source: SubmissionSource): PlannedQuiz {
  const keyFile = suitePaths(module).quizKey;
  if (!existsSync(path.join(course.root, keyFile))) throw new GraderInputError(`the course is missing ${keyFile}`);
  const key = loadQuizKey(path.join(course.root, keyFile), keyFile);
  if (source.quizAnswersFrom === "keys") {
    return { key, file: keyFile, ticked: new Map(key.questions.map((q) => [q.question, q.answers])) };
  }
  const file = path.join(source.quizAnswersFrom, module.quiz);
  if (!existsSync(file)) return { key, file: module.quiz, ticked: null };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new GraderInputError(`${module.quiz}: cannot be read`);
  }
  const quiz = parseQuiz(text, module.quiz);
  const ticked = new Map(
    quiz.questions.map((question) => [question.title, question.options.filter((o) => o.checked).map((o) => o.text)]),
  );
  return { key, file: module.quiz, ticked };
}

/**
 * The load stage: everything the grader needs to know before running any
 * code, read from trusted course files plus the submission's quiz answers.
 * Any problem here is the grader's input, so it stops before grading anything.
 */
export function planGrading(course: Course, source: SubmissionSource, only: string | undefined): GradingPlan {
  const modules = selectModules(course, only).map((module): ModulePlan => {
    const suites: PlannedSuite[] = [];
    if (module.exerciseFiles) {
      const paths = suitePaths(module);
      for (const kind of ["public", "hidden"] as const) {
        const file = paths[kind];
        const source = readCourseFile(course, file);
        suites.push({ kind, file, source, tests: listSuiteTests(source, file) });
      }
    }
    return { module, suites, quiz: planQuiz(course, module, source) };
  });
  return { course, source, modules };
}

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
  /** That folder's path inside the submission, for pointing at files: "exercises" or "solutions". */
  exercisesPath: string;
  /** The checkout whose `lessons/<id>/quiz.md` answers are graded, or the keys themselves (the reference). */
  quizAnswers: { from: "keys" } | { from: "checkout"; dir: string };
  /** A checkout other than this course, whose unused files the report lists. */
  otherCheckout: string | null;
}

export interface PlannedSuite {
  kind: TestKind;
  /** Path relative to the course root, and to the staged workspace. */
  file: string;
  /** The suite's source, so the scorer can keep it out of student-visible messages. */
  source: string;
  tests: SuiteTest[];
}

export interface QuizAnswers {
  /** Ticked option texts by question title. */
  ticked: Map<string, string[]>;
  /** The line of each question's heading, for pointing at it. */
  lines: Map<string, number>;
}

export interface PlannedQuiz {
  key: QuizKey;
  /** Where the answers came from, relative to the submission. */
  file: string;
  /** Null when the quiz file is missing. */
  answers: QuizAnswers | null;
}

export interface ModulePlan {
  module: CourseModule;
  suites: PlannedSuite[];
  /** Null when the quiz is not graded here. */
  quiz: PlannedQuiz | null;
  /** Parts of the module this copy of the course cannot grade, e.g. "hidden tests". */
  notGraded: string[];
  /** How much of the quiz is answered, when this copy has no key to grade it with. */
  quizProgress: QuizProgress | null;
}

export interface QuizProgress {
  answered: number;
  questions: number;
}

export interface GradingPlan {
  course: Course;
  source: SubmissionSource;
  modules: ModulePlan[];
}

export interface SourceOptions {
  submission?: string | undefined;
  /** How the scorecard names the submission; its folder by default. */
  submissionLabel?: string | undefined;
  solutions?: boolean | undefined;
}

export function resolveSource(course: Course, options: SourceOptions): SubmissionSource {
  if (options.submission !== undefined && options.solutions) {
    throw new GraderInputError("--submission and --solutions cannot be used together");
  }
  if (options.solutions) {
    // A student's copy has no solutions/: grading the stubs under that name would mislead.
    if (!existsSync(path.join(course.root, "solutions"))) {
      throw new GraderInputError("--solutions: this copy of the course has no reference solutions (they stay in the instructors' source)");
    }
    return {
      label: "the reference solutions",
      exercisesDir: path.join(course.root, "solutions"),
      exercisesPath: "solutions",
      quizAnswers: { from: "keys" },
      otherCheckout: null,
    };
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
    return {
      label: options.submissionLabel ?? options.submission,
      exercisesDir: path.join(dir, "exercises"),
      exercisesPath: "exercises",
      quizAnswers: { from: "checkout", dir },
      otherCheckout: dir,
    };
  }
  return {
    label: "this checkout",
    exercisesDir: path.join(course.root, "exercises"),
    exercisesPath: "exercises",
    quizAnswers: { from: "checkout", dir: course.root },
    otherCheckout: null,
  };
}

function readCourseFile(course: Course, relative: string): string {
  try {
    return readFileSync(path.join(course.root, relative), "utf8");
  } catch {
    throw new GraderInputError(`the course is missing ${relative}`);
  }
}

/** The quiz's answers as ticked in a checkout, or null when its quiz.md is missing. */
export function readQuizAnswers(checkout: string, module: CourseModule): QuizAnswers | null {
  const file = path.join(checkout, module.quiz);
  if (!existsSync(file)) return null;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new GraderInputError(`${module.quiz}: cannot be read`);
  }
  const { questions } = parseQuiz(text, module.quiz);
  return {
    ticked: new Map(questions.map((question) => [question.title, question.options.filter((o) => o.checked).map((o) => o.text)])),
    lines: new Map(questions.map((question) => [question.title, question.line])),
  };
}

/** How many of a quiz's questions have at least one box ticked. */
export function quizProgress(answers: QuizAnswers): QuizProgress {
  return { answered: [...answers.ticked.values()].filter((ticked) => ticked.length > 0).length, questions: answers.ticked.size };
}

function planQuiz(course: Course, module: CourseModule, source: SubmissionSource): PlannedQuiz | null {
  const keyFile = suitePaths(module).quizKey;
  // Students' copies of the course carry no keys: their quizzes are graded where the keys are.
  if (!existsSync(path.join(course.root, keyFile))) return null;
  const key = loadQuizKey(path.join(course.root, keyFile), keyFile);
  if (source.quizAnswers.from === "keys") {
    return { key, file: keyFile, answers: { ticked: new Map(key.questions.map((q) => [q.question, q.answers])), lines: new Map() } };
  }
  return { key, file: module.quiz, answers: readQuizAnswers(source.quizAnswers.dir, module) };
}

export type GradedPart = "public" | "hidden" | "quiz";

/**
 * The load stage: everything the grader needs to know before running any
 * code, read from trusted course files plus the submission's quiz answers.
 * Any problem here is the grader's input, so it stops before grading anything.
 * Parts the course does not carry (hidden suites and quiz keys are absent
 * from students' copies) are left out and named in `notGraded`.
 */
export function planGrading(
  course: Course,
  source: SubmissionSource,
  only: string | undefined,
  parts: readonly GradedPart[] = ["public", "hidden", "quiz"],
): GradingPlan {
  const modules = selectModules(course, only).map((module): ModulePlan => {
    const suites: PlannedSuite[] = [];
    const notGraded: string[] = [];
    if (module.exerciseFiles) {
      const paths = suitePaths(module);
      for (const kind of ["public", "hidden"] as const) {
        if (!parts.includes(kind)) continue;
        const file = paths[kind];
        if (kind === "hidden" && !existsSync(path.join(course.root, file))) {
          notGraded.push("hidden tests");
          continue;
        }
        const source = readCourseFile(course, file);
        suites.push({ kind, file, source, tests: listSuiteTests(source, file) });
      }
    }
    const quiz = parts.includes("quiz") ? planQuiz(course, module, source) : null;
    let progress: QuizProgress | null = null;
    if (parts.includes("quiz") && quiz === null) {
      notGraded.push("quiz answers");
      // Without a key the answers cannot be graded, but reading them still checks the quiz's format.
      const answers = source.quizAnswers.from === "checkout" ? readQuizAnswers(source.quizAnswers.dir, module) : null;
      if (answers) progress = quizProgress(answers);
    }
    return { module, suites, quiz, notGraded, quizProgress: progress };
  });
  return { course, source, modules };
}

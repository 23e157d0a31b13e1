import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { GraderInputError } from "../errors.ts";
import { selectModules, suitePaths, type Course, type CourseModule } from "../course/manifest.ts";
import { readSubmissionFile } from "./submission-read.ts";
import { digestOf, readStubDigests } from "./stub-digests.ts";
import { BoundedQuizReader, describeQuizProblem, parseQuiz, type Quiz } from "../course/quiz.ts";
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
  tests: SuiteTest[];
}

export interface QuizAnswers {
  /** Ticked option texts by question title. */
  ticked: Map<string, string[]>;
  /** The line of each question's heading, or of the mistake in it, for pointing at it. */
  lines: Map<string, number>;
  /** Questions that cannot be read as written ("file:line: what to fix"); they count as not answered. */
  problems: Map<string, string>;
  /** Every format problem of the quiz, in line order ("file:line: what to fix"), so a student can mend them all in one go. */
  allProblems?: string[];
}

/** A submission's quiz as the grader found it. */
export type QuizReading = { state: "answered"; answers: QuizAnswers } | { state: "missing" } | { state: "unreadable"; problem: string };

export interface PlannedQuiz {
  key: QuizKey;
  /** Where the answers came from, relative to the submission. */
  file: string;
  reading: QuizReading;
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
  /** Every exercise file is still the course's stub, byte for byte: the student has not started. */
  untouched: boolean;
}

export interface QuizProgress {
  answered: number;
  questions: number;
  /** Why the quiz could not be read, if it could not: the first of `problems`. */
  problem: string | null;
  /** Every question that cannot be read as written ("file:line: what to fix"), so all can be shown at once; absent where only `problem` is known. */
  problems?: string[];
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

/** Larger than any stub: a file past this is not the stub, whatever it holds. */
const stubSizeLimit = 1024 * 1024;

/** Whether the submission's exercise files are the course's stubs as shipped (false where either is missing). */
function stubsUntouched(course: Course, module: CourseModule, source: SubmissionSource): boolean {
  const files = module.exerciseFiles ?? [];
  const read = (file: string) => {
    try {
      return readFileSync(file);
    } catch {
      return null;
    }
  };
  // The submitted file through the hardened reader: a link to /dev/zero or /dev/stdin must not stop the grader.
  const readSubmitted = (file: string) => {
    const read = readSubmissionFile(path.dirname(source.exercisesDir), file, stubSizeLimit);
    return read.ok ? read.bytes : null;
  };
  // In a student's copy the course's exercises/ are the student's own files: compare with the released stubs' digests.
  const digests = readStubDigests(course);
  return (
    files.length > 0 &&
    files.every((file) => {
      const released = digests?.get(`${module.id}/${file}`);
      if (released !== undefined) {
        const submitted = readSubmitted(path.join(source.exercisesDir, module.id, file));
        return submitted !== null && digestOf(submitted) === released;
      }
      const stub = read(path.join(course.root, "exercises", module.id, file));
      const submitted = readSubmitted(path.join(source.exercisesDir, module.id, file));
      return stub !== null && submitted !== null && stub.equals(submitted);
    })
  );
}

function readCourseFile(course: Course, relative: string): string {
  try {
    return readFileSync(path.join(course.root, relative), "utf8");
  } catch {
    throw new GraderInputError(`the course is missing ${relative}`);
  }
}

function answersOf({ questions, problems: all }: Quiz, fileLabel: string): QuizAnswers {
  const problems = new Map<string, string>();
  for (const { title, problem } of questions) if (problem) problems.set(title, describeQuizProblem(fileLabel, problem));
  return {
    ticked: new Map(questions.map((question) => [question.title, question.problem ? [] : question.options.filter((o) => o.checked).map((o) => o.text)])),
    lines: new Map(questions.map((question) => [question.title, question.problem?.line ?? question.line])),
    problems,
    allProblems: (all ?? []).map((problem) => describeQuizProblem(fileLabel, problem)),
  };
}

/**
 * The quiz's answers as ticked in the student's own checkout (for progress),
 * or null when its quiz.md is missing. A malformed quiz is the student's input
 * to their own command: a GraderInputError.
 */
export function readQuizAnswers(checkout: string, module: CourseModule): QuizAnswers | null {
  // Through the hardened reader, as grading reads it: a quiz.md linked to /dev/stdin must not hang the student's own command.
  const read = readSubmissionFile(checkout, path.join(checkout, module.quiz), quizSizeLimit);
  if (!read.ok && read.problem === "is missing") return null;
  if (!read.ok) throw new GraderInputError(`${module.quiz}: ${read.problem}`);
  return answersOf(parseQuiz(read.bytes.toString("utf8"), module.quiz), module.quiz);
}

const quizSizeLimit = 64 * 1024;
// Wall time: generous, since a loaded machine (a class graded at once) slows a fair quiz too; a quiz built to be slow still stops.
const quizReadTimeoutMs = 8_000;

/**
 * A submitted quiz, read as hostile input: only a regular file inside the
 * submission, of a bounded size, parsed under a time limit. Whatever goes
 * wrong costs that quiz its points and nothing else.
 */
async function readSubmittedQuiz(reader: BoundedQuizReader, checkout: string, module: CourseModule): Promise<QuizReading> {
  const file = path.join(checkout, module.quiz);
  const unreadable = (problem: string): QuizReading => ({ state: "unreadable", problem: `${module.quiz}: ${problem}` });
  const read = readSubmissionFile(checkout, file, quizSizeLimit);
  if (!read.ok) return read.problem === "is missing" ? { state: "missing" } : unreadable(read.problem);
  try {
    return { state: "answered", answers: answersOf(await reader.read(read.bytes.toString("utf8"), module.quiz), module.quiz) };
  } catch (error) {
    if (error instanceof GraderInputError) return { state: "unreadable", problem: error.message };
    return unreadable("cannot be read");
  }
}

/** How many of a quiz's questions have at least one box ticked. */
export function quizProgress(answers: QuizAnswers): QuizProgress & { problems: string[] } {
  const problems = answers.allProblems && answers.allProblems.length > 0 ? answers.allProblems : [...answers.problems.values()];
  return { answered: [...answers.ticked.values()].filter((ticked) => ticked.length > 0).length, questions: answers.ticked.size, problem: problems[0] ?? null, problems };
}

async function planQuiz(course: Course, module: CourseModule, source: SubmissionSource, reader: BoundedQuizReader): Promise<PlannedQuiz | null> {
  const keyFile = suitePaths(module).quizKey;
  // Students' copies of the course carry no keys: their quizzes are graded where the keys are.
  if (!existsSync(path.join(course.root, keyFile))) return null;
  const key = loadQuizKey(path.join(course.root, keyFile), keyFile);
  if (source.quizAnswers.from === "keys") {
    const ticked = new Map(key.questions.map((q) => [q.question, q.answers]));
    return { key, file: keyFile, reading: { state: "answered", answers: { ticked, lines: new Map(), problems: new Map() } } };
  }
  return { key, file: module.quiz, reading: await readSubmittedQuiz(reader, source.quizAnswers.dir, module) };
}

/** Where the quiz stands in a copy without its key: answered questions, or why it cannot be read. */
async function progressWithoutKey(module: CourseModule, source: SubmissionSource, reader: BoundedQuizReader): Promise<QuizProgress | null> {
  if (source.quizAnswers.from !== "checkout") return null;
  const reading = await readSubmittedQuiz(reader, source.quizAnswers.dir, module);
  if (reading.state === "answered") return quizProgress(reading.answers);
  return reading.state === "unreadable" ? { answered: 0, questions: 0, problem: reading.problem } : null;
}

export type GradedPart = "public" | "hidden" | "quiz";

/**
 * The load stage: everything the grader needs to know before running any
 * code, read from trusted course files plus the submission's quiz answers.
 * A problem with the course or the options stops here, before grading
 * anything; a quiz that cannot be read costs only that quiz. Parts the course
 * does not carry (hidden suites and quiz keys are absent from students'
 * copies) are left out and named in `notGraded`.
 */
export async function planGrading(
  course: Course,
  source: SubmissionSource,
  only: string | undefined,
  parts: readonly GradedPart[] = ["public", "hidden", "quiz"],
): Promise<GradingPlan> {
  const reader = new BoundedQuizReader(quizReadTimeoutMs);
  const modules = await Promise.all(
    selectModules(course, only).map(async (module): Promise<ModulePlan> => {
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
          const text = readCourseFile(course, file);
          suites.push({ kind, file, tests: listSuiteTests(text, file) });
        }
      }
      const quiz = parts.includes("quiz") ? await planQuiz(course, module, source, reader) : null;
      let progress: QuizProgress | null = null;
      if (parts.includes("quiz") && quiz === null) {
        notGraded.push("quiz answers");
        // Without a key the answers cannot be graded, but reading them still checks the quiz's format.
        progress = await progressWithoutKey(module, source, reader);
      }
      return { module, suites, quiz, notGraded, quizProgress: progress, untouched: stubsUntouched(course, module, source) };
    }),
  ).finally(() => reader.close());
  return { course, source, modules };
}

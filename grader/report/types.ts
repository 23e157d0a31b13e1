import type { HiddenResults } from "../course/manifest.ts";
import type { LimitsHeld } from "../pipeline/kernel-limits.ts";
/** The grade report of contracts §3, with a few extra fields the scorecards use. */
export type TestKind = "public" | "hidden" | "quiz";
export type TestStatus = "passed" | "failed" | "error";

export interface SourceLocation {
  /** Path relative to the submission, e.g. exercises/01-task-queue/task-queue.ts. */
  file: string;
  line: number;
  column: number;
}

/** A test's place in its suite file. */
export interface TestLocation {
  /** Path relative to the course, e.g. tests/public/01-task-queue.test.ts. */
  file: string;
  line: number;
}

export interface TestReport {
  name: string;
  kind: TestKind;
  status: TestStatus;
  score: number;
  maxScore: number;
  /** Why it did not pass, in words a student can act on; null when it passed. */
  message: string | null;
  /** Where in the student's own code it failed, when known. */
  location: SourceLocation | null;
  /** Where the test is in its suite, for a failing public test (tests/public/01-task-queue.test.ts:42); never for a hidden one, whose file does not ship. */
  testLocation?: TestLocation;
  /** The rules it checks, by the ids the module's stub and lesson give them ("fifo" for "[fifo]"); none for a quiz question. */
  rules: string[];
  /** A graded quiz question's explanation, from the key: shown only when hidden results are (it gives the answer away). */
  explanation?: string;
}

export interface ModuleReport {
  id: string;
  title: string;
  score: number;
  maxScore: number;
  /** A problem with the whole module (timed out, could not load, …), or null. */
  problem: string | null;
  tests: TestReport[];
  /** Tests that reported results but are not in the trusted suites; they never score. */
  unexpectedTests: string[];
  /** Parts this copy of the course could not grade (students' copies carry no hidden tests or quiz keys). */
  notGraded: string[];
  /** How much of the quiz is answered, when its answers are not graded here (or why it cannot be read). */
  quizProgress: { answered: number; questions: number; problem: string | null; problems?: string[] } | null;
  /** Every exercise file is still the course's stub as shipped. */
  untouched: boolean;
  /**
   * Syntax and type errors in the student's files, when a practice run
   * typechecked them (modules started in a student's copy); absent otherwise.
   * They cost no points: they turn a practice run red and come first in its annotations.
   */
  typeErrors?: CodeProblem[];
  durationMs: number;
}

/** A syntax or type error in a student's exercise file. */
export interface CodeProblem extends SourceLocation {
  message: string;
}

export interface GradeReport {
  version: 1;
  course: string;
  /** What was graded: "this checkout", "the reference solutions" or the --submission folder. */
  submission: string;
  gradedAt: string;
  score: number;
  maxScore: number;
  modules: ModuleReport[];
  /** Modules of the course that this run left out (`--only`), so "every point" speaks only for the rest. */
  leftOut: string[];
  /** Submission files that grading never used: the first 50, each name cut at 200 characters. */
  ignored: string[];
  /** How many submission files grading never used, all told (`ignored` may list fewer). */
  ignoredCount: number;
  durationMs: number;
  /**
   * Where submission code ran: "sandbox" (its own process in bubblewrap),
   * "user" (its own process as the unprivileged user nobody, with resource
   * limits), "process" (its own process, nothing more) or "in-process" (the
   * student's own loop, inside the test process).
   */
  isolation: "sandbox" | "user" | "process" | "in-process";
  /** How it ran without the sandbox, and why, when it did; every output shows it. */
  isolationNote: string | null;
  /**
   * What in this grading may have come from the machine rather than the
   * submission: a module that ran out of its time, a judge that stopped or ran
   * out of memory, a process that could not start, a full disk. A gradebook
   * grades such a submission once more, then reports "could not grade", and
   * never caches it. Empty for a grading whose every result stands.
   */
  machineFaults: string[];
  /** Who held the submission process's CPU, memory and process limits: the kernel (a control group) or the watchdog; null in-process. */
  limits: LimitsHeld | null;
  /** In a copy without hidden suites (a student's practice run): where and when the instructor's grader shows what this copy cannot check. */
  hiddenResults?: HiddenResults;
}

/** One roster row of a class gradebook: a student's graded report, or why there is none. */
export interface GradebookRow {
  /** The row's number in the roster, counting data rows from 1. */
  row: number;
  student: string;
  repo: string;
  /** The commit graded, or null when none was. */
  commit: string | null;
  /** The deadline that chose the commit, when there was one. */
  deadline: string | null;
  /** When this submission's report was made (a cached report keeps its time). */
  gradedAt: string | null;
  /** The graded commit's committer date (set by whoever committed), ISO 8601 in UTC. */
  committedAt?: string | null;
  /** Commits on the default branch after the graded one: work past the deadline. Null when not known (a pinned commit). */
  laterCommits?: number | null;
  /** The roster's other columns (name, email, section …), by header. */
  columns?: Record<string, string>;
  /** Under course.json's late policy, for a row with a deadline: see RowLateness. Absent otherwise. */
  late?: RowLateness;
  /** A graded row's total as the gradebook counts it: see RowTotal. Absent for a row with no report. */
  total?: RowTotal;
  report: GradeReport | null;
  /** Why this row has no report; empty when it was graded. */
  problems: string[];
}

/** course.json's `grading.late`: late work counts for a few days after the deadline, at a price. */
export interface LatePolicy {
  /** Percent of the total each started day after the deadline costs. */
  penaltyPercentPerDay: number;
  /** Days after the deadline in which a commit is still graded. */
  maxDaysLate: number;
}

/** A row's late work, by the graded commit's committer date: evidence to check, since whoever commits sets that date. */
export interface RowLateness {
  /** When late work stopped counting: the deadline plus maxDaysLate days (ISO 8601, UTC). */
  until: string;
  /** Started days from the deadline to the graded commit's committer date (0 when on time); null when no commit was graded. */
  days: number | null;
  /** Percent of the total those days cost, at most 100; null when no commit was graded. */
  penaltyPercent: number | null;
}

/** A graded row's total: raw points as every scorecard gives them, the weighted percentage, and what is left after a late penalty. */
export interface RowTotal {
  points: number;
  maxPoints: number;
  /** The weighted average of the modules' percentages (0 to 100), when course.json weights modules; else null. */
  weightedPercent: number | null;
  /** The total after the late penalty (a percentage when weighted, else points); null without a late policy. */
  afterPenalty: number | null;
}

/** One graded module as a gradebook column, with its weight when course.json gives modules weights. */
export interface GradebookModule {
  id: string;
  title: string;
  maxScore: number;
  weight?: number;
}

/** What `npm run gradebook` writes to gradebook.json: the class, row by row. */
export interface Gradebook {
  version: 1;
  course: string;
  generatedAt: string;
  /** The modules graded, in course order: the gradebook's columns. */
  modules: GradebookModule[];
  /** course.json's late policy when it has one; absent or null for none. */
  latePolicy?: LatePolicy | null;
  /** Identifies the roster and the course, so shards of different runs cannot be merged. */
  rosterDigest: string;
  courseDigest: string;
  /** Rows in roster order; the roster's row count, so a merge can tell when shards are missing. */
  rosterRows: number;
  /** Which rows this run graded: every N-th row from K, or null for all of them. */
  shard: { index: number; count: number } | null;
  rows: GradebookRow[];
}

/** The grade report of contracts §3, with a few extra fields the scorecards use. */
export type TestKind = "public" | "hidden" | "quiz";
export type TestStatus = "passed" | "failed" | "error";

export interface SourceLocation {
  /** Path relative to the submission, e.g. exercises/01-task-queue/task-queue.ts. */
  file: string;
  line: number;
  column: number;
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
  quizProgress: { answered: number; questions: number; problem: string | null } | null;
  durationMs: number;
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
  /** Submission files that grading never used. */
  ignored: string[];
  durationMs: number;
  /**
   * Where submission code ran: "sandbox" (its own process in bubblewrap),
   * "process" (its own process, no sandbox) or "in-process" (the student's
   * own loop, inside the test process).
   */
  isolation: "sandbox" | "process" | "in-process";
  /** Why the sandbox was not used, when it was not. */
  isolationNote: string | null;
}

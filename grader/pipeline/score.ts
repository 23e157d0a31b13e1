import { testKey, type ChannelRecord, type Location } from "../judge/channel.ts";
import { picksOne } from "../course/quiz.ts";
import type { SuiteTest } from "../course/suite-tests.ts";
import type { ModulePlan, PlannedQuiz, TestKind } from "./plan.ts";
import type { ModuleRun } from "./run.ts";
import type { ModuleReport, TestReport } from "../report/types.ts";

type ResultRecord = Extract<ChannelRecord, { type: "result" }>;

/**
 * Hidden tests phrase each assertion as the behaviour it checks
 * (`expect(x, "dequeue should …")`). Students see that phrase, not the value
 * the test expected, so a failure teaches without handing over the answer.
 */
export function behaviourMessage(message: string, kind: TestKind, thrownBySubmission = false): string {
  if (kind === "public") return message.split("\n").filter((line) => line.trim() !== "").slice(0, 6).join("\n");
  if (thrownBySubmission) return thrownInHiddenTest(message);
  // A stopped process's message ends with what it printed: the submission's text.
  const course = message.split("; it printed: ")[0] ?? message;
  const described = /^([^\n]*?): expected /.exec(course);
  return (described?.[1] ?? course.split("\n")[0] ?? course).trim();
}

const builtinErrors = /^(TypeError|RangeError|ReferenceError|SyntaxError|EvalError|URIError|AggregateError):/;

/**
 * A hidden test failed on an error the submission threw. Its text is the
 * submission's and could carry the test's inputs out, so the student sees
 * only what kind of error it was, in the course's words. A speed check's
 * budget runs out inside the submission's process too, so its message is
 * replaced the same way (keeping "is too slow: ", which the scorecard groups by).
 */
function thrownInHiddenTest(message: string): string {
  if (/^TODO\b/.test(message)) return "your code threw a TODO error: this part of the stub is not written yet";
  if (/ is too slow: /.test(message)) return "this speed check is too slow: it ran out of its CPU-time budget. The public test of the same rule names the slow operation.";
  const builtin = builtinErrors.exec(message)?.[1];
  const what = builtin ? `${/^[AEIOU]/.test(builtin) ? "an" : "a"} ${builtin}` : "an error";
  return `your code threw ${what} in this hidden test (a hidden test never shows text from your code; the public tests of the same rule show it in full)`;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

function scoreQuiz(quiz: PlannedQuiz, points: number): TestReport[] {
  const { reading } = quiz;
  return quiz.key.questions.map(({ question, answers, explanation }): TestReport => {
    const ticked = reading.state === "answered" ? reading.answers.ticked.get(question) : undefined;
    const line = reading.state === "answered" ? reading.answers.lines.get(question) : undefined;
    const problem = reading.state === "answered" ? reading.answers.problems.get(question) : undefined;
    let message: string | null = null;
    if (reading.state === "missing") message = `${quiz.file} is missing`;
    else if (reading.state === "unreadable") message = reading.problem;
    else if (problem) message = `not answered: ${problem}`;
    else if (!ticked) message = `this question is missing from ${quiz.file}`;
    else if (ticked.length === 0) message = "not answered yet: tick your answers in the quiz file";
    else if (picksOne(question) && ticked.length > 1) message = `not right yet: ${ticked.length} boxes are ticked, and this question takes one answer`;
    else if (!sameSet(ticked, answers)) message = "not right yet: tick every right option and no others";
    const passed = message === null;
    return {
      name: question,
      kind: "quiz",
      status: passed ? "passed" : "failed",
      score: passed ? points : 0,
      maxScore: points,
      message,
      location: line === undefined ? null : { file: quiz.file, line, column: 1 },
      rules: [],
      ...(explanation === undefined ? {} : { explanation }),
    };
  });
}

export interface ScoringContext {
  timeoutSeconds: number;
  memoryLimitMb: number;
  /** Where the submission keeps its sources ("exercises", or "solutions" for the reference). */
  exercisesPath: string;
  /** Why the module's tests were not run, when that was decided (a practice run's module still as its stub): each then fails with it. */
  notRun?: string | undefined;
}

/** Why a whole module scores nothing, or null when its results stand. */
function voidingProblem(run: ModuleRun, results: ResultRecord[], context: ScoringContext): string | null {
  if (run.forgedLines > 0) return "the test results were tampered with, so this module scores 0";
  const seen = new Set<string>();
  for (const result of results) {
    const id = testKey(result);
    if (seen.has(id)) return "the test results were tampered with (a test reported twice), so this module scores 0";
    seen.add(id);
  }
  const during = run.runningTest ? ` while running "${run.runningTest}"` : "";
  if (run.outcome === "timed-out") {
    return `timed out after ${context.timeoutSeconds} s${during}: look for an infinite loop or a promise that never settles`;
  }
  if (run.outcome === "out-of-memory") {
    return `used too much memory${during} and was stopped: look for a structure that grows without end`;
  }
  if (run.outcome === "cancelled") return "stopped before it finished, because a newer version was saved";
  return null;
}

const crashed = "the test process stopped unexpectedly (did your code call process.exit or kill a process?)";

/** What went wrong with a run as a whole, when its results still stand; null when nothing did. */
function runProblem(run: ModuleRun, unhandled: string[], context: ScoringContext): string | null {
  // V8 prints this when a test process hits its heap limit; faking it only changes the message.
  if (run.output.includes("JavaScript heap out of memory")) {
    return `ran out of memory (the limit is ${context.memoryLimitMb} MB): look for a structure that grows without end`;
  }
  const loadError = run.records.find((record) => record.type === "file-error");
  if (loadError) return `the tests could not load your code: ${behaviourMessage(loadError.message, "public")}`;
  if (run.outcome === "crashed") return crashed;
  if (unhandled.some((message) => /\[vitest-pool\]|Worker exited unexpectedly/.test(message))) return crashed;
  if (unhandled.length > 0) return `an error escaped the tests: ${behaviourMessage(unhandled[0] ?? "", "public")}`;
  return null;
}

/**
 * The score step: every expected test (listed from the trusted suites) gets
 * exactly one entry, whether or not it ran. Only signed results count.
 */
export function scoreModule(plan: ModulePlan, run: ModuleRun | null, context: ScoringContext): ModuleReport {
  const { module } = plan;
  const results = (run?.records ?? []).filter((r): r is ResultRecord => r.type === "result");
  const voided = run ? voidingProblem(run, results, context) : null;
  const unhandled = run?.records.find((r) => r.type === "end")?.unhandledErrors ?? [];
  const problem = voided ?? (run ? runProblem(run, unhandled, context) : null);

  const tests: TestReport[] = [];
  for (const suite of plan.suites) {
    const points = suite.kind === "public" ? module.points.publicTest : module.points.hiddenTest;
    const entry = ({ name, line, rules }: SuiteTest, status: TestReport["status"], message: string | null, location: Location | null = null): TestReport => ({
      name,
      kind: suite.kind,
      status,
      score: status === "passed" ? points : 0,
      maxScore: points,
      message,
      // The workspace stages sources as exercises/; point at them where the submission keeps them.
      location: location ? { ...location, file: location.file.replace(/^exercises\//, `${context.exercisesPath}/`) } : null,
      rules,
      // A failing public test points at itself; a hidden test's file does not ship, so it never does.
      ...(suite.kind === "public" && status !== "passed" ? { testLocation: { file: suite.file, line } } : {}),
    });
    for (const test of suite.tests) {
      const result = results.find((r) => r.file === suite.file && r.name === test.name);
      if (voided) {
        tests.push(entry(test, "error", voided));
      } else if (!result && context.notRun !== undefined) {
        tests.push(entry(test, "failed", context.notRun));
      } else if (!result) {
        // The module's problem line explains why (load error, crash); repeat it so the JSON says it per test.
        tests.push(entry(test, "error", problem ?? "did not run"));
      } else if (result.state === "passed" && unhandled.length > 0) {
        tests.push(entry(test, "error", problem));
      } else if (result.state === "passed") {
        tests.push(entry(test, "passed", null));
      } else if (result.state === "skipped") {
        tests.push(entry(test, "failed", "was skipped"));
      } else {
        tests.push(entry(test, "failed", behaviourMessage(result.message ?? "failed", suite.kind, result.thrownBySubmission), result.location));
      }
    }
  }
  if (plan.quiz) tests.push(...scoreQuiz(plan.quiz, module.points.quizQuestion));
  const listed = new Set(plan.suites.flatMap((suite) => suite.tests.map((test) => testKey({ file: suite.file, name: test.name }))));
  const unexpectedTests = results.filter((r) => !listed.has(testKey(r))).map((r) => r.name);

  return {
    id: module.id,
    title: module.title,
    score: tests.reduce((sum, test) => sum + test.score, 0),
    maxScore: tests.reduce((sum, test) => sum + test.maxScore, 0),
    problem,
    tests,
    unexpectedTests,
    notGraded: plan.notGraded,
    quizProgress: plan.quizProgress,
    untouched: plan.untouched,
    durationMs: Math.round(run?.durationMs ?? 0),
  };
}

/** Errors of the machine, as Node names them: a full disk, no file handles left, no processes or memory to start one. */
const machineErrors = /\b(ENOSPC|EMFILE|ENFILE|EAGAIN|ENOMEM|EDQUOT)\b/;

/**
 * What in a judged module's run may have come from the machine rather than
 * the submission, or null. Under the judge the submission has its own
 * process, deadlines and limits, so it cannot run the module out of time,
 * stop vitest or fill the judge's disk; when that happens, the machine did
 * it (or something the grader failed to contain). Only the judge's words
 * count: a message the submission threw is never read here.
 */
export function machineFault(moduleId: string, run: ModuleRun | null): string | null {
  if (!run) return null;
  if (run.outcome === "timed-out") return `${moduleId}: the module ran out of its time limit`;
  if (run.outcome === "out-of-memory") return `${moduleId}: the judge ran out of memory`;
  if (run.outcome === "crashed" && !run.records.some((record) => record.type === "file-error")) return `${moduleId}: the judge stopped before it finished`;
  for (const record of run.records) {
    if (record.type !== "result" || record.state !== "failed" || record.thrownBySubmission) continue;
    const message = record.message ?? "";
    // Only the judge's own openings: an assertion's text may hold a value the submission chose.
    if (/^(your code's process could not start|could not make the pipes)/.test(message)) {
      return `${moduleId}: ${message.split("\n")[0]?.slice(0, 200)}`;
    }
  }
  const judgeError = machineErrors.exec(run.output);
  return judgeError ? `${moduleId}: the judge hit ${judgeError[1]}` : null;
}

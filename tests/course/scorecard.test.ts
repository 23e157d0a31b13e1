import { describe, expect, test } from "vitest";
import { renderAnnotations } from "../../grader/report/annotations.ts";
import { renderMarkdownSummary } from "../../grader/report/markdown.ts";
import { nextStep } from "../../grader/report/next-step.ts";
import { renderScorecard } from "../../grader/report/terminal.ts";
import type { GradeReport, TestReport } from "../../grader/report/types.ts";
import { createColors } from "picocolors";

const plain = createColors(false);

function failing(name: string, kind: TestReport["kind"], message: string): TestReport {
  return { name, kind, status: "failed", score: 0, maxScore: 1, message, location: null, rules: kind === "quiz" ? [] : ["fifo"] };
}

const slow = (what: string) => `${what} is too slow: 12,000 of 500,000 took 3.1 s of CPU time (about 130 s for all of them). Each operation should take O(log n) time (a binary heap), not time proportional to the items waiting`;

/** An O(n) priority queue as a student wrote one: correct answers, slow operations, and a handful of other failures. */
function onPriorityQueue(tests: TestReport[]): GradeReport {
  return {
    version: 1,
    course: "Course",
    submission: "this checkout",
    gradedAt: "2026-12-01T00:00:00.000Z",
    score: 0,
    maxScore: tests.length,
    modules: [{ id: "02-priority-queue", title: "Priority", score: 0, maxScore: tests.length, problem: null, tests, unexpectedTests: [], notGraded: [], quizProgress: null, untouched: false, durationMs: 1 }],
    leftOut: [],
    ignored: [],
    ignoredCount: 0,
    durationMs: 1,
    isolation: "sandbox",
    isolationNote: null,
    limits: { cpu: "cgroup v1", memory: "cgroup v1", processes: "cgroup v1" },
    machineFaults: [],
  };
}

describe("the terminal scorecard", () => {
  test("failures come grouped by cause, most widespread first, with counts; every speed failure shows, however many others fail", () => {
    const tests = [
      failing("ties come out in order", "hidden", "equal priorities should come out first in, first out"),
      failing("peek shows the next item", "hidden", "peek should not remove the item"),
      ...["a", "b", "c"].map((name) => failing(`NaN ${name}`, "hidden", "a NaN priority should throw a RangeError")),
      failing("falsy items", "hidden", "0 should come out unchanged"),
      failing("size", "hidden", "size should count the items waiting"),
      failing("negative priorities", "hidden", "-3 is a priority too"),
      failing("500,000 enqueues with falling priorities take O(log n) each", "hidden", slow("enqueue with falling priorities (each lower than the ones before)")),
      failing("400,000 enqueues with rising priorities take O(log n) each", "hidden", slow("enqueue with rising priorities (each higher than the ones before)")),
      failing("150,000 dequeues from 500,000 waiting items take O(log n) each", "hidden", slow("dequeue was not timed: filling the queue first, enqueue with falling priorities (each lower than the ones before)")),
      failing("enqueue and dequeue stay O(log n) when interleaved", "hidden", slow("enqueue then dequeue was not timed: filling the queue first, enqueue with falling priorities (each lower than the ones before)")),
    ];
    const text = renderScorecard(onPriorityQueue(tests), plain);
    // The cause that fails three tests comes first, with its count.
    const first = text.indexOf("3 tests fail for one reason");
    expect(first).toBeGreaterThan(-1);
    expect(first).toBeLessThan(text.indexOf("ties come out in order"));
    // All four speed failures, one line each, with the slow operation and no repeated advice.
    expect(text).toContain("4 speed checks are too slow:");
    for (const name of tests.slice(-4).map((t) => t.name)) expect(text).toContain(name);
    expect(text).toContain("dequeue was not timed: filling the queue first, enqueue with falling priorities");
    expect(text).not.toContain("Each operation should take");
    // Five other causes do not fit: the last line says how many tests and causes are left.
    expect(text).toMatch(/… and 2 more not passing, for 2 other reasons/);
  });
});

describe("the job summary and annotations", () => {
  const at = (line: number) => ({ file: "exercises/x.ts", line, column: 1 });
  const module = (id: string, tests: TestReport[], untouched = false) => ({ id, title: id, score: 0, maxScore: tests.length, problem: null, tests, unexpectedTests: [], notGraded: [], quizProgress: null, untouched, durationMs: 1 });
  // A checkout grade as the issue found it: 02 in progress, 03 an untouched stub that fails everything with its TODO.
  const inProgress = module("02-priority-queue", [
    { name: "passes", kind: "public", status: "passed", score: 1, maxScore: 1, message: null, location: null, rules: ["highest-first"] },
    ...[1, 2, 3].map((line) => ({ ...failing(`fails ${line}`, "public", "dequeue should return the highest priority"), location: at(line) })),
  ]);
  const untouched = module(
    "03-visibility-timeout",
    Array.from({ length: 20 }, (_, index) => ({ ...failing(`stub ${index}`, "public", "TODO: send(body) should store the message"), location: at(index + 10) })),
    true,
  );
  const report: GradeReport = { ...onPriorityQueue([]), modules: [untouched, inProgress] };

  test("annotations go to the modules in progress first, at most 10 errors, and a notice counts the rest", () => {
    const lines = renderAnnotations(report);
    const errors = lines.filter((line) => line.startsWith("::error"));
    expect(errors).toHaveLength(10);
    expect(errors.slice(0, 3).every((line) => line.includes("title=02-priority-queue public test"))).toBe(true);
    expect(lines.at(-1)).toMatch(/^::notice title=More to fix::13 more failing tests and quiz questions are not marked/);
  });

  test("an untouched module is one line of the summary, marked not started; a module in progress keeps its table", () => {
    const summary = renderMarkdownSummary(report);
    expect(summary).toContain("### ⏸️ 03-visibility-timeout: 03-visibility-timeout: not started (0/20)");
    expect(summary).not.toContain("stub 0");
    expect(summary).toContain("fails 1");
  });

  test("not started means the stub as shipped, whatever its tests say; an edited module where nothing passes yet keeps its table", () => {
    // A stub's TODO caught by a test that expected another error reads "expected error to be instance of RangeError".
    const stub = module("04-dead-letter-queue", [failing("rejects 0", "public", "expected error to be instance of RangeError")], true);
    const edited = module("05-backpressure", [failing("accepts 1", "public", "TODO: offer(item) should add the item")], false);
    const summary = renderMarkdownSummary({ ...report, modules: [stub, edited] });
    expect(summary).toContain("### ⏸️ 04-dead-letter-queue: 04-dead-letter-queue: not started (0/1)");
    expect(summary).not.toContain("rejects 0");
    expect(summary).toContain("accepts 1");
  });
});

describe("the next step", () => {
  test("names the quiz question that is answered but wrong, and says what --only covered", () => {
    const quizTest = (name: string, message: string | null): TestReport => ({ name, kind: "quiz", status: message ? "failed" : "passed", score: message ? 0 : 1, maxScore: 1, message, location: null, rules: [] });
    const report = onPriorityQueue([quizTest("1. Which comes out first?", null), quizTest("2. What does a heap keep in order?", "not right yet: tick every right option and no others")]);
    expect(nextStep(report)).toBe('Question "2. What does a heap keep in order?" of the quiz of 02-priority-queue is not right yet: reread the lesson, then npm run quiz 02');
    const full = { ...onPriorityQueue([quizTest("1. Which comes out first?", null)]), score: 1, leftOut: ["01-task-queue"] };
    full.modules = full.modules.map((module) => ({ ...module, score: 1, maxScore: 1 }));
    expect(nextStep(full)).toBe("Every point of 02-priority-queue earned. This run graded only 02-priority-queue; npm run grade grades all 2 modules.");
  });
});

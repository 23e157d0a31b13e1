import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { CourseModule } from "../../grader/course/manifest.ts";
import { grade } from "../../grader/grade.ts";
import type { ModulePlan } from "../../grader/pipeline/plan.ts";
import { stuckResult, TestEvents } from "../../grader/pipeline/test-watch.ts";
import { scoreModule } from "../../grader/pipeline/score.ts";
import type { ModuleReport, TestReport } from "../../grader/report/types.ts";
import { failuresToShow, renderExerciseRun, type ExerciseRun } from "../../grader/student/exercise-screen.ts";
import { firstUnfinishedExercise } from "../../grader/student/module-argument.ts";
import type { ModuleProgress } from "../../grader/student/progress.ts";
import { course, courseRoot } from "./support/course.ts";

// The student's loop (npm run exercise) in parts: which module it opens, how
// it names a test stuck in a loop, and what a failure shows.

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

const moduleOf = (id: string): CourseModule => {
  const found = course.modules.find((module) => module.id === id);
  if (!found) throw new Error(`no module ${id}`);
  return found;
};

describe("with no module named, the loop opens the first unfinished exercise", () => {
  const entry = (id: string, exercise: ModuleProgress["exercise"], done = false): ModuleProgress => ({
    module: moduleOf(id),
    exercise,
    publicPassed: 0,
    publicTotal: 3,
    quizAnswered: 0,
    quizTotal: 5,
    quizProblem: null,
    done,
  });

  test("the first module with an exercise whose public tests do not all pass, answered quiz or not", () => {
    const progress = [entry("00-message-queues", "no exercise"), entry("01-task-queue", "public tests passing"), entry("02-priority-queue", "in progress"), entry("03-visibility-timeout", "not started")];
    expect(firstUnfinishedExercise(progress)?.id).toBe("02-priority-queue");
    expect(firstUnfinishedExercise([entry("00-message-queues", "no exercise"), entry("01-task-queue", "not started")])?.id).toBe("01-task-queue");
  });

  test("none when every exercise passes, whatever the quizzes say", () => {
    expect(firstUnfinishedExercise([entry("00-message-queues", "no exercise"), entry("01-task-queue", "public tests passing"), entry("02-priority-queue", "public tests passing")])).toBeUndefined();
  });
});

describe("the events file names the test that is running", () => {
  const eventsFile = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "mq-loop-events-"));
    scratch.push(dir);
    return path.join(dir, "events.jsonl");
  };
  const line = (event: object) => `${JSON.stringify(event)}\n`;

  test("a test is stuck once it runs past its own limit, counted from when it was seen to start", () => {
    const file = eventsFile();
    const events = new TestEvents(file);
    expect(events.poll(0), "nothing started yet").toBeNull();
    appendFileSync(file, line({ event: "tests", file: "tests/public/m.test.ts", names: ["a", "b"] }) + line({ event: "start", file: "tests/public/m.test.ts", name: "a", limitMs: 8_000 }));
    expect(events.poll(1_000)?.name).toBe("a");
    expect(events.stuck(8_000), "within its limit").toBeNull();
    expect(events.stuck(10_500)?.name).toBe("a");
    expect(events.listed).toEqual([
      { file: "tests/public/m.test.ts", name: "a" },
      { file: "tests/public/m.test.ts", name: "b" },
    ]);
  });

  test("a test that ends is not running; a longer limit of its own is kept; a half-written or foreign line is passed over", () => {
    const file = eventsFile();
    const events = new TestEvents(file);
    appendFileSync(file, line({ event: "start", file: "f", name: "a", limitMs: 8_000 }) + line({ event: "end", file: "f", name: "a" }) + "not json\n");
    expect(events.poll(0)).toBeNull();
    appendFileSync(file, line({ event: "start", file: "f", name: "speed", limitMs: 20_000 }) + '{"event":"sta');
    expect(events.stuck(100)).toBeNull();
    expect(events.stuck(15_000), "a speed check may take 20 s").toBeNull();
    expect(events.stuck(21_200)?.name).toBe("speed");
  });

  test("a stuck test fails with its name and its real limit", () => {
    expect(stuckResult({ file: "f", name: "TaskQueue > an empty queue gives null", limitMs: 8_000 }).message).toBe("`TaskQueue > an empty queue gives null` did not finish within 8 s: an infinite loop?");
    expect(stuckResult({ file: "f", name: "speed", limitMs: 20_000 }).message).toBe("`speed` did not finish within 20 s: an infinite loop?");
  });
});

describe("a failing public test says where it is in its suite; a hidden one never does", () => {
  test("scoring gives failing public tests their suite's file and line", () => {
    const plan: ModulePlan = {
      module: { ...moduleOf("01-task-queue"), points: { publicTest: 1, hiddenTest: 1, quizQuestion: 1 } },
      suites: [
        { kind: "public", file: "tests/public/01-task-queue.test.ts", tests: [{ name: "passes", line: 12, rules: ["fifo"] }, { name: "fails", line: 42, rules: ["empty-null"] }, { name: "never ran", line: 50, rules: ["size"] }] },
        { kind: "hidden", file: "tests/hidden/01-task-queue.test.ts", tests: [{ name: "hidden fails", line: 7, rules: ["fifo"] }] },
      ],
      quiz: null,
      notGraded: [],
      quizProgress: null,
      untouched: false,
    };
    const result = (file: string, name: string, state: "passed" | "failed") => ({ type: "result" as const, file, name, state, message: state === "failed" ? "expected 1 to be null" : null, location: null });
    const records = [result("tests/public/01-task-queue.test.ts", "passes", "passed"), result("tests/public/01-task-queue.test.ts", "fails", "failed"), result("tests/hidden/01-task-queue.test.ts", "hidden fails", "failed"), { type: "end" as const, unhandledErrors: [] }];
    const report = scoreModule(plan, { outcome: "completed", records, forgedLines: 0, runningTest: null, durationMs: 1, output: "" }, { timeoutSeconds: 20, memoryLimitMb: 512, exercisesPath: "exercises" });
    const where = (name: string) => report.tests.find((test) => test.name === name)?.testLocation;
    expect(where("passes")).toBeUndefined();
    expect(where("fails")).toEqual({ file: "tests/public/01-task-queue.test.ts", line: 42 });
    expect(where("never ran")).toEqual({ file: "tests/public/01-task-queue.test.ts", line: 50 });
    expect(where("hidden fails")).toBeUndefined();
  });
});

describe("the loop's screen", () => {
  const failing = (name: string, message: string, rules: string[], line: number): TestReport => ({
    name,
    kind: "public",
    status: "failed",
    score: 0,
    maxScore: 1,
    message,
    location: null,
    rules,
    testLocation: { file: "tests/public/02-priority-queue.test.ts", line },
  });
  const passing = (name: string): TestReport => ({ name, kind: "public", status: "passed", score: 1, maxScore: 1, message: null, location: null, rules: ["fifo"] });
  const slow = failing("PriorityQueue > enqueue and dequeue stay fast with many items waiting", "enqueue then dequeue with 120,000 items waiting is too slow: 700 of 30,000 took 0.3 s", ["speed"], 181);
  const screenOf = (tests: TestReport[]): string => {
    const module = moduleOf("02-priority-queue");
    const report: ModuleReport = { id: module.id, title: module.title, score: 0, maxScore: tests.length, problem: null, tests, unexpectedTests: [], notGraded: [], quizProgress: null, untouched: false, durationMs: 1 };
    const run: ExerciseRun = { module, report, typeProblems: [], syntax: null, missingExports: [], quiz: { answered: 0, questions: 8 }, finishedAt: new Date(), nextModule: undefined };
    return renderExerciseRun(run, { interactive: false }).replace(/\u001b\[[0-9;]*m/g, "");
  };

  test("a speed failure names its rule, the experiment that shows it, and where the test is", () => {
    const screen = screenOf([passing("PriorityQueue > a higher priority is served first"), slow]);
    expect(screen).toContain("✗ PriorityQueue > enqueue and dequeue stay fast with many items waiting · rule [speed]");
    expect(screen).toContain("test: tests/public/02-priority-queue.test.ts:181");
    expect(screen).toContain("npm run experiment -- 02-starvation");
  });

  test("a speed failure shows even after three other failures; the same reason as the others adds nothing", () => {
    const others = [1, 2, 3, 4].map((index) => failing(`wrong ${index}`, `expected ${index} to be 0`, ["highest-first"], 10 + index));
    expect(failuresToShow([...others, slow]).map((test) => test.name)).toEqual(["wrong 1", "wrong 2", "wrong 3", slow.name]);
    const screen = screenOf([...others, slow]);
    expect(screen).toContain("rule [speed]");
    expect(screen).toContain("npm run experiment -- 02-starvation");
    expect(screen).toContain("… and 1 more failing");
    // A stub: every test fails with the same TODO, the speed check too.
    const stub = [...others, slow].map((test) => ({ ...test, message: "TODO: enqueue(item, priority) should add the item" }));
    expect(failuresToShow(stub)).toHaveLength(3);
  });

  test("a failure that is no speed or memory check names no experiment", () => {
    const screen = screenOf([failing("PriorityQueue > an empty queue gives null", "expected undefined to be null", ["empty-null"], 90)]);
    expect(screen).toContain("rule [empty-null]");
    expect(screen).toContain("test: tests/public/02-priority-queue.test.ts:90");
    expect(screen).not.toContain("npm run experiment");
  });
});

/** A course of its own, whose one suite holds tests that pass, fail, loop forever and wait forever, in that order and mixed. */
function loopingCourse(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "mq-loop-course-"));
  scratch.push(root);
  const modules = ["90-one-stuck", "91-many-stuck"];
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write(
    "course.json",
    JSON.stringify({
      title: "Stuck tests (a course of the grader's own tests)",
      grading: { memoryLimitMb: 256, moduleTimeoutSeconds: 30 },
      modules: modules.map((id) => ({
        id,
        title: id,
        lesson: `lessons/${id}/README.md`,
        quiz: `lessons/${id}/quiz.md`,
        exercise: { files: ["code.ts"] },
        points: { publicTest: 1, hiddenTest: 1, quizQuestion: 0 },
        hints: [],
      })),
    }),
  );
  const code = "export function spin(forever: boolean): number {\n  while (forever) {}\n  return 1;\n}\nexport function wait(): Promise<number> {\n  return new Promise(() => {});\n}\n";
  // Short limits keep this file quick; the course's own tests get 8 s, or the timeout they ask for.
  const short = "{ timeout: 1_000 }";
  const suites: Record<string, string[]> = {
    "90-one-stuck": [
      `test("passes before", () => expect(spin(false)).toBe(1));`,
      `test("loops", ${short}, () => expect(spin(true)).toBe(1));`,
      `test("fails for real", () => expect(spin(false)).toBe(2));`,
      `test("waits forever", ${short}, async () => expect(await wait()).toBe(1));`,
      `test("passes after", () => expect(spin(false)).toBe(1));`,
    ],
    "91-many-stuck": [
      `test("passes first", () => expect(spin(false)).toBe(1));`,
      ...[1, 2, 3, 4].map((index) => `test("loops ${index}", ${short}, () => expect(spin(true)).toBe(1));`),
      `test("never tried", () => expect(spin(false)).toBe(1));`,
    ],
  };
  for (const id of modules) {
    write(`lessons/${id}/README.md`, `# ${id}\n`);
    write(`lessons/${id}/quiz.md`, "# Quiz\n");
    write(`exercises/${id}/code.ts`, code);
    write(`tests/public/${id}.test.ts`, `import { expect, test } from "vitest";\nimport { spin, wait } from "@exercise/${id}/code";\n\n${suites[id]?.join("\n")}\n`);
  }
  mkdirSync(path.join(root, "tests", "support"), { recursive: true });
  for (const shared of ["node_modules", "grader"]) symlinkSync(path.join(courseRoot, shared), path.join(root, shared), "dir");
  return root;
}

describe("in process, a test stuck in a loop fails on its own and the others keep their results", { timeout: 120_000 }, () => {
  test("the stuck test is named with its limit, a test waiting forever too, and the rest run to their real results", async () => {
    const root = loopingCourse();
    const report = await grade({ courseRoot: root, parts: ["public"], timeoutSeconds: 20, isolation: "in-process", moduleConcurrency: 2 });
    const results = (id: string) => Object.fromEntries((report.modules.find((module) => module.id === id)?.tests ?? []).map((test) => [test.name, `${test.status}: ${test.message}`]));

    expect(results("90-one-stuck")).toEqual({
      "passes before": "passed: null",
      loops: "failed: `loops` did not finish within 1 s: an infinite loop?",
      "fails for real": expect.stringMatching(/^failed: expected 1 to be 2/),
      "waits forever": "failed: `waits forever` did not finish within 1 s: a promise that never settles?",
      "passes after": "passed: null",
    });
    expect(report.modules.find((module) => module.id === "90-one-stuck")?.problem).toBeNull();

    // After three stuck tests the suite is not tried again: each costs its whole limit.
    const notTried = "failed: not run: 3 tests before it did not finish, so the rest of the suite was not tried; fix those first";
    expect(results("91-many-stuck")).toEqual({
      "passes first": "passed: null",
      "loops 1": "failed: `loops 1` did not finish within 1 s: an infinite loop?",
      "loops 2": "failed: `loops 2` did not finish within 1 s: an infinite loop?",
      "loops 3": "failed: `loops 3` did not finish within 1 s: an infinite loop?",
      "loops 4": notTried,
      "never tried": notTried,
    });
    const located = report.modules.flatMap((module) => module.tests.filter((test) => test.status !== "passed" && !test.testLocation));
    expect(located, "every failing public test says where it is").toEqual([]);
  });
});


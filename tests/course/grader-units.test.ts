import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { describeExports } from "../../grader/course/api-shape.ts";
import { findModule, loadCourse, selectModules } from "../../grader/course/manifest.ts";
import { BoundedQuizReader, parseQuiz, wholeQuiz } from "../../grader/course/quiz.ts";
import { wrapLines } from "../../grader/cli/terminal-text.ts";
import { findUnexplainedAssertions, listSuiteTests } from "../../grader/course/suite-tests.ts";
import { GraderInputError } from "../../grader/errors.ts";
import { decodeChannel, encodeRecord, type ChannelRecord } from "../../grader/judge/channel.ts";
import { cleanMessage } from "../../grader/judge/reporter.ts";
import { tooLargeToCheck } from "../../grader/judge/submission-link.ts";
import { messageLimits } from "../../grader/submission/protocol.ts";
import { SubmissionValues } from "../../grader/submission/values.ts";
import { readQuizAnswers, type ModulePlan } from "../../grader/pipeline/plan.ts";
import { readSubmissionFile } from "../../grader/pipeline/submission-read.ts";
import { childEnvironment, type ModuleRun } from "../../grader/pipeline/run.ts";
import { behaviourMessage, scoreModule } from "../../grader/pipeline/score.ts";
import { isMaintainerOnly, isSecret, loadReleaseDeclaration } from "../../grader/release/declaration.ts";
import { studentReadme } from "../../grader/release/student-readme.ts";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { renderGradescopeResults } from "../../grader/report/gradescope.ts";
import { renderAnnotations } from "../../grader/report/annotations.ts";
import { fitStepSummary, markdownCell, markdownCode, renderMarkdownSummary, stepSummaryLimitBytes } from "../../grader/report/markdown.ts";
import { checkGradeReport } from "../../grader/report/schema.ts";
import { runCli } from "./support/cli.ts";
import { printable } from "../../grader/report/text.ts";
import type { GradeReport } from "../../grader/report/types.ts";
import { renderScorecard } from "../../grader/report/terminal.ts";
import { groupPrefixFor, planCgroups, removeAbandonedGroups, stagingPrefix } from "../../grader/pipeline/kernel-limits.ts";
import { createColors } from "picocolors";
import { course, courseRoot, readCourseFile } from "./support/course.ts";
import { useTemporaryFolders } from "./support/temporary.ts";

/** An empty folder in the system's temporary folder, removed after these tests. */
const temporaryFolder = useTemporaryFolders();

function temporaryCourse(manifest: unknown): string {
  const dir = temporaryFolder("manifest-");
  writeFileSync(path.join(dir, "course.json"), typeof manifest === "string" ? manifest : JSON.stringify(manifest));
  return dir;
}

const validModule = {
  id: "01-task-queue",
  title: "A FIFO task queue",
  lesson: "lessons/01-task-queue/README.md",
  quiz: "lessons/01-task-queue/quiz.md",
  exercise: { files: ["task-queue.ts"] },
  points: { publicTest: 0, hiddenTest: 1, quizQuestion: 1 },
  hints: [],
};
const validManifest = { title: "T", grading: { moduleTimeoutSeconds: 30, memoryLimitMb: 512 }, modules: [validModule] };

describe("course.json loader", () => {
  test("loads a valid manifest into typed modules", () => {
    const loaded = loadCourse(temporaryCourse(validManifest));
    expect(loaded.modules[0]).toMatchObject({ id: "01-task-queue", exerciseFiles: ["task-queue.ts"], points: { hiddenTest: 1 } });
    expect(loaded.moduleTimeoutSeconds).toBe(30);
  });

  test.each([
    [{ ...validManifest, modules: [{ ...validModule, hints: undefined }] }, "course.json: modules[0].hints is missing"],
    [{ ...validManifest, modules: [{ ...validModule, points: { ...validModule.points, hiddenTest: 1.5 } }] }, "course.json: modules[0].points.hiddenTest must be integer"],
    [{ ...validManifest, modules: [{ ...validModule, id: "Task Queue" }] }, "course.json: modules[0].id must match pattern"],
    [{ ...validManifest, modules: [validModule, validModule] }, 'course.json: modules[1].id "01-task-queue" is used twice'],
    [{ ...validManifest, extra: 1 }, "course.json: extra is not a known field"],
    [{ ...validManifest, grading: { moduleTimeoutSeconds: -1, memoryLimitMb: 512 } }, "course.json: grading.moduleTimeoutSeconds must be > 0"],
    ["{ not json", "course.json: not valid JSON"],
  ])("a bad manifest names the field: %#", (manifest, message) => {
    expect(() => loadCourse(temporaryCourse(manifest))).toThrow(GraderInputError);
    expect(() => loadCourse(temporaryCourse(manifest))).toThrow(message);
  });

  test("a missing manifest is an input error", () => {
    expect(() => loadCourse(temporaryFolder("none-"))).toThrow(/course.json: cannot read/);
  });

  test("modules can be named by id, number or name", () => {
    for (const query of ["01-task-queue", "01", "1", "task-queue", "TASK-QUEUE"]) {
      expect(findModule(course, query)?.id, query).toBe("01-task-queue");
    }
    expect(findModule(course, "99")).toBeUndefined();
    expect(selectModules(course, "1,01").map((m) => m.id)).toEqual(["01-task-queue"]);
    expect(() => selectModules(course, "01,nope")).toThrow('unknown module "nope"');
    expect(() => selectModules(course, "01,")).toThrow("empty module name");
  });
});

describe("quiz parser", () => {
  const quiz = `# Quiz

Intro text with a list that is not a question:

- just a note

## 1. First?

Some context.

- [ ] wrong
- [x] right
- [X] also right

## 2. Second with \`code\`?

- [ ] only option
`;

  test("reads questions, options, ticks and lines", () => {
    const parsed = parseQuiz(quiz, "quiz.md");
    expect(parsed.questions.map((q) => q.title)).toEqual(["1. First?", "2. Second with code?"]);
    expect(parsed.questions[0]?.options).toMatchObject([
      { text: "wrong", checked: false, line: 11 },
      { text: "right", checked: true, line: 12 },
      { text: "also right", checked: true, line: 13 },
    ]);
    const box = parsed.questions[0]?.options[0]?.boxOffset ?? 0;
    expect(quiz[box]).toBe(" ");
    expect(quiz.slice(box - 1, box + 2)).toBe("[ ]");
  });

  test("keeps what a reader sees: inline code in backticks, the heading without its number, and whether to pick one", () => {
    const [first, second] = parseQuiz("## 1. Does `while ((t = q.next()))` stop on `0`? (pick one)\n\n- [ ] on `0` and `false`\n- [ ] never\n\n## 2. Which? (pick all that apply)\n\n- [ ] a\n", "quiz.md").questions;
    expect(first).toMatchObject({ title: "1. Does while ((t = q.next())) stop on 0? (pick one)", shown: "Does `while ((t = q.next()))` stop on `0`? (pick one)", pickOne: true });
    expect(first?.options[0]).toMatchObject({ text: "on 0 and false", shown: "on `0` and `false`" });
    expect(second?.pickOne).toBe(false);
  });

  test.each([
    ["## Q?\n\n- [ ] a\n\n## Q?\n\n- [ ] b\n", 'quiz.md:5: question "Q?" appears twice'],
    ["Just text.\n", "quiz.md:1: no questions found"],
  ])("a quiz whose shape is broken throws, naming the line: %#", (text, message) => {
    expect(() => parseQuiz(text, "quiz.md")).toThrow(message);
  });

  // Each case: the quiz, the line of the mistake, and what the message must say. The other question still reads.
  test.each([
    ["## Q?\n\n- [x] a\n- b\n", 4, 'this option of "Q?" has no box; write "- [x]"'],
    ["## Q?\n\nNo options.\n", 1, 'question "Q?" has no options'],
    ["## Q?\n\n- [ ] a\n\nText.\n\n- [ ] b\n", 7, "split into two lists"],
    ["## Q?\n\n- [ ] a\n- [ ] a\n", 4, 'option "a" appears twice'],
    ["## Q?\n\n- [ ] a\n* [x] b\n- [ ] c\n", 4, 'this option starts with "*"; write "- [x]"'],
    ["## Q?\n\n* [x] a\n- [ ] b\n- [ ] c\n", 3, 'this option starts with "*"; write "- [x]"'],
    ["## Q?\n\n- [ ] a\n1. [x] b\n- [ ] c\n", 4, 'this option starts with "1."; write "- [x]"'],
    ["## Q?\n\n- [ ] a\n-[x] b\n- [ ] c\n", 4, 'this line is not read as an option; write "- [x]"'],
  ])("a mistake inside one question is that question's problem, at the line edited: %#", (broken, line, message) => {
    const text = `${broken}\n## Other?\n\n- [x] fine\n- [ ] also fine\n`;
    const quiz = parseQuiz(text, "quiz.md");
    expect(quiz.questions[0]?.problem?.line).toBe(line);
    expect(quiz.questions[0]?.problem?.message).toContain(message);
    expect(quiz.questions[1]?.problem).toBeNull();
    expect(quiz.questions[1]?.options.filter((option) => option.checked).map((option) => option.text)).toEqual(["fine"]);
    expect(() => wholeQuiz(quiz, "quiz.md")).toThrow(`quiz.md:${line}: `);
  });
});

describe("suite test lister", () => {
  test("lists nested tests by full name", () => {
    const source = `describe("A", () => { test("one", () => {}); describe("B", () => { it(\`two\`, { timeout: 5 }, () => {}); }); });\ntest("top", () => {});`;
    expect(listSuiteTests(source, "x.test.ts")).toEqual([
      { name: "A > one", line: 1, rules: [] },
      { name: "A > B > two", line: 1, rules: [] },
      { name: "top", line: 2, rules: [] },
    ]);
  });

  test("reads the rules each test checks from its tags and those of its describe blocks", () => {
    const source = `describe("A", { tags: ["fifo"] }, () => { test("one", { tags: ["empty", "fifo"] }, () => {}); test("two", () => {}); });\ntest("top", { tags: "size" }, () => {});`;
    expect(listSuiteTests(source, "x.test.ts").map((test) => [test.name, test.rules])).toEqual([
      ["A > one", ["fifo", "empty"]],
      ["A > two", ["fifo"]],
      ["top", ["size"]],
    ]);
    expect(() => listSuiteTests('test("t", { tags: [rule] }, () => {});', "x.test.ts")).toThrow("x.test.ts:1: a test's tags must be plain strings");
  });

  test.each([
    ['test.each([1])("n %i", () => {});', "x.test.ts:1: test.each(…) is not allowed"],
    ["test(name, () => {});", "x.test.ts:1: test(…) needs a plain string"],
    ["test(`a ${1}`, () => {});", "needs a plain string"],
    ['test("a", () => {});\ntest("a", () => {});', 'x.test.ts:2: test "a" is declared twice'],
    ['describe.skip("a", () => {});', "describe.skip(…) is not allowed"],
  ])("rejects suites it cannot list: %#", (source, message) => {
    expect(() => listSuiteTests(source, "x.test.ts")).toThrow(message);
  });

  test("finds assertions without a behaviour message", () => {
    expect(findUnexplainedAssertions('expect(a, "a should be 1").toBe(1);\nexpect(b).toBe(2);', "x")).toEqual([2]);
  });

  test("module 01's hidden suite lists every test it runs", () => {
    const names = listSuiteTests(readCourseFile("tests/hidden/01-task-queue.test.ts"), "hidden");
    expect(names.length).toBeGreaterThanOrEqual(10);
    expect(names[0]?.name).toBe("TaskQueue > dequeue returns tasks in the order they were enqueued");
  });
});

describe("results channel", () => {
  const key = "k".repeat(64);
  const record: ChannelRecord = { type: "result", file: "f", name: "n", state: "passed", message: null, location: null };

  test("round-trips signed records", () => {
    expect(decodeChannel(key, encodeRecord(key, record) + encodeRecord(key, { type: "end", unhandledErrors: [] }))).toEqual({
      records: [record, { type: "end", unhandledErrors: [] }],
      forgedLines: 0,
    });
  });

  test("rejects lines signed with another key, altered lines and junk", () => {
    const altered = encodeRecord(key, record).replace('"passed"', '"failed"');
    const text = encodeRecord("other", record) + altered + "junk\n" + `${"0".repeat(64)} {"type":"end"}\n`;
    expect(decodeChannel(key, text)).toEqual({ records: [], forgedLines: 4 });
  });
});

describe("failure messages", () => {
  test("name the student's files from their checkout, and no folder of the grader's", () => {
    const root = "/tmp/mq-grade-Ab12/01-task-queue/workspace";
    const message = `your code's process could not open /tmp/mq-grade-Ab12/01-task-queue/pipes/link-x9/answers, from ${root}/exercises/01-task-queue/task-queue.ts:3:7`;
    expect(cleanMessage({ name: "Error", message }, root)).toBe("your code's process could not open …/answers, from exercises/01-task-queue/task-queue.ts:3:7");
  });
});

describe("the bounded quiz reader", () => {
  test("a quiz built to exhaust the reader's heap is an error naming the file, and the next quiz still reads", { timeout: 30_000 }, async () => {
    const reader = new BoundedQuizReader(8_000);
    try {
      const deep = readCourseFile("tests/fixtures/submissions/01-hostile-quiz-deep/lessons/01-task-queue/quiz.md");
      // Its heap runs out in about 2 s; on a busy machine the time limit may stop it first.
      await expect(reader.read(deep, "quiz.md")).rejects.toThrow(/^quiz\.md: (is too large or nested too deeply to read|took longer than 8 s to read)/);
      const fair = await reader.read(readCourseFile("lessons/01-task-queue/quiz.md"), "quiz.md");
      expect(fair.questions.length).toBeGreaterThan(0);
    } finally {
      reader.close();
    }
  });
});

describe("terminal text", () => {
  test("wraps between words, each continuation under its line's text, and leaves short lines and long words alone", () => {
    const text = "    ✗ [hidden] Queue > keeps order: dequeue should return the oldest task first\nshort\nNext  see https://example.com/a/very/long/path/that/cannot/break";
    expect(wrapLines(text, 40).split("\n")).toEqual([
      "    ✗ [hidden] Queue > keeps order:",
      "      dequeue should return the oldest",
      "      task first",
      "short",
      "Next  see",
      "      https://example.com/a/very/long/path/that/cannot/break",
    ]);
  });
});

describe("scoring", () => {
  const plan: ModulePlan = {
    module: { ...course.modules[0]!, points: { publicTest: 0, hiddenTest: 2, quizQuestion: 1 } },
    suites: [
      { kind: "public", file: "tests/public/m.test.ts", tests: [{ name: "p", line: 1, rules: [] }] },
      {
        kind: "hidden",
        file: "tests/hidden/m.test.ts",
        tests: [
          { name: "a", line: 1, rules: [] },
          { name: "b", line: 2, rules: [] },
        ],
      },
    ],
    quiz: {
      key: { questions: [{ question: "Q1", answers: ["x"] }, { question: "Q2", answers: ["x", "y"] }, { question: "Q3", answers: ["z"] }, { question: "Q4 (pick one)", answers: ["x"] }] },
      file: "quiz.md",
      reading: { state: "answered", answers: { ticked: new Map([["Q1", ["x"]], ["Q2", ["x"]], ["Q4 (pick one)", ["x", "y"]]]), lines: new Map([["Q1", 3]]), problems: new Map() } },
    },
    notGraded: [],
    quizProgress: null,
    untouched: false,
  };
  const result = (file: string, name: string, state: "passed" | "failed", message: string | null = null): ChannelRecord => ({
    type: "result", file, name, state, message, location: null,
  });
  const run = (records: ChannelRecord[], overrides: Partial<ModuleRun> = {}): ModuleRun => ({
    outcome: "completed", records, forgedLines: 0, runningTest: null, durationMs: 5, output: "", ...overrides,
  });
  const end: ChannelRecord = { type: "end", unhandledErrors: [] };
  const context = { timeoutSeconds: 30, memoryLimitMb: 512, exercisesPath: "exercises" };

  test("scores passed tests and exact quiz answers; a missing result is an error", () => {
    const report = scoreModule(plan, run([result("tests/hidden/m.test.ts", "a", "passed"), result("tests/public/m.test.ts", "p", "passed"), end]), context);
    expect(report.tests.map((t) => [t.kind, t.name, t.status, t.score, t.maxScore])).toEqual([
      ["public", "p", "passed", 0, 0],
      ["hidden", "a", "passed", 2, 2],
      ["hidden", "b", "error", 0, 2],
      ["quiz", "Q1", "passed", 1, 1],
      ["quiz", "Q2", "failed", 0, 1],
      ["quiz", "Q3", "failed", 0, 1],
      ["quiz", "Q4 (pick one)", "failed", 0, 1],
    ]);
    expect(report.tests.find((t) => t.name === "b")?.message).toBe("did not run");
    expect(report.tests.find((t) => t.name === "Q3")?.message).toContain("missing");
    expect(report.tests.find((t) => t.name === "Q4 (pick one)")?.message).toBe("not right yet: 2 boxes are ticked, and this question takes one answer");
    expect([report.score, report.maxScore]).toEqual([3, 8]);
  });

  test("a timeout voids the module, naming the running test", () => {
    const report = scoreModule(plan, run([result("tests/hidden/m.test.ts", "a", "passed")], { outcome: "timed-out", runningTest: "b" }), { ...context, timeoutSeconds: 12 });
    expect(report.problem).toBe('timed out after 12 s while running "b": look for an infinite loop or a promise that never settles');
    expect(report.tests.filter((t) => t.kind !== "quiz").every((t) => t.status === "error" && t.score === 0)).toBe(true);
  });

  test("a run stopped at the memory limit voids the module", () => {
    const report = scoreModule(plan, run([result("tests/hidden/m.test.ts", "a", "passed")], { outcome: "out-of-memory", runningTest: "b" }), context);
    expect(report.problem).toBe('used too much memory while running "b" and was stopped: look for a structure that grows without end');
    expect(report.tests.filter((t) => t.kind === "hidden").map((t) => t.score)).toEqual([0, 0]);
  });

  test("forged lines or a test reported twice void the module", () => {
    const passing = [result("tests/hidden/m.test.ts", "a", "passed"), result("tests/hidden/m.test.ts", "b", "passed"), end];
    expect(scoreModule(plan, run(passing, { forgedLines: 1 }), context).problem).toContain("tampered");
    const twice = scoreModule(plan, run([...passing, result("tests/hidden/m.test.ts", "a", "passed")]), context);
    expect(twice.problem).toContain("tampered");
    expect(twice.tests.filter((t) => t.kind === "hidden").map((t) => t.score)).toEqual([0, 0]);
  });

  test("an unhandled error turns passes into errors", () => {
    const report = scoreModule(plan, run([result("tests/hidden/m.test.ts", "a", "passed"), { type: "end", unhandledErrors: ["boom"] }]), context);
    expect(report.tests.find((t) => t.name === "a")).toMatchObject({ status: "error", score: 0 });
    expect(report.problem).toContain("boom");
  });

  test("results for tests outside the suites never score", () => {
    const report = scoreModule(plan, run([result("tests/hidden/m.test.ts", "sneaky", "passed"), end]), context);
    expect(report.unexpectedTests).toEqual(["sneaky"]);
    expect(report.score).toBe(1);
  });

  test("a hidden test shows the behaviour its assertion names, never the expected value", () => {
    const failed = 'the secret should be right: expected 41 to be 42 // Object.is equality';
    const report = scoreModule(plan, run([result("tests/hidden/m.test.ts", "a", "failed", failed), end]), context);
    expect(report.tests.find((t) => t.name === "a")?.message).toBe("the secret should be right");
    const thrown = scoreModule(plan, run([result("tests/hidden/m.test.ts", "a", "failed", "TODO: secretAnswer"), end]), context);
    expect(thrown.tests.find((t) => t.name === "a")?.message).toBe("TODO: secretAnswer");
  });

  test("hidden failures show the behaviour, not the expected value", () => {
    expect(behaviourMessage("dequeue should return null: expected undefined to be null", "hidden")).toBe("dequeue should return null");
    expect(behaviourMessage("TODO: size()\nstack", "hidden")).toBe("TODO: size()");
    expect(behaviourMessage("expected 1 to be 2", "public")).toBe("expected 1 to be 2");
  });

  test("a hidden test never shows text the submission wrote: not its error's message or name, nor what its process printed", () => {
    const inputs = 'leak {"policy":{"region":["eu"]}}';
    expect(behaviourMessage(`${inputs}: expected `, "hidden", true)).toBe("your code threw an error in this hidden test (a hidden test never shows text from your code; the public tests of the same rule show it in full)");
    expect(behaviourMessage(`RangeError: ${inputs}`, "hidden", true)).toMatch(/^your code threw a RangeError in this hidden test/);
    expect(behaviourMessage(`AggregateError: ${inputs}`, "hidden", true)).toMatch(/^your code threw an AggregateError in/);
    expect(behaviourMessage(`LeakError${inputs}: x`, "hidden", true)).toMatch(/^your code threw an error in/);
    expect(behaviourMessage(`dequeue ${inputs} is too slow: 3,000 of 300,000 took 0.3 s`, "hidden", true)).toBe(
      "this speed check is too slow: it ran out of its CPU-time budget. The public test of the same rule names the slow operation.",
    );
    expect(behaviourMessage("TODO: size()", "hidden", true)).toBe("your code threw a TODO error: this part of the stub is not written yet");
    expect(behaviourMessage(`your code's process exited with code 3 (did it call process.exit?) during TaskQueue.enqueue(); it printed: ${inputs}`, "hidden")).toBe(
      "your code's process exited with code 3 (did it call process.exit?) during TaskQueue.enqueue()",
    );
    expect(behaviourMessage(`RangeError: ${inputs}`, "public", true)).toBe(`RangeError: ${inputs}`);
  });
});

describe("report text", () => {
  test("escape sequences and control characters from a submission are neutralised", () => {
    expect(printable("\u001b[2Kfake\u0007 line\nnext\r")).toBe("fake\uFFFD line\nnext\uFFFD");
  });

  test("bidirectional overrides, invisible characters and Unicode line breaks show as replacement marks", () => {
    for (const hidden of ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u061c", "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u2028", "\u2029", "\u0085"]) {
      expect(printable(`a${hidden}b`), `U+${hidden.codePointAt(0)?.toString(16)}`).toBe("a\uFFFDb");
    }
    expect(printable("déjà vu ✓ — 日本")).toBe("déjà vu ✓ — 日本");
  });

  test("a job summary past GitHub's 1 MiB limit ends at a whole line, with a note", () => {
    const huge = Array.from({ length: 40_000 }, (_, index) => `| row ${index} | ${"é".repeat(20)} |`).join("\n");
    const fitted = fitStepSummary(huge);
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(stepSummaryLimitBytes);
    expect(fitted).toMatch(/\| row \d+ \| é{20} \|\n\n> The rest of this summary is left off/);
    expect(fitStepSummary("short\n")).toBe("short\n");
  });

  test("annotations carry no bidirectional or invisible characters", () => {
    const located: GradeReport = {
      ...report,
      modules: report.modules.map((module) => ({
        ...module,
        tests: module.tests.map((test) => ({ ...test, status: "failed" as const, message: "admin\u202etxt.exe\u200b", location: { file: "exercises/01-task-queue/task-queue.ts", line: 3, column: 1 } })),
      })),
    };
    const lines = renderAnnotations(located);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toMatch(/[\u202e\u200b]/);
  });
});

describe("API shape", () => {
  test("tells apart exports whose signatures differ", () => {
    const dir = temporaryFolder("shape-");
    mkdirSync(dir, { recursive: true });
    const a = path.join(dir, "a.ts");
    const b = path.join(dir, "b.ts");
    writeFileSync(a, "export class Q<T = unknown> { private x = 1; add(item: T): void {} size(): number { return this.x; } }\nexport type P = 'a' | 'b';");
    writeFileSync(b, "export class Q<T = unknown> { add(item: T, priority?: number): void {} size(): number { return 0; } }\nexport type P = 'a' | 'b';");
    const shapes = describeExports([a, b]);
    const shapeOf = (file: string, name: string) => shapes.get(file)?.find((line) => line.startsWith(`${name}:`));
    expect(shapeOf(a, "Q")).toBeDefined();
    expect(shapeOf(a, "Q")).not.toEqual(shapeOf(b, "Q"));
    expect(shapeOf(a, "P")).toEqual(shapeOf(b, "P"));
    expect(shapeOf(a, "Q"), "private members are not part of the API").not.toContain("x:");
  });
});

describe("release declaration and student README", () => {
  test("a malformed release/release.json is an input error naming the field", () => {
    const dir = temporaryFolder("declaration-");
    mkdirSync(path.join(dir, "release"));
    const declaration = JSON.parse(readCourseFile("release/release.json")) as { neverShips: Array<Record<string, unknown>> };
    delete declaration.neverShips[1]?.["why"];
    writeFileSync(path.join(dir, "release", "release.json"), JSON.stringify(declaration));
    expect(() => loadReleaseDeclaration(dir)).toThrow(GraderInputError);
    expect(() => loadReleaseDeclaration(dir)).toThrow("release/release.json: neverShips[1].why is missing");
    writeFileSync(path.join(dir, "release", "release.json"), "{ not json");
    expect(() => loadReleaseDeclaration(dir)).toThrow(/^release\/release\.json: cannot be read/);
  });

  test("what never ships: folders by prefix, files exactly; secrets are a subset", () => {
    const declaration = loadReleaseDeclaration(courseRoot);
    expect(isMaintainerOnly(declaration, "solutions/01-task-queue/task-queue.ts")).toBe(true);
    expect(isMaintainerOnly(declaration, "INSTRUCTORS.md")).toBe(true);
    expect(isMaintainerOnly(declaration, "lessons/INSTRUCTORS.md")).toBe(false);
    expect(isMaintainerOnly(declaration, "tests/public/01-task-queue.test.ts")).toBe(false);
    expect(isSecret(declaration, "tests/hidden/quiz-keys/01-task-queue.json")).toBe(true);
    expect(isSecret(declaration, "tests/course/lint.test.ts")).toBe(false);
  });

  test("the student README is the title and the marked blocks, in order; broken markers are input errors", () => {
    const readme = "# Title\n\nsource only\n\n<!-- student-readme:start -->\n\nfirst\n\n<!-- student-readme:end -->\n\nmiddle\n\n<!-- student-readme:start -->\n\n## second\n\n<!-- student-readme:end -->\n";
    expect(studentReadme(readme)).toBe("# Title\n\nfirst\n\n## second\n");
    expect(() => studentReadme("# Title\n\nno blocks\n")).toThrow(/has no <!-- student-readme:start -->/);
    expect(() => studentReadme("# Title\n\n<!-- student-readme:start -->\n\nopen\n")).toThrow(/never closed/);
    expect(() => studentReadme("no title\n\n<!-- student-readme:start -->\n\nx\n\n<!-- student-readme:end -->\n")).toThrow(/no "# " title/);
  });
});

/** A small report for the renderers, with one test of each outcome. */
const report: GradeReport = {
  version: 1,
  isolation: "sandbox",
  isolationNote: null,
  limits: { cpu: "cgroup v1", memory: "cgroup v1", processes: "cgroup v1" },
  machineFaults: [],
  course: "Course",
  submission: "your submission",
  gradedAt: "2026-01-01T00:00:00.000Z",
  score: 1,
  maxScore: 3,
  leftOut: [],
  ignored: [],
  ignoredCount: 0,
  durationMs: 2_400,
  modules: [
    {
      id: "01-task-queue",
      title: "A FIFO task queue",
      score: 1,
      maxScore: 3,
      problem: null,
      unexpectedTests: [],
      notGraded: [],
      quizProgress: null,
      untouched: false,
      durationMs: 1,
      tests: [
        { name: "passes", kind: "public", status: "passed", score: 1, maxScore: 1, message: null, location: null, rules: ["fifo"] },
        { name: "fails", kind: "hidden", status: "failed", score: 0, maxScore: 1, message: "dequeue should ```not``` break <b>out</b>", location: { file: "exercises/01-task-queue/task-queue.ts", line: 7, column: 3 }, rules: ["fifo"] },
        { name: "crashes", kind: "hidden", status: "error", score: 0, maxScore: 1, message: "timed out", location: null, rules: ["speed"] },
      ],
    },
  ],
};

describe("Gradescope results", () => {
  test("one Gradescope test per graded item, errors as failures, messages fenced so Markdown cannot act on them", () => {
    const results = renderGradescopeResults(report);
    expect(results.score).toBe(1);
    expect(results.stdout_visibility).toBe("hidden");
    expect(results.tests.map((test) => [test.name, test.status, test.score, test.max_score, test.number])).toEqual([
      ["01-task-queue public test: passes", "passed", 1, 1, "1.1"],
      ["01-task-queue hidden test: fails", "failed", 0, 1, "1.2"],
      ["01-task-queue hidden test: crashes", "failed", 0, 1, "1.3"],
    ]);
    expect(results.tests[1]?.output).toBe(
      "````text\ndequeue should ```not``` break <b>out</b>\n````\n\nAt `exercises/01-task-queue/task-queue.ts:7`\n\nChecks `rule [fifo]`, as the module's stub and lesson state it.",
    );
    expect(results.tests[0]?.output).toBe("");
  });
});

describe("Markdown summary of hostile text", () => {
  const hostile = "see https://evil.example/x and www.evil.example <img src=x onerror=alert(1)> [click](http://evil.example) | a ``pipe`` \u001b[31mred\r\n::error::pwned";

  interface MarkdownNode {
    type: string;
    children?: MarkdownNode[];
  }
  const kinds = (node: MarkdownNode): string[] => [node.type, ...(node.children ?? []).flatMap(kinds)];

  test("submission text never becomes a link, HTML or a table break in the job summary", () => {
    const module = { ...report.modules[0]!, problem: hostile, notGraded: ["quiz answers"], quizProgress: { answered: 0, questions: 0, problem: hostile } };
    module.tests = module.tests.map((test) => (test.status === "passed" ? test : { ...test, message: hostile, location: { file: "exercises/[x](http://evil.example).ts", line: 1, column: 1 } }));
    const summary = renderMarkdownSummary({ ...report, modules: [module], ignored: ["exercises/<b>bold</b>.md"], ignoredCount: 1 });
    const tree = fromMarkdown(summary, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }) as MarkdownNode;
    expect(kinds(tree).filter((kind) => kind === "link" || kind === "html" || kind === "image")).toEqual([]);
    const tables = tree.children?.filter((node) => node.type === "table") ?? [];
    for (const table of tables) {
      const widths = (table.children ?? []).map((row) => row.children?.length);
      expect(new Set(widths).size, "every row keeps the table's five columns").toBe(1);
    }
    expect(summary).not.toContain("\u001b");
    expect(summary).not.toContain("\r");
  });

  test("a code span survives backticks at its ends and inside", () => {
    expect(markdownCode("plain")).toBe("`plain`");
    expect(markdownCode("`tick`")).toBe("`` `tick` ``");
    expect(markdownCode("a ``b`` c")).toBe("```a ``b`` c```");
    expect(markdownCode("x | y", "table")).toBe("`x \\| y`");
    expect(markdownCode("   ")).toBe("");
  });
});

describe("the test processes' environment", () => {
  test("never carries the speed-budget stretch that coverage and mutation runs set, nor CI credentials", () => {
    const saved = { scale: process.env["MQ_SPEED_BUDGET_SCALE"], token: process.env["GITHUB_TOKEN"] };
    process.env["MQ_SPEED_BUDGET_SCALE"] = "1000";
    process.env["GITHUB_TOKEN"] = "secret";
    try {
      const env = childEnvironment(512, "marker", null);
      expect(env["MQ_SPEED_BUDGET_SCALE"]).toBeUndefined();
      expect(env["GITHUB_TOKEN"]).toBeUndefined();
      expect(env["MQ_GRADER_RUN"]).toBe("marker");
    } finally {
      for (const [name, value] of [["MQ_SPEED_BUDGET_SCALE", saved.scale], ["GITHUB_TOKEN", saved.token]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

const plainColors = createColors(false);

describe("kernel limits", () => {
  /** A folder standing in for a cgroup mount: making a group and writing a limit work in it as they would in the real one. */
  function fakeMount(name: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), `mq-cgroup-${name}-`));
    cleanups.push(dir);
    return dir;
  }
  const cleanups: string[] = [];
  afterAll(() => {
    for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
  });

  test("cgroup v1: each controller's group is found from mountinfo and the process's own cgroup, and the limits are held there", () => {
    const cpu = fakeMount("cpu");
    const memory = fakeMount("memory");
    mkdirSync(path.join(memory, "job", "7"), { recursive: true });
    const mountinfo = [
      `32 31 0:29 / ${cpu} rw,relatime - cgroup cgroup rw,cpu`,
      `35 31 0:32 / ${memory} rw,relatime - cgroup cgroup rw,memory`,
      "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
    ].join("\n");
    const plan = planCgroups({ mountinfo, cgroup: "4:memory:/job/7\n1:cpu:/\n0::/\n" });
    expect(plan.parents).toEqual({ cpu: { version: 1, dir: cpu }, memory: { version: 1, dir: path.join(memory, "job", "7") } });
    // No pids hierarchy, and v2 has nothing delegated: the watchdog holds that one.
    expect(plan.held).toEqual({ cpu: "cgroup v1", memory: "cgroup v1", processes: "watchdog" });
  });

  test("cgroup v2: only controllers the parent already delegates; a group inside the mount's own root is found below it", () => {
    const unified = fakeMount("unified");
    mkdirSync(path.join(unified, "grading"), { recursive: true });
    writeFileSync(path.join(unified, "grading", "cgroup.subtree_control"), "cpu pids\n");
    // The mount shows /outer as its root (a cgroup namespace's view): /outer/grading is "grading" below it.
    const plan = planCgroups({ mountinfo: `41 31 0:38 /outer ${unified} rw - cgroup2 cgroup2 rw`, cgroup: "0::/outer/grading\n" });
    expect(plan.parents).toEqual({ cpu: { version: 2, dir: path.join(unified, "grading") }, pids: { version: 2, dir: path.join(unified, "grading") } });
    expect(plan.held).toEqual({ cpu: "cgroup v2", memory: "watchdog", processes: "cgroup v2" });
  });

  test("where nothing is mounted or nothing may be written, the watchdog holds every limit", () => {
    expect(planCgroups({ mountinfo: "", cgroup: "" }).held).toEqual({ cpu: "watchdog", memory: "watchdog", processes: "watchdog" });
    const readOnly = planCgroups({ mountinfo: "32 31 0:29 / /proc/self rw - cgroup cgroup rw,cpu", cgroup: "1:cpu:/\n" });
    expect(readOnly.held.cpu).toBe("watchdog");
  });

  test("a killed grader's empty groups go when the next grader starts; a live grading's, and one still holding a process, stay", () => {
    const parent = fakeMount("leftovers");
    const live = mkdtempSync(path.join(os.tmpdir(), stagingPrefix));
    cleanups.push(live);
    const names = { abandoned: "mq-grader-mq-grade-Gone12-01-task-queue-aa", live: `${groupPrefixFor(live)}01-task-queue-bb`, busy: "mq-grader-mq-grade-Gone34-01-task-queue-cc", other: "someone-else" };
    for (const name of Object.values(names)) mkdirSync(path.join(parent, name));
    // A group holding a process cannot be removed; a file in a plain folder stands in for it here.
    writeFileSync(path.join(parent, names.busy, "cgroup.procs"), "123\n");
    removeAbandonedGroups({ parents: { cpu: { version: 1, dir: parent } }, held: { cpu: "cgroup v1", memory: "watchdog", processes: "watchdog" } });
    expect(readdirSync(parent).sort()).toEqual([names.busy, names.live, names.other].sort());
  });

  test("every output of a grading without the sandbox says how it ran; a sandboxed one says nothing of it", () => {
    const note = "graded without the sandbox (bubblewrap could not start a sandbox here (no userns)): the submission ran as the unprivileged user nobody, with resource limits";
    const unsandboxed: GradeReport = { ...report, isolation: "user", isolationNote: note };
    expect(renderScorecard(unsandboxed, plainColors)).toContain(`! Isolation: ${note}`);
    expect(renderMarkdownSummary(unsandboxed)).toContain(`> **Isolation: ${note}**`);
    expect(renderGradescopeResults(unsandboxed).output).toContain(`Isolation: ${note}`);
    expect(renderScorecard(report, plainColors)).not.toContain("Isolation");
    expect(renderMarkdownSummary(report)).not.toContain("Isolation");
  });
});

describe("the hardened reader", () => {
  test("a student's own quiz linked to /dev/stdin, or their exercise to /dev/zero, is named and never read", () => {
    const checkout = mkdtempSync(path.join(os.tmpdir(), "mq-hardened-"));
    try {
      const module = course.modules[0]!;
      mkdirSync(path.join(checkout, path.dirname(module.quiz)), { recursive: true });
      symlinkSync("/dev/stdin", path.join(checkout, module.quiz));
      expect(() => readQuizAnswers(checkout, module)).toThrow(/quiz\.md: is a symbolic link/);
      mkdirSync(path.join(checkout, "exercises"), { recursive: true });
      symlinkSync("/dev/zero", path.join(checkout, "exercises", "zero.ts"));
      expect(readSubmissionFile(checkout, path.join(checkout, "exercises", "zero.ts"), 1024)).toEqual({ ok: false, problem: "is a symbolic link; the grader reads only a regular file" });
      expect(readSubmissionFile(checkout, path.join(checkout, "exercises", `${"d".repeat(300)}.ts`), 1024)).toEqual({ ok: false, problem: "cannot be read (ENAMETOOLONG)" });
      writeFileSync(path.join(checkout, "exercises", "big.ts"), "x".repeat(2048));
      expect(readSubmissionFile(checkout, path.join(checkout, "exercises", "big.ts"), 1024)).toEqual({ ok: false, problem: "is larger than 1 KiB" });
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });
});

describe("the size of what the submission sends", () => {
  const values = new SubmissionValues(() => undefined, os.tmpdir());
  const manyKeys = Object.fromEntries(Array.from({ length: 1_500 }, (_, index) => [`k${index}`, index]));

  test("the harness sends a marker in place of a value past the limits, and an honest value whole", () => {
    expect(values.encode("x".repeat(messageLimits.stringLength + 1))).toEqual({ $: "too-large", what: "string", size: messageLimits.stringLength + 1 });
    expect(values.encode({ inner: manyKeys })).toMatchObject({ $: "live", snapshot: { own: [["inner", true, { $: "too-large", what: "object", size: 1_500 }]] } });
    expect(values.encode(new Array(messageLimits.arrayLength + 1))).toEqual({ $: "too-large", what: "array", size: messageLimits.arrayLength + 1 });
    expect(values.encodeError(new Error("e".repeat(messageLimits.stringLength + 1)))).toMatchObject({ $: "too-large", what: "string" });
    // An array's items are not keys: 60,000 of them come through.
    const long = values.encode(Array.from({ length: 60_000 }, (_, index) => index));
    expect(long).toMatchObject({ $: "live", array: true });
    expect(tooLargeToCheck({ kind: "reply", value: long })).toBeNull();
  });

  test("the judge finds a value past the limits however the message was written, and names it in its own words", () => {
    const own = Array.from({ length: 1_500 }, (_, index) => [`k${index}`, true, index]);
    expect(tooLargeToCheck({ kind: "reply", value: { $: "live", snapshot: { own, inherited: [] } } })).toBe("an object of 1,500 keys; the limit is 1,000");
    expect(tooLargeToCheck({ sync: [{ id: 1, entries: own.map(([key, , value]) => [key, value]) }] })).toBe("an object of 1,500 keys; the limit is 1,000");
    expect(tooLargeToCheck({ value: "x".repeat(messageLimits.stringLength + 1) })).toBe("a string of 100,001 characters; the limit is 100,000");
    expect(tooLargeToCheck({ value: new Array(messageLimits.arrayLength + 1).fill(0) })).toBe("an array of 500,001 items; the limit is 500,000");
    // The harness's marker is believed, since a forged one stops only the process that sent it; a forged size reads as 0.
    expect(tooLargeToCheck({ value: { $: "too-large", what: "array", size: 600_000 } })).toBe("an array of 600,000 items; the limit is 500,000");
    expect(tooLargeToCheck({ value: { $: "too-large", what: "<b>", size: "1e400" } })).toBe("an object of 0 keys; the limit is 1,000");
    // An array's entries are its items, not keys.
    const items = Array.from({ length: 1_500 }, (_, index) => [String(index), true, index]);
    expect(tooLargeToCheck({ value: { $: "live", array: true, snapshot: { own: items, inherited: [] } } })).toBeNull();
  });
});

describe("Gradescope's visibility of the hidden tests", () => {
  const report = checkGradeReport(JSON.parse(readCourseFile("tests/course/golden/inputs/wrong-lifo.report.json")), "wrong-lifo.report.json");
  const hiddenNames = report.modules.flatMap((module) => module.tests.filter((t) => t.kind === "hidden").map((t) => t.name));

  test("each choice sets the hidden tests' visibility and keeps their names and results out of the output until then", () => {
    expect(hiddenNames.length).toBeGreaterThan(0);
    for (const visibility of ["after_due_date", "after_published", "hidden"] as const) {
      const results = renderGradescopeResults(report, visibility);
      expect(new Set(results.tests.filter((t) => t.tags.includes("hidden")).map((t) => t.visibility))).toEqual(new Set([visibility]));
      expect(new Set(results.tests.filter((t) => !t.tags.includes("hidden")).map((t) => t.visibility))).toEqual(new Set(["visible"]));
      for (const name of hiddenNames) expect(results.output).not.toContain(markdownCell(name));
      expect(results.output).toMatch(/The hidden tests \(\d+ points\) are graded too, and count in your score/);
      expect(results.score, "the score still counts every point").toBe(report.score);
    }
    const visible = renderGradescopeResults(report, "visible");
    expect(visible.tests.every((t) => t.visibility === "visible")).toBe(true);
    expect(visible.output).not.toContain("The hidden tests");
  });

  test("npm run release -- --gradescope and npm run gradebook take a choice and refuse anything else", () => {
    const refused = runCli("release", ["--gradescope", path.join(os.tmpdir(), "never.zip"), "--hidden-visibility", "soon"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim()).toBe('error: --hidden-visibility: "soon" is not one of after_due_date, after_published, hidden, visible');
    const alone = runCli("release", ["--out", path.join(os.tmpdir(), "never"), "--hidden-visibility", "visible"]);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain("--hidden-visibility goes with --gradescope");
    const gradebook = runCli("gradebook", ["--roster", path.join(os.tmpdir(), "never.csv"), "--out", path.join(os.tmpdir(), "never-gradebook"), "--hidden-visibility", "soon"]);
    expect(gradebook.status).toBe(2);
    expect(gradebook.stderr.trim()).toBe('error: --hidden-visibility: "soon" is not one of after_due_date, after_published, hidden, visible');
  });
});

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { loadCourse, type Course, type CourseModule } from "../../grader/course/manifest.ts";
import { parseQuiz, quizProblems, wholeQuiz } from "../../grader/course/quiz.ts";
import { stubRules } from "../../grader/course/rules.ts";
import { quizProgress, readQuizAnswers } from "../../grader/pipeline/plan.ts";
import type { ModuleReport, TestReport } from "../../grader/report/types.ts";
import { failingPublicTests, hintStateFile, hintToReveal, renderHints, revealHint, seenHints, type FailingTest } from "../../grader/student/hints.ts";
import { firstUnanswered } from "../../grader/student/quiz-answers.ts";
import { moduleNames } from "../../scripts/new-module/names.ts";
import { manifestEntry } from "../../scripts/new-module/registry.ts";
import { starterRules } from "../../scripts/new-module/rules.ts";
import { course, exerciseModules, readCourseFile } from "./support/course.ts";
import { useTemporaryFolders } from "./support/temporary.ts";

/** An empty folder in the system's temporary folder, removed after these tests. */
const temporaryFolder = useTemporaryFolders();

/** The rules a module's stubs state, as rules.ts reads them: the ids a hint may name. */
function stubRuleIds(module: CourseModule): string[] {
  return (module.exerciseFiles ?? []).flatMap((file) => stubRules(readCourseFile(`exercises/${module.id}/${file}`), `exercises/${module.id}/${file}`)).map((rule) => rule.id);
}

/**
 * Rules of a module with public tests that no hint names, each with the reason
 * none is needed. A failing test about such a rule gets the next hint in order.
 */
const unhinted: Record<string, Record<string, string>> = {};

describe("hints name the rules they help with", () => {
  for (const module of course.modules) {
    describe(module.id, () => {
      const stated = stubRuleIds(module);

      if (!module.exerciseFiles) {
        test("a module without an exercise has hints about its quiz, naming no rule", () => {
          expect(module.hints.length).toBeGreaterThan(0);
          expect(module.hints.filter((hint) => hint.rules.length > 0).map((hint) => hint.text)).toEqual([]);
        });
        return;
      }

      test("the stubs state rules, and every hint names some of them", () => {
        expect(stated.length, `${module.id}'s stubs state no rules`).toBeGreaterThan(0);
        expect(module.hints.length).toBeGreaterThan(0);
        expect(module.hints.filter((hint) => hint.rules.length === 0).map((hint) => hint.text), "hints that name no rule").toEqual([]);
        const unknown = module.hints.flatMap((hint, index) => hint.rules.filter((rule) => !stated.includes(rule)).map((rule) => `hint ${index + 1}: [${rule}]`));
        expect(unknown, "rules that hints name but the stubs do not state").toEqual([]);
      });

      test("every rule is named by a hint, or says why none is needed", () => {
        const named = new Set(module.hints.flatMap((hint) => hint.rules));
        const excused = unhinted[module.id] ?? {};
        const missing = stated.filter((rule) => !named.has(rule) && !(rule in excused));
        expect(missing.map((rule) => `[${rule}]`), "rules no hint names: name them in a hint, or give the reason in `unhinted`").toEqual([]);
        const stale = Object.keys(excused).filter((rule) => named.has(rule) || !stated.includes(rule));
        expect(stale, "reasons for rules that a hint names, or that the stubs no longer state").toEqual([]);
      });
    });
  }

  test("the reasons in unhinted are about modules with an exercise", () => {
    expect(Object.keys(unhinted).filter((id) => !exerciseModules.some((module) => module.id === id))).toEqual([]);
  });

  test("npm run new-module writes hints that name every rule of its starter, and only those", () => {
    const names = moduleNames("10-rate-limiter", "Rate limiting");
    const rules = starterRules(names).map((rule) => rule.id);
    const hints = manifestEntry(names).hints;
    expect(hints.flatMap((hint) => hint.rules).filter((rule) => !rules.includes(rule))).toEqual([]);
    expect(rules.filter((rule) => !hints.some((hint) => hint.rules.includes(rule)))).toEqual([]);
  });
});

describe("course.json hints", () => {
  const manifest = (hints: unknown[]) => ({
    title: "T",
    grading: { moduleTimeoutSeconds: 30, memoryLimitMb: 512 },
    modules: [{ id: "01-task-queue", title: "Q", lesson: "lessons/01/README.md", quiz: "lessons/01/quiz.md", exercise: { files: ["task-queue.ts"] }, points: { publicTest: 1, hiddenTest: 1, quizQuestion: 1 }, hints }],
  });
  const load = (hints: unknown[]) => {
    const dir = temporaryFolder("hints-manifest-");
    writeFileSync(path.join(dir, "course.json"), JSON.stringify(manifest(hints)));
    return loadCourse(dir);
  };

  test("a hint is a string (about no rule) or names its rules", () => {
    expect(load(["plain", { rules: ["fifo", "size"], text: "named" }]).modules[0]?.hints).toEqual([
      { rules: [], text: "plain" },
      { rules: ["fifo", "size"], text: "named" },
    ]);
  });

  test.each([
    [{ text: "no rules" }],
    [{ rules: [], text: "an empty list" }],
    [{ rules: ["Not An Id"], text: "a rule that is no id" }],
    [{ rules: ["fifo", "fifo"], text: "a rule twice" }],
    [{ rules: ["fifo"], text: "" }],
    [{ rules: ["fifo"], text: "t", why: "an unknown field" }],
  ])("refused: %j", (hint) => {
    expect(() => load([hint])).toThrow(/^course\.json: modules\[0\]\.hints\[0\]/);
  });
});

/** A module of four hints, each about its own rule but the last, which names two. */
const module: CourseModule = {
  ...course.modules[1]!,
  id: "01-task-queue",
  hints: [
    { rules: ["fifo"], text: "order" },
    { rules: ["empty-null"], text: "empty" },
    { rules: ["speed"], text: "fast" },
    { rules: ["size", "empty-null"], text: "count" },
  ],
};
const failing = (name: string, ...rules: string[]): FailingTest => ({ name, rules });

describe("which hint comes next", () => {
  test("the first unseen hint naming a rule of the first failing test", () => {
    const tests = [failing("empty gives null", "empty-null"), failing("order", "fifo")];
    expect(hintToReveal(module, tests, new Set())).toEqual({ index: 1, reason: { kind: "failing-test", test: "empty gives null", rules: ["empty-null"] } });
    expect(hintToReveal(module, tests, new Set([1]))).toEqual({ index: 3, reason: { kind: "failing-test", test: "empty gives null", rules: ["empty-null"] } });
    // Only the test's own rules that the hint names are given.
    expect(hintToReveal(module, [failing("size and speed", "speed", "size")], new Set([2]))?.reason).toEqual({ kind: "failing-test", test: "size and speed", rules: ["size"] });
  });

  test("once that test's hints are seen, the rest in course order, saying so", () => {
    expect(hintToReveal(module, [failing("empty gives null", "empty-null"), failing("order", "fifo")], new Set([1, 3]))).toEqual({
      index: 0,
      reason: { kind: "no-hint-for-test", test: "empty gives null", rules: ["empty-null"] },
    });
  });

  test("every public test passing, or no run to go by: course order", () => {
    expect(hintToReveal(module, [], new Set([0]))).toEqual({ index: 1, reason: { kind: "all-passing" } });
    expect(hintToReveal(module, null, new Set([0, 1]))).toEqual({ index: 2, reason: { kind: "in-order" } });
  });

  test("none once every hint is seen", () => {
    expect(hintToReveal(module, [failing("order", "fifo")], new Set([0, 1, 2, 3]))).toBeNull();
  });

  test("the failing tests come from the module's own report: public ones, in suite order", () => {
    const test = (name: string, kind: TestReport["kind"], status: TestReport["status"], rules: string[]): TestReport => ({ name, kind, status, rules, score: 0, maxScore: 1, message: null, location: null });
    const report = {
      id: module.id,
      tests: [test("passes", "public", "passed", ["fifo"]), test("fails", "public", "failed", ["size"]), test("hidden", "hidden", "failed", ["speed"]), test("errs", "public", "error", ["empty-null"])],
    } as Pick<ModuleReport, "id" | "tests"> as ModuleReport;
    expect(failingPublicTests(module, report)).toEqual([failing("fails", "size"), failing("errs", "empty-null")]);
    expect(failingPublicTests(module, { ...report, id: "02-priority-queue" }), "a report of the module before the loop moved on").toBeNull();
    expect(failingPublicTests(module, undefined)).toBeNull();
  });
});

describe("hint progress", () => {
  const studentCourse = (): Course => ({ ...course, root: temporaryFolder("hint-state-") });
  const writeState = (target: Course, state: unknown) => {
    mkdirSync(path.dirname(hintStateFile(target)), { recursive: true });
    writeFileSync(hintStateFile(target), JSON.stringify(state));
  };
  const readState = (target: Course): unknown => JSON.parse(readFileSync(hintStateFile(target), "utf8"));
  const report = (rules: string[]) => ({ id: module.id, tests: [{ name: "t", kind: "public", status: "failed", rules, score: 0, maxScore: 1, message: "x", location: null }] }) as Pick<ModuleReport, "id" | "tests"> as ModuleReport;

  test("is kept as the indexes of the hints revealed, other modules left as they were", () => {
    const target = studentCourse();
    writeState(target, { "00-message-queues": 2 });
    const view = revealHint(target, module, { reveal: true, report: report(["speed"]) });
    expect(view).toEqual({ earlier: [], latest: { index: 2, reason: { kind: "failing-test", test: "t", rules: ["speed"] } }, remaining: 3 });
    expect(readState(target)).toEqual({ "00-message-queues": 2, [module.id]: [2] });
    revealHint(target, module, { reveal: true, report: report(["size"]) });
    expect(readState(target)).toEqual({ "00-message-queues": 2, [module.id]: [2, 3] });
    expect(seenHints(target, module)).toEqual(new Set([2, 3]));
  });

  test("reads the count an older copy kept: n means hints 1 to n were seen", () => {
    const target = studentCourse();
    writeState(target, { [module.id]: 2 });
    expect(seenHints(target, module)).toEqual(new Set([0, 1]));
    expect(revealHint(target, module, { reveal: true }).latest?.index).toBe(2);
    expect(readState(target)).toEqual({ [module.id]: [0, 1, 2] });
  });

  test("ignores what it cannot read, and --reset hides them all again", () => {
    const target = studentCourse();
    writeState(target, { [module.id]: [3, -1, 1.5, "2", 99, 3] });
    expect(seenHints(target, module)).toEqual(new Set([3]));
    writeFileSync(hintStateFile(target), "not json");
    expect(seenHints(target, module)).toEqual(new Set());
    writeState(target, { [module.id]: [0, 1] });
    revealHint(target, module, { reveal: false, reset: true });
    expect(readState(target)).toEqual({ [module.id]: [] });
  });
});

describe("how a hint is shown", () => {
  test("with its rules as the stub writes them, and the failing test it is for", () => {
    const text = renderHints(module, { earlier: [0], latest: { index: 3, reason: { kind: "failing-test", test: "TaskQueue > size counts", rules: ["size"] } }, remaining: 2 });
    expect(text).toBe(
      ["Hint 1 of 4: [fifo] order", 'For the failing test "TaskQueue > size counts" (rule [size]):\nHint 4 of 4: [size] [empty-null] count', "2 more hints left: run it again to see the next."].join("\n\n"),
    );
  });

  test("says when it comes in order instead, and how to see the next in the loop", () => {
    const passing = renderHints(module, { earlier: [], latest: { index: 0, reason: { kind: "all-passing" } }, remaining: 1 }, "press h again");
    expect(passing).toContain(`Every public test of ${module.id} passes, so hints come in order:\nHint 1 of 4: [fifo] order`);
    expect(passing).toContain("1 more hint left: press h again to see the next.");
    const spent = renderHints(module, { earlier: [1, 3], latest: { index: 0, reason: { kind: "no-hint-for-test", test: "t", rules: ["empty-null", "size"] } }, remaining: 0 });
    expect(spent).toContain('No hint is left for the failing test "t" (rules [empty-null], [size]): reread those rules in the stub. The next hint in order:\nHint 1 of 4');
    expect(spent).toMatch(/That was the last hint\.$/);
  });

  test("a hint about no rule shows no brackets", () => {
    const quizModule = course.modules.find((entry) => entry.exerciseFiles === null)!;
    expect(renderHints(quizModule, { earlier: [], latest: { index: 0, reason: { kind: "in-order" } }, remaining: 1 })).toMatch(new RegExp(`^Hint 1 of ${quizModule.hints.length}: [^[]`));
  });
});

describe("quiz format problems come all at once", () => {
  const broken = [
    "# Quiz", // 1
    "", // 2
    "## 1. First?", // 3
    "", // 4
    "- [ ] a", // 5
    "- b", // 6
    "- c", // 7
    "", // 8
    "## 2. Second?", // 9
    "", // 10
    "- [ ] a", // 11
    "* [x] b", // 12
    "- [ ] c", // 13
    "* [ ] d", // 14
    "", // 15
    "## 1. First?", // 16
    "", // 17
    "-[x] e", // 18
    "", // 19
    "## 3. Third?", // 20
    "", // 21
    "- [x] fine", // 22
    "",
  ].join("\n");

  const noBox = (title: string) => `this option of "${title}" has no box; write "- [x]" (a dash, a space, then the box), or "- [ ]" to leave it unticked`;
  const starred = 'this option starts with "*"; write "- [x]" (a dash, a space, then the box) like the other options';

  test("every problem of every question, and of the file's shape, by line", () => {
    expect(quizProblems(broken).map((problem) => [problem.line, problem.message])).toEqual([
      [6, noBox("1. First?")],
      [7, noBox("1. First?")],
      [12, starred],
      [14, starred],
      [16, 'question "1. First?" appears twice'],
      [16, 'question "1. First?" has no options; add a task list ("- [ ] answer")'],
      [18, 'this line is not read as an option; write "- [x]" (a dash, a space, then the box)'],
    ]);
  });

  test("parseQuiz and wholeQuiz still stop at the first, for the callers that want one", () => {
    expect(() => parseQuiz(broken, "quiz.md")).toThrow(/^quiz\.md:16: question "1\. First\?" appears twice$/);
    const mended = broken.replace("## 1. First?\n\n-[x] e", "## 4. Fourth?\n\n- [x] e");
    const quiz = parseQuiz(mended, "quiz.md");
    expect(quiz.questions[0]?.problem).toEqual(quiz.questions[0]?.problems[0]);
    expect(quiz.questions[0]?.problems.map((problem) => problem.line)).toEqual([6, 7]);
    expect(quiz.problems.map((problem) => problem.line)).toEqual([6, 7, 12, 14]);
    expect(() => wholeQuiz(quiz, "quiz.md")).toThrow(/^quiz\.md:6: /);
  });

  test("a quiz the course ships has none", () => {
    for (const entry of course.modules) expect(quizProblems(readCourseFile(entry.quiz)), entry.quiz).toEqual([]);
  });

  test("quizProgress keeps problem, the first, and lists every problem of the quiz in problems, so a student mends them all in one go", () => {
    const checkout = temporaryFolder("quiz-progress-");
    const quizModule = course.modules[1]!;
    mkdirSync(path.join(checkout, path.dirname(quizModule.quiz)), { recursive: true });
    writeFileSync(path.join(checkout, quizModule.quiz), broken.replace("## 1. First?\n\n-[x] e", "## 4. Fourth?\n\n- [x] e"));
    const progress = quizProgress(readQuizAnswers(checkout, quizModule)!);
    // Every problem, by line, as the scorecard and the annotations list them.
    expect(progress.problems).toEqual([6, 7, 12, 14].map((line) => `${quizModule.quiz}:${line}: ${line < 12 ? noBox("1. First?") : starred}`));
    expect(progress.problem).toBe(progress.problems[0]);
    expect(progress).toMatchObject({ answered: 2, questions: 4 });
  });
});

describe("the quiz resumes", () => {
  const question = (...ticks: boolean[]) => ({ options: ticks.map((checked) => ({ checked })) });
  test("at the first question with nothing ticked, or nowhere once every one is answered", () => {
    expect(firstUnanswered([question(false, true), question(true), question(false, false), question(false)])).toBe(2);
    expect(firstUnanswered([question(false)])).toBe(0);
    expect(firstUnanswered([question(true), question(false, true)])).toBeNull();
  });
});

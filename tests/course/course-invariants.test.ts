import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Nodes } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { toString } from "mdast-util-to-string";
import { beforeAll, describe, expect, test } from "vitest";
import { describeExports } from "../../grader/course/api-shape.ts";
import { suitePaths } from "../../grader/course/manifest.ts";
import { parseQuiz, picksOne } from "../../grader/course/quiz.ts";
import { loadQuizKey } from "../../grader/course/quiz-key.ts";
import { findUnexplainedAssertions, listSuiteTests } from "../../grader/course/suite-tests.ts";
import { grade } from "../../grader/grade.ts";
import type { GradeReport } from "../../grader/report/types.ts";
import { course, courseRoot, exerciseModules, foldersIn, readCourseFile } from "./support/course.ts";
import { publishedReport } from "./support/report-schema.ts";

describe("the manifest, the files and the quiz keys agree", () => {
  test("every file the manifest names exists", () => {
    const missing: string[] = [];
    for (const module of course.modules) {
      const paths = suitePaths(module);
      const files = [module.lesson, module.quiz, paths.quizKey, ...module.experiments.map((id) => `experiments/${id}.ts`)];
      if (module.exerciseFiles) {
        files.push(paths.public, paths.hidden);
        for (const file of module.exerciseFiles) files.push(`exercises/${module.id}/${file}`, `solutions/${module.id}/${file}`);
      }
      missing.push(...files.filter((file) => !existsSync(path.join(courseRoot, file))));
    }
    expect(missing).toEqual([]);
  });

  test("no module folder is missing from the manifest", () => {
    const known = new Set(course.modules.map((module) => module.id));
    const withExercise = new Set(exerciseModules.map((module) => module.id));
    expect(foldersIn("lessons").filter((id) => !known.has(id))).toEqual([]);
    expect(foldersIn("exercises").filter((id) => !withExercise.has(id))).toEqual([]);
    expect(foldersIn("solutions").filter((id) => !withExercise.has(id))).toEqual([]);
    const suites = (kind: string) =>
      readdirSync(path.join(courseRoot, "tests", kind)).filter((file) => file.endsWith(".test.ts")).map((file) => file.replace(".test.ts", ""));
    expect(suites("public").filter((id) => !withExercise.has(id))).toEqual([]);
    expect(suites("hidden").filter((id) => !withExercise.has(id))).toEqual([]);
  });

  for (const module of course.modules) {
    test(`${module.id}: every quiz question has a key, says how many to pick, every key names options that exist and explains its answers, and nothing is ticked`, () => {
      const quiz = parseQuiz(readCourseFile(module.quiz), module.quiz);
      const key = loadQuizKey(path.join(courseRoot, suitePaths(module).quizKey), suitePaths(module).quizKey);
      expect(quiz.questions.length, "a quiz has at least 5 questions").toBeGreaterThanOrEqual(5);
      expect(key.questions.map((q) => q.question)).toEqual(quiz.questions.map((q) => q.title));
      for (const { question, answers } of key.questions) {
        const options = quiz.questions.find((q) => q.title === question)?.options.map((o) => o.text) ?? [];
        expect(answers.filter((answer) => !options.includes(answer)), `answers of "${question}" that are not options`).toEqual([]);
        expect(question, "each question ends (pick one) or (pick all that apply)").toMatch(/\((pick one|pick all that apply)\)$/);
        if (picksOne(question)) expect(answers, `"${question}" takes one answer`).toHaveLength(1);
      }
      // What a student reads in their feedback, after grading, for a question they got wrong.
      expect(key.questions.filter((q) => !q.explanation).map((q) => q.question), "questions whose key has no explanation").toEqual([]);
      const ticked = quiz.questions.flatMap((q) => q.options.filter((o) => o.checked).map((o) => `${module.quiz}:${o.line}`));
      expect(ticked, "the course's own quiz must ship unanswered").toEqual([]);
    });
  }
});

describe("graded suites can be listed and explain their failures", () => {
  for (const module of exerciseModules) {
    test(`${module.id}: the suites declare plain, unique test names`, () => {
      for (const file of [suitePaths(module).public, suitePaths(module).hidden]) {
        expect(listSuiteTests(readCourseFile(file), file).length, `${file} declares tests`).toBeGreaterThan(0);
      }
    });

    test(`${module.id}: every hidden assertion states the behaviour it checks`, () => {
      const file = suitePaths(module).hidden;
      const lines = findUnexplainedAssertions(readCourseFile(file), file);
      expect(lines.map((line) => `${file}:${line} expect(value) needs a message: expect(value, "… should …")`)).toEqual([]);
    });
  }
});

describe("stubs and solutions export the same API", () => {
  for (const module of exerciseModules) {
    for (const file of module.exerciseFiles ?? []) {
      test(`${module.id}/${file}`, () => {
        const stub = path.join(courseRoot, "exercises", module.id, file);
        const solution = path.join(courseRoot, "solutions", module.id, file);
        const shapes = describeExports([stub, solution]);
        expect(shapes.get(stub), "the stub's exports").toEqual(shapes.get(solution));
        expect(shapes.get(stub)?.length, "the module exports something").toBeGreaterThan(0);
      });
    }
  }
});

/** Inline code in a Markdown node and all it holds. */
function inlineCodes(node: Nodes): string[] {
  if (node.type === "inlineCode") return [node.value];
  return "children" in node ? node.children.flatMap((child) => inlineCodes(child)) : [];
}

// A lesson a student works through: it says up front what they will be able
// to do, how long it takes and what it assumes; it asks them to predict before
// it reveals; its "In real systems" is folded, one system per <details>; and a
// lesson with an exercise shows how to test an edge case of their own.
describe("each lesson opens with its aims, time and prerequisites, asks before it tells, and folds its real systems", () => {
  for (const module of course.modules) {
    test(module.id, () => {
      const lesson = readCourseFile(module.lesson);
      const opening = lesson.split("\n## ")[0] ?? "";
      expect(opening, "the opening, before the first section").toContain("**You will be able to:**");
      expect(opening).toMatch(/^\*\*Time:\*\* about .+\*\*Assumes:\*\* .+/m);
      const reveals = (lesson.match(/<summary>(Reveal|Flaw \d+: .+)<\/summary>/g) ?? []).length;
      expect(reveals, "a question answered in a <details> the student opens").toBeGreaterThanOrEqual(1);
      const realSystems = /\n## In real systems\n([\s\S]*?)(?=\n## |$)/.exec(lesson)?.[1] ?? "";
      expect(realSystems, "an In real systems section").not.toBe("");
      const unfolded = realSystems.replace(/<details>[\s\S]*?<\/details>/g, "");
      expect(unfolded.match(/^### .+$/gm) ?? [], "each system folded in a <details>, not under a heading of its own").toEqual([]);
      if (module.exerciseFiles !== null) {
        expect(lesson, "a lesson with an exercise asks before it tells").toContain("> **Predict, then reveal.**");
        expect(lesson, "and shows how to write one's own test").toMatch(/\n## Write your own test\n[\s\S]*scratch\/[\s\S]*npx vitest run scratch/);
        expect(realSystems).toContain("<details>");
      }
    });
  }
});

// A value the lesson's rules name (a number, a constant, a string) is a case
// the grader tests, so the stub a student reads first must name it too.
const ruleValue = /^(-?[\d.]+|Number\.\w+|-?Infinity|NaN|"[^"]*")$/;

describe("each stub states the values its lesson's rules name", () => {
  for (const module of exerciseModules) {
    test(module.id, () => {
      const lesson = readCourseFile(module.lesson);
      const blocks = fromMarkdown(lesson).children;
      const intro = blocks.findIndex((block) => block.type === "paragraph" && toString(block).startsWith("The rules"));
      const rules = blocks[intro + 1];
      const stub = (module.exerciseFiles ?? []).map((file) => readCourseFile(`exercises/${module.id}/${file}`)).join("\n");
      const values = intro >= 0 && rules?.type === "list" ? inlineCodes(rules).filter((code) => ruleValue.test(code)) : [];
      // A quoted string is distinctive as it stands; a number must be written as code ("`0`", not any 0).
      const named = (value: string) => stub.includes(value.startsWith('"') ? value : `\`${value}\``);
      expect(values.filter((value) => !named(value)), `values in ${module.lesson}'s rules that the stub does not name`).toEqual([]);
    });
  }
});

// The reference solutions earn full marks through the judge in judge-fidelity.test.ts.
// The stubs are the course's own code: graded in one process, which fails the same tests
// as the judge (judge-fidelity.test.ts), in seconds rather than a sandboxed minute.
describe("the stubs earn nothing on the hidden suites", () => {
  let report: GradeReport;
  beforeAll(async () => {
    report = publishedReport(await grade({ isolation: "in-process" }));
  });

  for (const module of exerciseModules) {
    test(`${module.id}: every hidden test fails with a message a student can act on`, () => {
      const hidden = report.modules.find((m) => m.id === module.id)?.tests.filter((t) => t.kind === "hidden") ?? [];
      expect(hidden.length).toBe(listSuiteTests(readCourseFile(suitePaths(module).hidden), "hidden").length);
      for (const test of hidden) {
        expect(test.status, `${test.name} should fail on the stub, not error`).toBe("failed");
        expect(test.score).toBe(0);
        expect(test.message ?? "", `${test.name} needs a helpful message`).toMatch(/\w{3,}.*\w{3,}/);
        expect(test.message ?? "", `${test.name} should name a behaviour, not print values`).not.toMatch(/^expected /);
      }
    });
  }
});

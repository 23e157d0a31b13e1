import { describe, expect, test } from "vitest";
import { suitePaths } from "../../grader/course/manifest.ts";
import { lessonRules, ruleIdPattern, stubRules, type Rule } from "../../grader/course/rules.ts";
import { listSuiteTests, type SuiteTest } from "../../grader/course/suite-tests.ts";
import { exerciseModules, readCourseFile } from "./support/course.ts";

// A suite checks what the module's documents state, and nothing else. Each
// rule is a list item that starts with its id, in the stub's doc comment and
// in the lesson; every public and hidden test names the rules it checks in
// its tags. So a hidden test can only check a stated rule, and every stated
// rule has a public test that warns before the hidden ones grade it.

function rulesOf(module: (typeof exerciseModules)[number]): { stub: Rule[]; lesson: Rule[] } {
  const stub = (module.exerciseFiles ?? []).flatMap((file) => stubRules(readCourseFile(`exercises/${module.id}/${file}`), `exercises/${module.id}/${file}`));
  return { stub, lesson: lessonRules(readCourseFile(module.lesson), module.lesson) };
}

function suiteTests(module: (typeof exerciseModules)[number], kind: "public" | "hidden"): SuiteTest[] {
  const file = suitePaths(module)[kind];
  return listSuiteTests(readCourseFile(file), file);
}

describe("every rule is stated in the stub and the lesson, and checked by tests that name it", () => {
  for (const module of exerciseModules) {
    describe(module.id, () => {
      const { stub, lesson } = rulesOf(module);
      const ids = new Set(stub.map((rule) => rule.id));

      test("the stub states its rules, each with an id of its own", () => {
        expect(stub.length, `${module.id}'s stub states no rules as "- [id] …"`).toBeGreaterThan(0);
        expect(stub.filter((rule) => !ruleIdPattern.test(rule.id)).map((rule) => `${rule.where}: [${rule.id}]`), "ids must be lower-case words joined by hyphens").toEqual([]);
        const repeated = stub.filter((rule, index) => stub.findIndex((other) => other.id === rule.id) !== index);
        expect(repeated.map((rule) => `${rule.where}: [${rule.id}]`), "an id names one rule").toEqual([]);
      });

      test("the lesson states the same rules", () => {
        const inLesson = new Set(lesson.map((rule) => rule.id));
        expect(stub.filter((rule) => !inLesson.has(rule.id)).map((rule) => `[${rule.id}] (${rule.where})`), `rules of the stub that ${module.lesson} does not state`).toEqual([]);
        expect(lesson.filter((rule) => !ids.has(rule.id)).map((rule) => `[${rule.id}] (${rule.where})`), "rules of the lesson that the stub does not state").toEqual([]);
      });

      for (const kind of ["public", "hidden"] as const) {
        test(`every ${kind} test names the rules it checks, and each is a stated rule`, () => {
          const tests = suiteTests(module, kind);
          expect(tests.filter((entry) => entry.rules.length === 0).map((entry) => entry.name), `${kind} tests with no rule in their tags`).toEqual([]);
          const unknown = tests.flatMap((entry) => entry.rules.filter((rule) => !ids.has(rule)).map((rule) => `${entry.name}: [${rule}]`));
          expect(unknown, `${kind} tests naming rules the stub does not state`).toEqual([]);
        });

        test(`every rule has a ${kind} test`, () => {
          const checked = new Set(suiteTests(module, kind).flatMap((entry) => entry.rules));
          expect(stub.filter((rule) => !checked.has(rule.id)).map((rule) => `[${rule.id}] ${rule.text}`), `rules no ${kind} test checks`).toEqual([]);
        });
      }
    });
  }
});

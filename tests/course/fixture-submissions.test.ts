import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { grade } from "../../grader/grade.ts";
import { courseRoot } from "./support/course.ts";

/** tests/fixtures/submissions/<name>/expected.json */
interface ExpectedResult {
  only: string;
  score: number;
  /** Tests that must fail: the ones that define this fixture's mistake. */
  mustFail: string[];
  /** Text the module's problem line must contain, e.g. "timed out after". */
  problemIncludes?: string;
  timeoutSeconds?: number;
}

const fixturesDir = path.join(courseRoot, "tests", "fixtures", "submissions");
const fixtures = readdirSync(fixturesDir).sort();

// Each fixture is a whole submission graded the way a student's push is.
describe.concurrent("fixture submissions get exactly their expected scores", () => {
  for (const name of fixtures) {
    test(name, async () => {
      const dir = path.join(fixturesDir, name);
      const expected = JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8")) as ExpectedResult;
      const report = await grade({ submission: dir, only: expected.only, timeoutSeconds: expected.timeoutSeconds });
      const [module] = report.modules;
      const failing = module?.tests.filter((t) => t.status !== "passed").map((t) => t.name) ?? [];
      expect(failing, "tests that must fail").toEqual(expect.arrayContaining(expected.mustFail));
      if (expected.problemIncludes) expect(module?.problem ?? "").toContain(expected.problemIncludes);
      expect(report.score, `score; not passing: ${failing.join(" | ")}`).toBe(expected.score);
    });
  }
});

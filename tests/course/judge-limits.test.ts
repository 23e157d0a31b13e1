import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { grade } from "../../grader/grade.ts";
import { listSuiteTests } from "../../grader/course/suite-tests.ts";
import { courseRoot } from "./support/course.ts";

// Answers that once held the judge until the module's time limit (a 20 MB
// string, 300,000 keys, a promise that never settles, callbacks without end)
// each end within the call deadline. A course of one module, graded through
// the judge; its suite (tests/fixtures/judge-limits) states the limits, and
// its "solution" is the hostile code.

const fixture = path.join(courseRoot, "tests", "fixtures", "judge-limits");
const scratch = mkdtempSync(path.join(os.tmpdir(), "mq-judge-limits-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test("every hostile answer ends within its deadline, in the judge's words, and the module is graded in full", { timeout: 120_000 }, async () => {
  cpSync(fixture, scratch, { recursive: true });
  cpSync(path.join(courseRoot, "tests", "support"), path.join(scratch, "tests", "support"), { recursive: true });
  for (const shared of ["node_modules", "grader"]) symlinkSync(path.join(courseRoot, shared), path.join(scratch, shared), "dir");
  const report = await grade({ courseRoot: scratch, solutions: true });
  expect(report.isolation).not.toBe("in-process");
  const failing = report.modules.flatMap((module) => module.tests.filter((t) => t.status !== "passed" && t.kind !== "quiz").map((t) => `${t.name}: ${t.message}`));
  expect(failing).toEqual([]);
  expect(report.machineFaults, "no module ran out of its time").toEqual([]);
  const suite = path.join("tests", "public", "91-judge-limits.test.ts");
  expect(report.modules[0]?.tests.filter((t) => t.kind === "public").length, "every test of its suite ran").toBe(listSuiteTests(readFileSync(path.join(fixture, suite), "utf8"), suite).length);
});

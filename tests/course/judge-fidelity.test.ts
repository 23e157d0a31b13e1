import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { grade, type GradeOptions } from "../../grader/grade.ts";
import type { GradeReport } from "../../grader/report/types.ts";
import { courseRoot } from "./support/course.ts";
import { expectedScore, fixturesDir, readExpected } from "./support/fixture-expectations.ts";

// The judge runs a submission in a process of its own and shows the suites
// its values through stand-ins. It is faithful when a suite observes the
// same through it as when it imports the code directly: every public and
// hidden suite runs both ways over the reference solutions and over correct
// fixtures written in every style the contract allows (a class per returned
// record, error hierarchies, getters, numeric timer handles, frozen results,
// #private fields, Symbol- and Map-based storage), and the two runs must
// agree test by test. The probe module checks each kind of value on its own.

const correctFixtures = readdirSync(fixturesDir)
  .filter((name) => name.includes("-correct-"))
  .sort();

type Result = { status: string; message: string | null };

/** Every test of a report, by module, kind and name. */
function results(report: GradeReport): Map<string, Result> {
  const found = new Map<string, Result>();
  for (const module of report.modules) {
    for (const test of module.tests) {
      if (test.kind !== "quiz") found.set(`${module.id} ${test.kind} "${test.name}"`, { status: test.status, message: test.message ?? null });
    }
  }
  return found;
}

/** The tests whose results differ, each with what each run said. */
function differences(inProcess: GradeReport, judged: GradeReport): string[] {
  const local = results(inProcess);
  const remote = results(judged);
  const describe = (result: Result | undefined) => (result ? `${result.status}${result.message ? ` (${result.message.slice(0, 400)})` : ""}` : "absent");
  return [...new Set([...local.keys(), ...remote.keys()])]
    .filter((key) => local.get(key)?.status !== remote.get(key)?.status)
    .map((key) => `${key}: in one process ${describe(local.get(key))}; through the judge ${describe(remote.get(key))}`);
}

/** Grades the same code twice: with the suites importing it, and through the judge (in the sandbox where it can start). */
async function bothWays(options: GradeOptions): Promise<{ inProcess: GradeReport; judged: GradeReport }> {
  const [inProcess, judged] = await Promise.all([
    grade({ ...options, parts: ["public", "hidden"], isolation: "in-process" }),
    grade({ ...options, parts: ["public", "hidden"] }),
  ]);
  expect(judged.isolation).not.toBe("in-process");
  return { inProcess, judged };
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe.concurrent("the judge shows a suite what one process would", { timeout: 150_000 }, () => {
  test("the probe: records, getters, errors, objects passed in and timers", async () => {
    // A course of one module, whose suite states what one process sees of each kind of value.
    const root = mkdtempSync(path.join(os.tmpdir(), "mq-judge-probe-"));
    scratch.push(root);
    cpSync(path.join(fixturesDir, "..", "judge-probe"), root, { recursive: true });
    cpSync(path.join(courseRoot, "tests", "support"), path.join(root, "tests", "support"), { recursive: true });
    for (const shared of ["node_modules", "grader"]) symlinkSync(path.join(courseRoot, shared), path.join(root, shared), "dir");
    const { inProcess, judged } = await bothWays({ courseRoot: root, solutions: true });
    const failing = (report: GradeReport) => report.modules.flatMap((module) => module.tests.filter((t) => t.status !== "passed").map((t) => `${t.name}: ${t.message}`));
    expect(failing(inProcess), "the probe suite must hold in one process: it states what one process sees").toEqual([]);
    expect(differences(inProcess, judged)).toEqual([]);
    expect(inProcess.modules[0]?.tests.length).toBeGreaterThan(15);
  });

  test("the reference solutions: every suite, test by test, and full marks through the judge", async () => {
    const { inProcess, judged } = await bothWays({ solutions: true });
    expect(differences(inProcess, judged)).toEqual([]);
    for (const module of judged.modules) {
      const notPassing = module.tests.filter((t) => t.status !== "passed").map((t) => `${t.name}: ${t.message}`);
      expect(notPassing, module.id).toEqual([]);
      expect(module.problem, module.id).toBeNull();
      expect(module.unexpectedTests, `${module.id}: tests that ran but are not in the static list (loops around test?)`).toEqual([]);
    }
    expect(judged.score).toBe(judged.maxScore);
  });

  for (const name of correctFixtures) {
    test(`the correct fixture ${name}, test by test`, async () => {
      const dir = path.join(fixturesDir, name);
      const expected = readExpected(name);
      const { inProcess, judged } = await bothWays({ submission: dir, only: expected.only });
      expect(differences(inProcess, judged)).toEqual([]);
      const notPassing = judged.modules.flatMap((module) => module.tests.filter((t) => t.status !== "passed").map((t) => `${t.name}: ${t.message}`));
      expect(notPassing, "a correct fixture earns every point").toEqual([]);
      expect(judged.score).toBe(expectedScore(expected));
    });
  }
});

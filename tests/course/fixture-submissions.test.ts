import { existsSync, readdirSync, readlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { grade } from "../../grader/grade.ts";
import { probeSandbox } from "../../grader/pipeline/submission-process.ts";
import { expectedScore, fixturesDir, readExpected } from "./support/fixture-expectations.ts";
import { publishedReport } from "./support/report-schema.ts";

// The grader fails closed without the sandbox; a developer's machine without bubblewrap grades the fixtures unsandboxed on purpose.
const unsandboxed = probeSandbox().isolation !== "sandbox";
// The correct fixtures are graded in judge-fidelity.test.ts, both ways, with their expected scores.
const fixtures = readdirSync(fixturesDir)
  .filter((name) => !name.includes("-correct-"))
  .sort();

/** Processes still working in a grading workspace that has already been removed (Linux: read from /proc). */
function strayProcesses(): string[] {
  const stray: string[] = [];
  if (!existsSync("/proc/self")) return stray;
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd.includes("mq-grade-") && cwd.endsWith("(deleted)")) stray.push(`${pid} in ${cwd}`);
    } catch {
      // exited meanwhile
    }
  }
  return stray;
}

/** For each wrong fixture, whether its module's public suite caught it (some public test failed). */
const caughtByPublic = new Map<string, boolean>();
/** How much of a module's wrong code its public suite alone must catch (scripts/public-strength.ts measures the same, with mutants too). */
const publicStrengthGoal = 0.8;

// Each fixture is a whole submission graded the way a student's push is,
// several at once on a machine that may have two cores. A module that takes
// 8 s alone has been seen to pass 60 s there, so a fixture that does not test
// the time limit gets twice course.json's.
const moduleTimeLimitSeconds = 120;
describe.concurrent("fixture submissions get exactly their expected scores", { timeout: 150_000 }, () => {
  afterAll(() => {
    expect(strayProcesses(), "processes that outlived their grade").toEqual([]);
  });

  for (const name of fixtures) {
    test(name, async () => {
      const dir = path.join(fixturesDir, name);
      const expected = readExpected(name);
      const report = publishedReport(await grade({ submission: dir, only: expected.only, timeoutSeconds: expected.timeoutSeconds ?? moduleTimeLimitSeconds, isolation: unsandboxed ? "process" : undefined }));
      const [module] = report.modules;
      const failing = module?.tests.filter((t) => t.status !== "passed").map((t) => t.name) ?? [];
      if (name.includes("-wrong-")) caughtByPublic.set(name, module?.tests.some((t) => t.kind === "public" && t.status !== "passed") ?? false);
      expect(failing, "tests that must fail").toEqual(expect.arrayContaining(expected.mustFail));
      if (expected.problemIncludes) expect(module?.problem ?? "").toContain(expected.problemIncludes);
      // Whatever a submission does, it cannot make the grading look spoiled by the machine; only a fixture that expects its module to time out may.
      else expect(report.machineFaults, "what the machine may have caused").toEqual([]);
      if (expected.ignoredIncludes) expect(report.ignored).toEqual(expect.arrayContaining(expected.ignoredIncludes));
      if (expected.messagesInclude) {
        expect(module?.tests.map((t) => t.message ?? "")).toContainEqual(expect.stringContaining(expected.messagesInclude));
      }
      if (expected.messagesExclude) {
        const visible = [module?.problem ?? "", ...(module?.tests.map((t) => t.message ?? "") ?? [])].join("\n");
        expect(visible).not.toContain(expected.messagesExclude);
      }
      expect(report.score, `score; not passing: ${failing.join(" | ")}`).toBe(expectedScore(expected));
    });
  }
});

// Runs after every fixture above is graded.
describe("the public suites warn before the hidden ones grade", () => {
  for (const prefix of [...new Set(fixtures.filter((name) => name.includes("-wrong-")).map((name) => name.slice(0, 2)))]) {
    test(`module ${prefix}'s public suite catches at least ${publicStrengthGoal * 100}% of its wrong fixtures`, () => {
      const graded = [...caughtByPublic].filter(([name]) => name.startsWith(`${prefix}-`));
      const missed = graded.filter(([, caught]) => !caught).map(([name]) => name);
      expect(graded.length, "every wrong fixture was graded").toBe(fixtures.filter((name) => name.startsWith(`${prefix}-wrong-`)).length);
      expect(missed.length / graded.length, `wrong fixtures whose public tests all pass: ${missed.join(", ")}`).toBeLessThanOrEqual(1 - publicStrengthGoal);
    });
  }
});

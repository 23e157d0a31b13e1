import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { heapMeasurementFlags } from "../../grader/pipeline/heap-flags.ts";
import { launchSpec } from "../../grader/pipeline/submission-process.ts";
import studentConfig from "../../vitest.config.ts";
import { courseRoot } from "./support/course.ts";

const probe = path.join(courseRoot, "tests", "course", "support", "heap-probe.ts");
/** What module 02's public memory test allows. */
const publicBound = 1_000_000;

/** The bytes the probe's memory workload says a leaking queue kept, in a process started with `flags`. */
function retainedBytes(flags: string[]): number {
  const run = spawnSync(process.execPath, ["--import", "tsx", ...flags, probe], { cwd: courseRoot, encoding: "utf8", timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return Number(run.stdout.trim());
}

describe("memory checks weigh only what the queue keeps", () => {
  // V8's background compiler, slowed down by a few milliseconds a job, leaves
  // a compile job of the speed workload pending when the memory workload
  // starts: without the flags, this leaking queue then reads as keeping
  // nothing (negative bytes) in most of these runs, on Node 20 and on Node 24.
  test("a queue that leaks is caught even when a compile job from the test before is still pending", () => {
    for (const delayMs of [10, 20, 50]) {
      expect(retainedBytes([...heapMeasurementFlags, `--concurrent-recompilation-delay=${delayMs}`]), `compile jobs slowed by ${delayMs} ms`).toBeGreaterThan(publicBound);
    }
  });

  test("every process that runs a memory check starts with those flags", () => {
    const bundle = { dir: "/bundle", harness: "/bundle/harness/harness.mjs", exerciseDir: "/bundle/exercises", workloads: "/bundle/support/workloads.mjs" };
    for (const isolation of ["process", "user", "sandbox"] as const) {
      expect(launchSpec(isolation, bundle, ["task-queue"], 512, "/pipes", "mq-grader-test-").args).toEqual(expect.arrayContaining(heapMeasurementFlags));
    }
    // The judge's config builds a reporter when it loads, so it is read, not imported.
    const judgeConfig = readFileSync(path.join(courseRoot, "grader", "judge", "grading.config.ts"), "utf8");
    expect(judgeConfig).toMatch(/^\s*execArgv: \[[^\]]*\.\.\.heapMeasurementFlags[^\]]*\],$/m);
    expect(studentConfig.test?.execArgv).toEqual(expect.arrayContaining(heapMeasurementFlags));
  });
});

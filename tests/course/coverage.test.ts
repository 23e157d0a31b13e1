import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { courseRoot } from "./support/course.ts";

// The hidden suites alone must run every line and branch of every reference
// solution: code no hidden test runs is behaviour a wrong submission could
// get wrong unnoticed. A line that cannot run (a defensive throw) is marked
// `/* v8 ignore next */` with the reason beside it. The speed and memory
// checks are left out: they run the same lines a million times over, and
// instrumented, that takes minutes (mutation testing runs them, to catch a
// compaction that never happens). A long model check can pass vitest's 5 s
// test timeout when instrumented on a busy machine, so the timeout is raised.
test("the hidden suites cover every line, branch and function of the reference solutions", () => {
  const reports = mkdtempSync(path.join(os.tmpdir(), "mq-coverage-"));
  try {
    const vitest = path.join(courseRoot, "node_modules", "vitest", "vitest.mjs");
    const result = spawnSync(
      process.execPath,
      [
        vitest,
        "run",
        "--config",
        "vitest.config.ts",
        "--reporter=dot",
        // Instrumented code on a busy machine runs several times slower; this check is about lines, not time.
        "--testTimeout=30000",
        "--tags-filter=!speed && !sim-speed && !memory",
        "--coverage.enabled",
        "--coverage.provider=v8",
        "--coverage.include=solutions/**",
        "--coverage.reporter=text",
        `--coverage.reportsDirectory=${reports}`,
        "--coverage.thresholds.lines=100",
        "--coverage.thresholds.branches=100",
        "--coverage.thresholds.functions=100",
        "--coverage.thresholds.statements=100",
      ],
      { cwd: courseRoot, encoding: "utf8", env: { ...process.env, SUITES: "hidden", EXERCISES: "solutions", NO_COLOR: "1" }, timeout: 240_000 },
    );
    const table = result.stdout.slice(result.stdout.indexOf("Coverage report"));
    expect(result.status, `${table}\n${result.stderr.slice(-2000)}`).toBe(0);
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}, 240_000);

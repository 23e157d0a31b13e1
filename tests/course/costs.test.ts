import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { listConcurrency } from "../../grader/gradebook/pushes.ts";
import { assumptions, billedMinutes, estimateCosts, measurementsPath, parseMeasurements, renderCosts, uncontendedSeconds, type Measurements } from "../../scripts/costs/model.ts";
import { courseRoot, readCourseFile } from "./support/course.ts";

const committed = () => parseMeasurements(readCourseFile(measurementsPath), measurementsPath);

const step = (wall: number, cpu: number | null = wall) => ({ wall, cpu });

/**
 * A measurement with round numbers, so each figure below can be worked out by
 * hand: npm ci was slowed by other work (45 s, 30 s of CPU), the sample class
 * kept both cores busy (128 s of CPU in 100 s), the practice grading did not.
 */
const sample: Measurements = {
  version: 1,
  measuredOn: "2026-11-20",
  machine: { node: "v24.0.0", cores: 2, platform: "linux x64", loadAverage: 1.5 },
  sampleStudents: 4,
  steps: {
    npmCi: step(45, 30), npmCiStudent: step(20), rosterReader: step(1, 0.2), sandboxSetup: null, gradebookStart: step(4), gradebookOne: step(34),
    gradebookSample: step(100, 128), gradebookSampleCached: step(8), mergeStart: step(1), mergeSample: step(1.4), practiceGrade: step(25, 60), pushesSample: step(1),
  },
};

function costsCommand(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", path.join(courseRoot, "scripts", "costs.ts"), ...args], { cwd: courseRoot, encoding: "utf8" });
}

describe("the costs of the course's Actions", () => {
  test("INSTRUCTORS.md's cost tables are exactly the rendering of the committed measurements", () => {
    const guide = readCourseFile("INSTRUCTORS.md");
    const between = /<!-- costs:start[^>]*-->\n\n([\s\S]*?)\n\n<!-- costs:end -->/.exec(guide)?.[1];
    expect(between, "INSTRUCTORS.md has the costs markers").toBeDefined();
    expect(between).toBe(renderCosts(committed()));
  });

  test("each job is billed in whole minutes, rounded up on its own", () => {
    expect([0.5, 59.9, 60, 60.1, 179.9, 180].map(billedMinutes)).toEqual([1, 1, 1, 2, 3, 3]);
    // Two jobs of 10 s are two minutes, not one.
    expect(billedMinutes(10) + billedMinutes(10)).toBe(2);
  });

  test("jobs, runs and months add up from the measurements and the stated assumptions", () => {
    const costs = estimateCosts(sample);
    const billed = Object.fromEntries(Object.entries(costs.jobs).map(([name, cost]) => [name, [cost.measuredSeconds, cost.githubSeconds, cost.billed]]));
    expect(billed).toEqual({
      // 1 + 1 measured; 20 s of runner, 200 ls-remotes of 0.5 s, 8 at a time.
      pushes: [2, 34.5, 1],
      // npm ci 30 + gradebook start 4 + 50 students × 15 s; runner 20 + apt-get 15 + 50 fetches of 1 s, 2 at a time.
      shardFirst: [784, 844, 15],
      shardCached: [84, 144, 3],
      shardOnePush: [113, 173, 3],
      merge: [51, 71, 2],
      practice: [45, 65, 2],
    });
    expect(costs.runs).toEqual({ quiet: 1, onePush: 1 + 3 * 3 + 3 + 2, full: 1 + 4 * 15 + 2 });
    expect(costs.month).toEqual({ quiet: 720, typical: 360 * 15 + 360 * 1, busy: 720 * 15, practice: 200 * 40 * 2, total: 360 * 15 + 360 + 200 * 40 * 2 });
    // Measured apt-get replaces the assumed one.
    expect(estimateCosts({ ...sample, steps: { ...sample.steps, sandboxSetup: step(40, 2) } }).jobs.shardFirst).toMatchObject({ measuredSeconds: 824, githubSeconds: 869 });
  });

  test("a step's time with the machine to itself: the wall time, or the CPU time over the cores it keeps busy when that is shorter; network waits keep the wall time", () => {
    expect(uncontendedSeconds(step(100, 128), "all", 2)).toBe(64);
    expect(uncontendedSeconds(step(100, 128), 1, 2)).toBe(100);
    expect(uncontendedSeconds(step(45, 30), 1, 2)).toBe(30);
    expect(uncontendedSeconds(step(25, 60), "all", 2)).toBe(25);
    expect(uncontendedSeconds(step(9, 0.5), "network", 2)).toBe(9);
    expect(uncontendedSeconds(step(9, null), 1, 2)).toBe(9);
  });

  test("the rendering names the plans' included minutes and each month's share of them", () => {
    const text = renderCosts(sample);
    expect(text).toContain("| Month, class of 200 | Billed minutes | Of 2,000 (GitHub Free) | Of 3,000 (GitHub Team) |");
    expect(text).toContain("| Scheduled runs, nobody pushes (720 runs) | 720 | 36% | 24% |");
    expect(text).toContain("| In all: pushes in 360 of 720 hours, and practice runs | 21,760 | 1,088% | 725% |");
    expect(text).toContain("| Hourly, one student pushed | 15 |");
    expect(text).toContain("| Shard, first grading of 50 students | 784 s | 844 s | 15 |");
    expect(text).toContain("apt-get for the sandbox 15 s (not measured here)");
  });

  test("the assumptions match the workflow they describe: its shards, and how many repositories the pushes job lists at once", () => {
    const workflow = parse(readCourseFile(".github/workflows/gradebook.yml")) as { jobs: { shard: { strategy: { matrix: { shard: number[] } } } } };
    expect(assumptions.shards).toBe(workflow.jobs.shard.strategy.matrix.shard.length);
    expect(assumptions.listConcurrency).toBe(listConcurrency);
  });

  test("npm run costs -- --render prints the committed tables without measuring; a wrong option is one line and status 2", () => {
    const rendered = costsCommand("--render");
    expect(rendered.status, rendered.stderr).toBe(0);
    expect(rendered.stdout).toBe(`${renderCosts(committed())}\n`);
    const wrong = costsCommand("--students", "1");
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe('error: --students: "1" is not a whole number from 2 to 50\n');
  });
});

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCliAsync, type CommandResult } from "./support/cli.ts";
import { courseRoot } from "./support/course.ts";
import { copyCourse, removeCourseCopies } from "./support/course-copy.ts";

/** Small arguments that still print every kind of line an experiment has: its tables at their widest, and its prose. */
const smallRuns: Record<string, string[]> = {
  "00-order-chain": [],
  // The shift() queue is stopped at 100,000 tasks, so the "too slow" row shows up quickly.
  "01-drain-speed": ["--max", "100000", "--budget", "200"],
  "01-order-events": ["--orders", "50", "--workers", "20"],
  // The whole sweep at its defaults: the lesson quotes this table.
  "02-starvation": [],
  "03-redelivery-timeline": [],
  "04-poison-message": [],
  // Its defaults: the lesson quotes this table.
  "04-retry-storm": [],
  "05-depth-chart": [],
  "06-order-routing": ["--orders", "1000"],
};

const experiments = readdirSync(path.join(courseRoot, "experiments"))
  .filter((file) => /^\d\d-.+\.ts$/.test(file))
  .map((file) => file.replace(/\.ts$/, ""))
  .sort();

/** Output lines wider than a 100-column terminal, with their widths. */
function tooWide(text: string): string[] {
  return text
    .split("\n")
    .map((line) => stripVTControlCharacters(line))
    .filter((line) => [...line].length > 100)
    .map((line) => `${[...line].length}: ${line}`);
}

/** Runs `tasks` two at a time: the experiments wait on nothing but the CPU, and there may be only two cores. */
async function twoAtATime<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      if (task) results[index] = await task();
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

describe("experiments", () => {
  let ttyDir = "";
  let ttyEnv: NodeJS.ProcessEnv = {};

  beforeAll(() => {
    // The experiments run in a child process; this preload makes its standard output and error a 100-column terminal, so prose wraps.
    ttyDir = mkdtempSync(path.join(os.tmpdir(), "experiment-tty-"));
    const preload = path.join(ttyDir, "tty.mjs");
    writeFileSync(
      preload,
      'for (const stream of [process.stdout, process.stderr]) {\n  Object.defineProperty(stream, "isTTY", { value: true });\n  Object.defineProperty(stream, "columns", { value: 100 });\n}\n',
    );
    ttyEnv = { NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --import ${preload}`.trim() };
  });

  afterAll(() => {
    rmSync(ttyDir, { recursive: true, force: true });
    removeCourseCopies();
  });

  test("every experiment has small arguments here", () => {
    expect(experiments).toEqual(Object.keys(smallRuns).sort());
  });

  test("on the reference solutions, in a 100-column terminal, no experiment prints a line wider than 100 columns, nor a slower-than-the-lesson note", async () => {
    const runs = await twoAtATime(
      experiments.map((name) => (): Promise<[string, CommandResult]> =>
        runCliAsync("experiment", [name, ...(smallRuns[name] ?? [])], { env: { EXERCISES: "solutions", ...ttyEnv } }).then((result) => [name, result]),
      ),
    );
    for (const [name, result] of runs) {
      expect(result.status, `${name}: ${result.stderr}`).toBe(0);
      expect(result.stdout.trim().length, name).toBeGreaterThan(0);
      expect(tooWide(result.stdout), `${name} (standard output)`).toEqual([]);
      expect(tooWide(result.stderr), `${name} (standard error)`).toEqual([]);
      expect(result.stdout, `${name}: the lesson's own code is not slower than the lesson`).not.toMatch(/x faster\.|was stopped after/);
    }
    // The tables were wide before; prose is wrapped, not cut.
    const starvation = runs.find(([name]) => name === "02-starvation")?.[1].stdout ?? "";
    expect(starvation).toMatch(/^ {3}94% {4}99% {2}0\.07 s \/ 0\.35 s {2}3014 of 3018 {3}6\.86 s \/ 23\.7 s {5}0\.23 s {2}#+$/m);
    expect(starvation.replace(/\n/g, " ")).toContain("only gets the moments when no urgent message is waiting: that is starvation.");
    // The retry-storm rows the lesson quotes.
    const storm = runs.find(([name]) => name === "04-retry-storm")?.[1].stdout ?? "";
    expect(storm).toMatch(/^fixed delay {19}1,000 calls {3}15,500 {9}19\.1 s$/m);
    expect(storm).toMatch(/^exponential, no jitter {8}1,000 calls {4}9,500 {10}105 s$/m);
    expect(storm).toMatch(/^exponential, full jitter {9}27 calls {4}6,120 {9}19\.8 s$/m);
  });

  test("04-retry-storm needs no exercise, prints the same numbers for the same seed, and full jitter has the quietest window after recovery", async () => {
    const options = ["04-retry-storm", "--clients", "500", "--outage", "5", "--capacity", "40", "--seed", "3"];
    // The student's stub: the experiment does not use the MessageQueue, so it runs before the exercise is written.
    const [first, second] = await Promise.all([runCliAsync("experiment", options), runCliAsync("experiment", options)]);
    expect(first.status, first.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const peak = (strategy: string) => {
      const row = new RegExp(`^${strategy} +([\\d,]+) calls? +[\\d,]+ +[\\d.,]+ s$`, "m").exec(first.stdout);
      return Number((row?.[1] ?? "NaN").replace(/,/g, ""));
    };
    // All 500 failed in the same 100 ms, so without jitter they all come back in one window; with it, far fewer.
    expect(peak("fixed delay")).toBe(500);
    expect(peak("exponential, no jitter")).toBe(500);
    expect(peak("exponential, full jitter")).toBeLessThan(100);
  });

  test("02-starvation with an O(n) queue says how much slower it is than the lesson's heap, and where the lesson explains it", async () => {
    const checkout = copyCourse("student");
    // Deliberately O(n): every dequeue scans all the waiting items for the best one.
    writeFileSync(
      path.join(checkout, "exercises", "02-priority-queue", "priority-queue.ts"),
      `export class PriorityQueue<T = unknown> {
  private items: Array<{ item: T; priority: number }> = [];
  enqueue(item: T, priority = 0): void {
    this.items.push({ item, priority });
  }
  private best(): number {
    let best = 0;
    for (let index = 1; index < this.items.length; index++) {
      if ((this.items[index]?.priority ?? 0) > (this.items[best]?.priority ?? 0)) best = index;
    }
    return best;
  }
  dequeue(): T | null {
    return this.items.length === 0 ? null : (this.items.splice(this.best(), 1)[0]?.item ?? null);
  }
  peek(): T | null {
    return this.items.length === 0 ? null : (this.items[this.best()]?.item ?? null);
  }
  size(): number {
    return this.items.length;
  }
}
`,
    );
    // 150% urgent load for 3 minutes: the backlog reaches about 10,000 messages, which the heap handles in a blink.
    const result = await runCliAsync("experiment", ["02-starvation", "--load", "150", "--minutes", "3"], { cwd: checkout });
    expect(result.status, result.stderr).toBe(0);
    // Piped, the note's lines stay whole: one line for the times, one for where to read.
    expect(result.stdout).toMatch(
      /^Your PriorityQueue took [\d.,]+ m?s for 3 simulated minutes; the lesson's heap takes about [\d.,]+ m?s on this machine, [\d.]+x faster\.$/m,
    );
    expect(result.stdout).toMatch(/^See rule \[speed\] and "Why not a sorted array" in lessons\/02-priority-queue\/README\.md\.$/m);
    const times = /took ([\d.,]+) (m?s) .* about ([\d.,]+) (m?s) /.exec(result.stdout);
    const ms = (value: string | undefined, unit: string | undefined) => Number((value ?? "").replace(/,/g, "")) * (unit === "s" ? 1_000 : 1);
    expect(ms(times?.[1], times?.[2])).toBeGreaterThan(2 * ms(times?.[3], times?.[4]));
  });
});

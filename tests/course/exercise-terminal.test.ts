import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { copyCourse, removeCourseCopies } from "./support/course-copy.ts";
import { course, courseRoot, publicTests } from "./support/course.ts";
import { runCli } from "./support/cli.ts";

// Drives `npm run exercise 01` in a real terminal (tmux), as a student would.
const session = `exercise-test-${process.pid}`;
// A tmux server of this file's own, kept alive by an idle session: killing the
// last session ends a server, and a new session started while it ends fails.
const socket = ["-L", `exercise-test-${process.pid}`];
const tmux = (...args: string[]) => execFileSync("tmux", [...socket, ...args], { encoding: "utf8" });
const killSession = () => spawnSync("tmux", [...socket, "kill-session", "-t", session]);
const screen = () => tmux("capture-pane", "-p", "-t", session);

async function waitForScreen(pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the screen never showed ${pattern}; it shows:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Each test runs whole commands beside other test files on a small machine: room for each.
describe("npm run exercise in a terminal", { timeout: 150_000 }, () => {
  beforeAll(() => {
    expect(spawnSync("tmux", ["-V"]).status, "tmux is needed for this test (apt-get install tmux)").toBe(0);
    tmux("new-session", "-d", "-s", "keep-server", "sleep 3600");
  });
  afterAll(() => {
    spawnSync("tmux", [...socket, "kill-server"]);
    removeCourseCopies();
  });

  test("shows failures, then the pass after a save, and quits on q; progress follows", async () => {
    const checkout = copyCourse("student");
    tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "45", "-c", checkout, "npm run exercise 01; echo EXITED $?; sleep 30");

    const first = await waitForScreen(new RegExp(`Public tests\\s+0/${publicTests("01-task-queue")} passing`), 60_000);
    expect(first).toContain("TODO: enqueue(task) should add the task at the back of the queue");
    expect(first).toContain("h hint · n next module · r run again · q quit");

    copyFileSync(path.join(courseRoot, "solutions", "01-task-queue", "task-queue.ts"), path.join(checkout, "exercises", "01-task-queue", "task-queue.ts"));
    const passing = await waitForScreen(/Public tests pass\. Hidden tests: graded by your instructor/, 30_000);
    expect(passing).toMatch(new RegExp(`Public tests\\s+${publicTests("01-task-queue")}/${publicTests("01-task-queue")} passing`));
    expect(passing).toContain("npm run quiz 01");
    expect(passing).toContain("npm run exercise 02");

    tmux("send-keys", "-t", session, "h");
    await waitForScreen(/Hint 1 of \d+:/, 10_000);

    tmux("send-keys", "-t", session, "q");
    const after = await waitForScreen(/EXITED \d+/, 10_000);
    expect(after).toContain("Stopped watching");
    expect(after).toContain("EXITED 0");

    const progress = runCli("progress", [], { cwd: checkout });
    expect(progress.status).toBe(0);
    expect(progress.stdout).toMatch(new RegExp(`01-task-queue\\s+public tests pass \\(${publicTests("01-task-queue")}/${publicTests("01-task-queue")}\\)`));
    expect(progress.stdout).toMatch(/02-priority-queue\s+not started/);
  });

  test("a save stops a run that is still going: the fix of an infinite loop shows at once, not after the time limit", async () => {
    const checkout = copyCourse("student");
    const file = path.join(checkout, "exercises", "01-task-queue", "task-queue.ts");
    const solution = readFileSync(path.join(courseRoot, "solutions", "01-task-queue", "task-queue.ts"), "utf8");
    killSession();
    tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "45", "-c", checkout, "npm run exercise 01; sleep 30");
    await waitForScreen(new RegExp(`Public tests\\s+0/${publicTests("01-task-queue")} passing`), 60_000);
    // dequeue never returns: the run would hold the screen for its whole 20 s limit.
    writeFileSync(file, solution.replace("dequeue(): T | null {", "dequeue(): T | null {\n    for (;;) {}"));
    await waitForScreen(/running…/, 10_000);
    const staleRunStarted = Date.now();
    // Long enough for the run to load the looping file and be stuck in it (its limit is 20 s).
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    writeFileSync(file, solution);
    const passing = await waitForScreen(/Public tests pass\. Hidden tests: graded by your instructor/, 30_000);
    expect(passing).toMatch(new RegExp(`Public tests\\s+${publicTests("01-task-queue")}/${publicTests("01-task-queue")} passing`));
    // Without the cancel, the fix could show only after the stale run's limit, and then a run of its own.
    expect(Date.now() - staleRunStarted, "the fix shows before the stale run's 20 s limit would have ended").toBeLessThan(20_000);
  });

  test("a priority queue in the right order but O(n): the loop names the speed rule, where the test is, and the experiment that shows it", async () => {
    const checkout = copyCourse("student");
    // A scan on every dequeue: each answer is right, and each takes time proportional to the queue.
    const scanning = path.join(courseRoot, "tests", "fixtures", "submissions", "02-wrong-scan-dequeue", "exercises", "02-priority-queue", "priority-queue.ts");
    copyFileSync(scanning, path.join(checkout, "exercises", "02-priority-queue", "priority-queue.ts"));
    killSession();
    tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "45", "-c", checkout, "npm run exercise 02; sleep 30");
    const total = publicTests("02-priority-queue");
    const shown = await waitForScreen(/Public tests\s+\d+\/\d+ passing[^]*Next /, 60_000);
    expect(shown).toMatch(new RegExp(`Public tests\\s+${total - 1}/${total} passing`));
    expect(shown).toMatch(/✗ PriorityQueue > .* · rule \[speed\]/);
    expect(shown).toMatch(/test: tests\/public\/02-priority-queue\.test\.ts:\d+/);
    expect(shown).toContain("npm run experiment -- 02-starvation");
    tmux("send-keys", "-t", session, "q");
    await waitForScreen(/Stopped watching/, 10_000);
  });

  test("with no module named, the loop opens the first unfinished exercise; with every one passing, it says so and exits 0", () => {
    const checkout = copyCourse("student");
    const solve = (id: string) => cpSync(path.join(courseRoot, "solutions", id), path.join(checkout, "exercises", id), { recursive: true });
    solve("01-task-queue");
    const opened = runCli("exercise", ["--once"], { cwd: checkout });
    expect(opened.stdout).toContain("Module 02-priority-queue: ");
    expect(opened.status).toBe(1);
    for (const module of course.modules) if (module.exerciseFiles) solve(module.id);
    const done = runCli("exercise", ["--once"], { cwd: checkout });
    expect(done.stdout.trim()).toBe("Every exercise passes its public tests: npm run progress shows what is left.");
    expect(done.status).toBe(0);
  });

  test("in a 90-column terminal, the scorecard wraps between words, never mid-word", async () => {
    const checkout = copyCourse("student");
    killSession();
    tmux("new-session", "-d", "-s", session, "-x", "90", "-y", "60", "-c", checkout, "npm run grade -- --only 01; echo EXITED $?; sleep 30");
    await waitForScreen(/EXITED \d+/, 60_000);
    const rows = screen().split("\n").map((row) => row.trimEnd());
    // -J joins the rows the terminal itself wrapped: there must be none.
    const joined = tmux("capture-pane", "-p", "-J", "-t", session).split("\n").map((row) => row.trimEnd());
    expect(joined).toEqual(rows);
    expect(Math.max(...rows.map((row) => row.length))).toBeLessThanOrEqual(90);
    // The same words as the unwrapped scorecard that a pipe gets.
    const piped = runCli("grade", ["--only", "01"], { cwd: checkout }).stdout;
    const words = (text: string) => text.replace(/(?:graded|checked) in [\d.]+ s/, "").split(/\s+/).filter(Boolean);
    const shown = rows.slice(rows.findIndex((row) => row.startsWith("Message queues")), rows.findIndex((row) => row.startsWith("EXITED")));
    expect(words(shown.join("\n"))).toEqual(words(piped));
    expect(piped.split("\n").some((line) => line.length > 90), "the scorecard has lines longer than the terminal").toBe(true);
  });

  test("a syntax error and a renamed export each get their own next step", () => {
    const checkout = copyCourse("student");
    const file = path.join(checkout, "exercises", "01-task-queue", "task-queue.ts");
    const solution = readFileSync(path.join(courseRoot, "solutions", "01-task-queue", "task-queue.ts"), "utf8");
    const line = solution.split("\n").findIndex((text) => text.includes("this.tasks.push(task);")) + 1;
    writeFileSync(file, solution.replace("this.tasks.push(task);", "this.tasks.push(task;"));
    const broken = runCli("exercise", ["01", "--once"], { cwd: checkout });
    expect(broken.stdout).toContain(`Next  fix the syntax error at line ${line} of exercises/01-task-queue/task-queue.ts`);
    writeFileSync(file, solution.replace("export class TaskQueue", "export class TaskQ"));
    const renamed = runCli("exercise", ["01", "--once"], { cwd: checkout });
    expect(renamed.stdout).toContain("Next  exercises/01-task-queue/task-queue.ts does not export TaskQueue any more, and the tests import it by that name");
  });

  test("bad arguments are one-line errors with exit 2", () => {
    for (const [command, args, pattern] of [
      ["exercise", ["99"], /unknown module "99"/],
      ["exercise", ["00"], /module 00-message-queues has no exercise/],
      ["hint", ["nope"], /unknown module "nope"/],
      ["quiz", ["nope"], /unknown module "nope"/],
      ["exercise", ["01", "--watch-harder"], /Unknown option --watch-harder/],
    ] as const) {
      const result = runCli(command, [...args]);
      expect(result.status, `${command} ${args.join(" ")}`).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(pattern);
    }
  });
});

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { decodeChannel, testKey, type ChannelRecord } from "../judge/channel.ts";
import type { StagedModule } from "./stage.ts";
import { endedResult, maxStuckTests, notTriedResult, stuckGraceMs, stuckResult, TestEvents, watchIntervalMs, type ResultRecord, type StartedTest, type TestEnd } from "./test-watch.ts";

export interface RunLimits {
  timeoutMs: number;
  /** The heap limit of each test process. */
  memoryLimitMb: number;
  /** Stops the run early, for a result nobody will read (the student saved again). */
  signal?: AbortSignal | undefined;
  /** In process: each test's limit unless it sets its own (the grading config's 30 s otherwise). */
  testTimeoutMs?: number | undefined;
}

// The heap limit stops runaway objects and arrays; memory outside the heap
// (Buffers, typed arrays) is watched from here, for the whole process group.
const memoryCheckIntervalMs = 250;
const pageBytes = 4096;

/** Resident memory of every process in a process group, read from /proc (Linux; 0 elsewhere). */
function groupResidentBytes(groupId: number): number {
  let total = 0;
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
      // Fields after the command name, which is in parentheses and may hold spaces.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === groupId) total += Number(fields[21]) * pageBytes;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

export interface ModuleRun {
  /**
   * completed: vitest finished and reported; timed-out: killed at the time limit;
   * out-of-memory: killed at the memory limit; crashed: ended without a final report.
   */
  outcome: "completed" | "timed-out" | "out-of-memory" | "crashed" | "cancelled";
  records: ChannelRecord[];
  /** Lines on the results pipe that the reporter did not sign. */
  forgedLines: number;
  /** The test that had started but not finished when the run ended, if any. */
  runningTest: string | null;
  durationMs: number;
  /** The tail of what vitest and the submission printed; kept for instructors, never shown to students. */
  output: string;
}

const outputLimitBytes = 64 * 1024;
const channelLimitBytes = 16 * 1024 * 1024;
// After vitest exits, how long to wait for a stray process holding its pipes.
const drainGraceMs = 2_000;

/** Keeps the last `limit` bytes written to a stream. */
function captureTail(stream: Readable, limit: number): () => string {
  let chunks: Buffer[] = [];
  let size = 0;
  stream.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    while (size > limit && chunks.length > 1) size -= chunks.shift()!.length;
  });
  return () => {
    const all = Buffer.concat(chunks);
    chunks = [];
    return all.subarray(Math.max(0, all.length - limit)).toString("utf8");
  };
}

/**
 * Kills processes that left the run's process group (a detached child, say)
 * but still work in the module's folder or carry its marker. This matters
 * without the sandbox only: there, the submission process is an ordinary
 * child, and a child of its own can leave the group. In the sandbox nothing
 * outlives bubblewrap's PID namespace. Linux only: elsewhere there is no
 * /proc and the process-group kill is all there is.
 */
function killStragglers(moduleRoot: string, marker: string): void {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const inWorkspace = cwd === moduleRoot || cwd.startsWith(`${moduleRoot}/`);
      if (inWorkspace || readFileSync(`/proc/${pid}/environ`, "latin1").includes(marker)) process.kill(Number(pid), "SIGKILL");
    } catch {
      // Gone already, or not ours to inspect.
    }
  }
}

/** Environment for the test processes: no CI credentials or job files that submission code could use. */
export function childEnvironment(memoryLimitMb: number, marker: string, judgeSetup: string | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith("GITHUB_") || name.startsWith("ACTIONS_") || name.startsWith("RUNNER_")) continue;
    if (name.startsWith("VITEST") || name === "NODE_OPTIONS" || name === "MQ_SPEED_BUDGET_SCALE") continue;
    env[name] = value;
  }
  const judge = judgeSetup ? { MQ_JUDGE_SETUP: judgeSetup } : {};
  return { ...env, ...judge, MQ_GRADER_MEMORY_MB: String(memoryLimitMb), MQ_GRADER_RUN: marker, NO_COLOR: "1", FORCE_COLOR: "0" };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

/**
 * The run step for one module: vitest in its own process group, with the
 * trusted grading config, in the staged workspace. The whole group is killed
 * at the time limit and again when vitest exits, so nothing outlives the run.
 * Results come only from the signed records on a private pipe.
 *
 * In process (the student's own loop) a test stuck in a synchronous loop
 * would stop the whole run, so each test's start is watched: a test past its
 * limit fails on its own, and the rest of the suite runs again without it.
 */
export function runModule(courseRoot: string, staged: StagedModule, files: string[], limits: RunLimits): Promise<ModuleRun> {
  if (staged.judgeSetup === null) return runWatchingTests(courseRoot, staged, files, limits);
  return runVitest(courseRoot, staged, files, limits, null).then((attempt) => attempt.run);
}

/** What an in-process run of vitest watches: the file its setup writes test events to, and the tests to skip. */
interface TestWatch {
  eventsFile: string;
  /** [file, name] of tests that finished or got stuck in an earlier run of the suite. */
  skip: Array<[string, string]>;
}

interface Attempt {
  run: ModuleRun;
  /** The test that ran past its limit and was stopped, if one was. */
  stuck: StartedTest | null;
  /** The tests the suites hold, as their setup listed them (in process only). */
  listed: Array<{ file: string; name: string }>;
  /** The tests that ended, as their setup saw them end (in process only). */
  ended: TestEnd[];
}

/** One run of vitest over the suites; with `watch`, a test stuck past its limit stops it and is named. */
function runVitest(courseRoot: string, staged: StagedModule, files: string[], limits: RunLimits, watch: TestWatch | null): Promise<Attempt> {
  const { workspace, judgeSetup } = staged;
  const started = performance.now();
  const key = randomBytes(32).toString("hex");
  const marker = `mq-grader-run-${randomBytes(8).toString("hex")}`;
  const vitest = path.join(courseRoot, "node_modules", "vitest", "vitest.mjs");
  const config = path.join(courseRoot, "grader", "judge", "grading.config.ts");
  const testTimeout = limits.testTimeoutMs === undefined ? {} : { MQ_TEST_TIMEOUT_MS: String(limits.testTimeoutMs) };
  const watched = watch ? { MQ_TEST_EVENTS: watch.eventsFile, MQ_SKIP_TESTS: JSON.stringify(watch.skip), ...testTimeout } : {};
  const child = spawn(process.execPath, [vitest, "run", "--config", config, ...files], {
    cwd: workspace,
    env: { ...childEnvironment(limits.memoryLimitMb, marker, judgeSetup), ...watched },
    stdio: ["pipe", "pipe", "pipe", "pipe"],
    detached: true,
  });
  // Standard input stays open after the key: it is vitest's lifeline to this process (see reporter.ts).
  child.stdin.write(`${key}\n`);
  child.stdin.on("error", () => {});

  const channel = child.stdio[3] as Readable;
  const channelChunks: Buffer[] = [];
  let channelBytes = 0;
  let channelOverflow = false;
  channel.on("data", (chunk: Buffer) => {
    channelBytes += chunk.length;
    if (channelBytes > channelLimitBytes) channelOverflow = true;
    else channelChunks.push(chunk);
  });
  const stdout = captureTail(child.stdout, outputLimitBytes);
  const stderr = captureTail(child.stderr, outputLimitBytes);

  // Room for vitest itself and one test process at its heap limit, with slack for code and stacks.
  const groupMemoryLimitBytes = (2 * limits.memoryLimitMb + 512) * 1024 * 1024;

  return new Promise((resolve) => {
    let timedOut = false;
    let outOfMemory = false;
    let settled = false;
    const events = watch ? new TestEvents(watch.eventsFile) : null;
    let stuck: StartedTest | null = null;
    const onTimeout = () => {
      // A test still within its own limit (a speed check may take 20 s) is left to finish, or to be stopped on its own.
      const running = events?.poll();
      if (running) {
        timer = setTimeout(onTimeout, Math.max(watchIntervalMs, running.seenAt + running.limitMs + stuckGraceMs - performance.now() + watchIntervalMs));
        return;
      }
      timedOut = true;
      killGroup(child.pid);
    };
    let timer = setTimeout(onTimeout, limits.timeoutMs);
    const testWatch = events
      ? setInterval(() => {
          if (stuck) return;
          stuck = events.stuck();
          if (stuck) killGroup(child.pid);
        }, watchIntervalMs)
      : undefined;
    let cancelled = false;
    const cancel = () => {
      cancelled = true;
      killGroup(child.pid);
    };
    if (limits.signal?.aborted) cancel();
    else limits.signal?.addEventListener("abort", cancel, { once: true });
    const memoryWatch = setInterval(() => {
      if (child.pid !== undefined && groupResidentBytes(child.pid) > groupMemoryLimitBytes) {
        outOfMemory = true;
        killGroup(child.pid);
      }
    }, memoryCheckIntervalMs);

    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(memoryWatch);
      clearInterval(testWatch);
      clearTimeout(graceTimer);
      limits.signal?.removeEventListener("abort", cancel);
      killGroup(child.pid);
      killStragglers(path.dirname(workspace), marker);
      for (const stream of [child.stdin, channel, child.stdout, child.stderr]) stream.destroy();
      const decoded = decodeChannel(key, Buffer.concat(channelChunks).toString("utf8"));
      const records = decoded.records;
      const ended = records.some((record) => record.type === "end");
      const finished = new Set(records.flatMap((r) => (r.type === "result" ? [testKey(r)] : [])));
      const running = records.findLast((r) => r.type === "ready" && !finished.has(testKey(r)));
      // In process, a worker stuck in a loop never sent its "ready": the events file still names the test.
      const runningTest = running && running.type === "ready" ? running.name : (events?.poll()?.name ?? null);
      const run: ModuleRun = {
        outcome: cancelled ? "cancelled" : timedOut ? "timed-out" : outOfMemory ? "out-of-memory" : ended ? "completed" : "crashed",
        records,
        forgedLines: decoded.forgedLines + (channelOverflow ? 1 : 0),
        runningTest,
        durationMs: performance.now() - started,
        output: `${stdout()}${stderr()}`,
      };
      resolve({ run, stuck: cancelled || timedOut || outOfMemory ? null : stuck, listed: events?.listed ?? [], ended: events?.ended ?? [] });
    };

    let graceTimer: NodeJS.Timeout | undefined;
    child.on("exit", () => {
      killGroup(child.pid);
      graceTimer = setTimeout(finish, drainGraceMs);
    });
    child.on("close", finish);
    child.on("error", finish);
  });
}

/**
 * Runs the suites in process, again and again while a test gets stuck: each
 * stuck test fails on its own, and the next run skips it and every test that
 * already has a result, so the others keep their real results.
 */
async function runWatchingTests(courseRoot: string, staged: StagedModule, files: string[], limits: RunLimits): Promise<ModuleRun> {
  const started = performance.now();
  const results = new Map<string, ResultRecord>();
  const stuckTests: StartedTest[] = [];
  const outputs: string[] = [];
  const listed = new Map<string, { file: string; name: string }>();
  let forgedLines = 0;
  for (;;) {
    const skip = [...results.values(), ...stuckTests].map((test): [string, string] => [test.file, test.name]);
    const eventsFile = path.join(path.dirname(staged.workspace), `test-events-${stuckTests.length}.jsonl`);
    const attempt = await runVitest(courseRoot, staged, files, limits, { eventsFile, skip });
    const { run, stuck } = attempt;
    for (const test of attempt.listed) listed.set(testKey(test), test);
    outputs.push(run.output);
    forgedLines += run.forgedLines;
    const skipped = new Set(skip.map(([file, name]) => testKey({ file, name })));
    for (const record of run.records) {
      if (record.type === "result" && !skipped.has(testKey(record))) results.set(testKey(record), record);
    }
    for (const ended of stuck ? attempt.ended : []) {
      const record = skipped.has(testKey(ended)) || results.has(testKey(ended)) ? null : endedResult(ended, staged.workspace);
      if (record) results.set(testKey(record), record);
    }
    if (stuck) stuckTests.push(stuck);
    if (stuck && stuckTests.length < maxStuckTests && !limits.signal?.aborted) continue;
    // Stopped for good at a stuck test: what never ran says why, and the rest stands.
    const stuckKeys = new Set(stuckTests.map(testKey));
    const notTried = stuck ? [...listed.values()].filter((test) => !results.has(testKey(test)) && !stuckKeys.has(testKey(test))) : [];
    const others = stuck ? [{ type: "end" as const, unhandledErrors: [] }] : run.records.filter((record) => record.type !== "result");
    return {
      outcome: stuck ? "completed" : run.outcome,
      records: [...results.values(), ...stuckTests.map(stuckResult), ...notTried.map((test) => notTriedResult(test, stuckTests.length)), ...others],
      forgedLines,
      runningTest: run.runningTest,
      durationMs: performance.now() - started,
      output: outputs.join("").slice(-outputLimitBytes),
    };
  }
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the input order in the result. */
export async function mapConcurrently<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

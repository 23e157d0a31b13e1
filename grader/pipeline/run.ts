import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { decodeChannel, testKey, type ChannelRecord } from "../judge/channel.ts";
import type { StagedModule } from "./stage.ts";

export interface RunLimits {
  timeoutMs: number;
  /** The heap limit of each test process. */
  memoryLimitMb: number;
  /** Stops the run early, for a result nobody will read (the student saved again). */
  signal?: AbortSignal | undefined;
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
 */
export function runModule(courseRoot: string, staged: StagedModule, files: string[], limits: RunLimits): Promise<ModuleRun> {
  const { workspace, judgeSetup } = staged;
  const started = performance.now();
  const key = randomBytes(32).toString("hex");
  const marker = `mq-grader-run-${randomBytes(8).toString("hex")}`;
  const vitest = path.join(courseRoot, "node_modules", "vitest", "vitest.mjs");
  const config = path.join(courseRoot, "grader", "judge", "grading.config.ts");
  const child = spawn(process.execPath, [vitest, "run", "--config", config, ...files], {
    cwd: workspace,
    env: childEnvironment(limits.memoryLimitMb, marker, judgeSetup),
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
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, limits.timeoutMs);
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
      resolve({
        outcome: cancelled ? "cancelled" : timedOut ? "timed-out" : outOfMemory ? "out-of-memory" : ended ? "completed" : "crashed",
        records,
        forgedLines: decoded.forgedLines + (channelOverflow ? 1 : 0),
        runningTest: running && running.type === "ready" ? running.name : null,
        durationMs: performance.now() - started,
        output: `${stdout()}${stderr()}`,
      });
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

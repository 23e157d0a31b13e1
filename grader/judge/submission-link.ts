import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { GroupLimits } from "./process-groups.mjs";
import { realNowMs, realSetTimeout } from "./real-clock.ts";
import { describeTooLarge, isArrayIndex, messageLimits, type Message, type Outcome, type Request, type Settlement, type SyncedObject, type SyncFields, type Wire } from "../submission/protocol.ts";

export { messageLimits };

/** How the judge starts the submission process; the grader decides (see grader/pipeline/submission-process.ts). */
export interface LaunchSpec {
  command: string;
  /** `{pipes}` is replaced with the folder that holds the two pipes, `requests` and `answers`. */
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Where the link makes each process's pipe folder: inside the module's staged folder, so the grader's cleanup removes them. */
  pipesRoot: string;
  /** Who must own the pipes: the unprivileged user the process runs as, or null when it starts as the judge's own user. */
  pipesOwner: { uid: number; gid: number } | null;
  /**
   * The process's limits. The watchdog counts its tree (in the sandbox,
   * bubblewrap's own two processes included) and stops it past any of them;
   * where the grader found control groups (`cgroups`, see
   * grader/pipeline/kernel-limits.ts) the kernel holds them first.
   */
  limits: GroupLimits & { processes: number };
}

/** Why the submission process stopped, as a test's failure says it. */
function stoppedBecause(reason: string, timeoutMs: number): string {
  const why =
    reason === "overran its time"
      ? `did not answer within ${Math.round(timeoutMs / 1000)} s (an infinite loop?), so it was stopped`
      : reason.startsWith("exited")
        ? `${reason} (did it call process.exit?)`
        : reason;
  return `your code's process ${why}`;
}

/** Thrown into a test when the submission process is gone or stopped answering. */
export class SubmissionStopped extends Error {}

/** Posted by the watchdog on its private port; the answer pipe only carries a line that says to look. */
interface ExitNotice {
  kind: "exit";
  reason: string;
  stderr: string;
}

/** The line the watchdog writes to wake the main thread. Anyone can write it; only the port says what happened. */
interface WakeLine {
  kind: "wake";
}

/** Thrown by readLine when the submission's line passes messageLimits.bytes. */
class OversizedLine extends Error {}

/** Why a parsed message is too large to check, or null: one walk over it, before the judge decodes any of it. */
export function tooLargeToCheck(message: unknown): string | null {
  const stack: unknown[] = [message];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") {
      if (value.length > messageLimits.stringLength) return describeTooLarge("string", value.length);
    } else if (Array.isArray(value)) {
      if (value.length > messageLimits.arrayLength) return describeTooLarge("array", value.length);
      for (const item of value) stack.push(item);
    } else if (value !== null && typeof value === "object") {
      // The harness's own word that a value was too large to send: believed, since a false one only stops the process that sent it.
      const marker = value as { $?: unknown; what?: unknown; size?: unknown };
      if (marker.$ === "too-large") return describeTooLarge(marker.what === "string" || marker.what === "array" ? marker.what : "object", Number.isSafeInteger(marker.size) ? (marker.size as number) : 0);
      // An object travels as its properties, [key, …] entries (`entries` of a copy, `own` of a snapshot); an array's include its items, which are not keys here.
      for (const list of [(value as { entries?: unknown }).entries, (value as { own?: unknown }).own]) {
        if (!Array.isArray(list) || list.length <= messageLimits.objectKeys) continue;
        const keys = list.filter((entry) => !(Array.isArray(entry) && typeof entry[0] === "string" && isArrayIndex(entry[0]))).length;
        if (keys > messageLimits.objectKeys) return describeTooLarge("object", keys);
      }
      for (const item of Object.values(value)) stack.push(item);
    }
  }
  return null;
}
/**
 * A process that keeps overrunning its limits is not started again without
 * end, since each such stop can cost seconds; one that just exits is cheap to
 * start again, up to a point.
 */
const maxCostlyStops = 3;
const maxStarts = 30;
const costly = /^(overran its time|ran out of memory|used more than|started more than)/;
const stderrLimitBytes = 16 * 1024;

export interface LinkHandlers {
  /** Runs a judge function the submission called. */
  callback(target: number, args: Wire[]): Outcome;
  settle(settlement: Settlement): void;
  /** The judge's changes to objects it shared, to send with the next message. */
  outgoing(): SyncFields;
  /** The submission's changes to the judge's objects, applied before anything else in its message. */
  incoming(sync: SyncedObject[] | undefined): void;
}

interface Running {
  worker: Worker;
  /**
   * Shared with the watchdog: [0] is when the current request must be
   * answered, 0 while idle; [1] is the CPU time (seconds) of the process and
   * everything below it, as the watchdog last read it from /proc.
   */
  deadline: Float64Array;
  folder: string;
  /** The watchdog's private channel: exit notices come only from here. */
  notices: MessagePort;
  requests: number;
  answers: number;
  /** Bytes read from the answer pipe that do not yet end a line. */
  pending: Buffer;
}

/**
 * A synchronous connection to one submission process, over two named pipes.
 * `request` blocks the judge's thread until the answer comes, running any
 * judge callbacks the submission makes in between, so a remote call behaves
 * like a local one. A watchdog thread (link-worker.mjs) wakes it if the
 * process dies or overruns its deadline; the next request then starts a
 * fresh process.
 */
export class SubmissionLink {
  private running: Running | null = null;
  private readonly chunk = Buffer.alloc(1 << 16);
  private nextId = 1;
  /** Which process answers: objects from an earlier one cannot be used. */
  generation = 0;
  /** Moves on with every request that may change the submission's state; reads keep it. */
  epoch = 0;
  /** Why the last process ended, for later error messages. */
  exitReason: string | null = null;
  private costlyStops = 0;

  constructor(
    private readonly launch: LaunchSpec,
    private readonly handlers: LinkHandlers,
    private readonly onStart: () => void,
  ) {}

  /** Starts a process if none is running (after a crash, say). */
  ensureStarted(): void {
    if (this.running) return;
    if (this.costlyStops >= maxCostlyStops || this.generation >= maxStarts) {
      const times = this.costlyStops >= maxCostlyStops ? maxCostlyStops : maxStarts;
      throw new SubmissionStopped(`your code's process was stopped ${times} times in this test file (last: ${this.exitReason ?? "unknown"}), so it was not started again`);
    }
    const folder = mkdtempSync(path.join(this.launch.pipesRoot, "link-"));
    const requestsPath = path.join(folder, "requests");
    const answersPath = path.join(folder, "answers");
    const made = spawnSync("mkfifo", ["-m", "600", requestsPath, answersPath]);
    if (made.status !== 0) throw new Error(`could not make the pipes to your code's process: ${made.stderr?.toString().trim() ?? made.error?.message}`);
    const owner = this.launch.pipesOwner;
    if (owner) {
      // Its two pipes, and nothing else here: the folder stays root's, closed to listing.
      chmodSync(folder, 0o711);
      for (const pipe of [requestsPath, answersPath]) chownSync(pipe, owner.uid, owner.gid);
    }
    // Opened for reading and writing, so neither open waits for the other side.
    const requests = openSync(requestsPath, "r+");
    const answers = openSync(answersPath, "r+");
    const args = this.launch.args.map((arg) => arg.replace("{pipes}", folder));
    const deadline = new Float64Array(new SharedArrayBuffer(16));
    const { port1: notices, port2: watchdogPort } = new MessageChannel();
    const worker = new Worker(new URL("./link-worker.mjs", import.meta.url), {
      workerData: { deadline: deadline.buffer, ...this.launch, args, answers: answersPath, stderrLimitBytes, notices: watchdogPort },
      transferList: [watchdogPort],
    });
    worker.unref();
    this.running = { worker, deadline, folder, notices, requests, answers, pending: Buffer.alloc(0) };
    this.generation += 1;
    this.onStart();
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /**
   * CPU seconds the running process (with all below it) has used, read from
   * /proc by the watchdog every 40 ms: a measure the submission cannot touch.
   * NaN when no process runs.
   */
  cpuSeconds(): number {
    return this.running ? (this.running.deadline[1] ?? Number.NaN) : Number.NaN;
  }

  /** Ends the process: the watchdog kills it at once, then goes itself. */
  stop(): void {
    const running = this.running;
    if (!running) return;
    this.running = null;
    running.deadline[0] = 1;
    realSetTimeout(() => void running.worker.terminate(), 200).unref();
    running.notices.close();
    closeSync(running.requests);
    closeSync(running.answers);
    // By name, never recursively: an unlink removes a link itself, never what it points to.
    for (const pipe of ["requests", "answers"]) {
      try {
        unlinkSync(path.join(running.folder, pipe));
      } catch {
        // already gone
      }
    }
    try {
      rmdirSync(running.folder);
    } catch {
      // not empty (only unsandboxed code could add to it): the grader's cleanup of the module removes it
    }
  }

  private readLine(running: Running): string {
    for (;;) {
      const newline = running.pending.indexOf(10);
      if (newline >= 0) {
        const line = running.pending.toString("utf8", 0, newline);
        running.pending = running.pending.subarray(newline + 1);
        return line;
      }
      if (running.pending.length > messageLimits.bytes) throw new OversizedLine();
      const read = readSync(running.answers, this.chunk, 0, this.chunk.length, null);
      // Most answers arrive whole, in one read: then no copy is needed.
      if (running.pending.length === 0 && this.chunk[read - 1] === 10 && this.chunk.indexOf(10) === read - 1) return this.chunk.toString("utf8", 0, read - 1);
      running.pending = Buffer.concat([running.pending, this.chunk.subarray(0, read)]);
    }
  }

  /** Sends one request and waits for its answer. */
  request(request: Request, timeoutMs: number, what: string, changesState = true): Outcome {
    const running = this.running;
    if (!running) throw new SubmissionStopped("your code's process is not running");
    if (changesState) this.epoch += 1;
    const id = this.nextId++;
    this.send(running, { kind: "request", id, request });
    const previousDeadline = running.deadline[0] ?? 0;
    // A call made from inside another (a callback of the judge's calling back in) never moves the outer call's deadline later:
    // forged callback requests would otherwise renew it for ever.
    // Real time, as the watchdog reads it: the suite's fake clock may stand at any epoch, 0 included.
    const ownDeadline = realNowMs() + timeoutMs;
    running.deadline[0] = previousDeadline > 0 ? Math.min(previousDeadline, ownDeadline) : ownDeadline;
    try {
      for (;;) {
        let line: Message | WakeLine | ExitNotice;
        let text: string;
        try {
          text = this.readLine(running);
        } catch (error) {
          if (!(error instanceof OversizedLine)) throw error;
          this.stopForSize(`an answer of more than ${messageLimits.bytes / 1024 / 1024} MB`, what);
        }
        try {
          line = JSON.parse(text) as Message | WakeLine | ExitNotice;
        } catch {
          continue; // a half-written line, or not ours
        }
        // Only the watchdog's port says the process ended; a line in the pipe that says so is the submission's.
        if (line.kind === "exit") continue;
        if (line.kind === "wake") {
          const notice = receiveMessageOnPort(running.notices)?.message as ExitNotice | undefined;
          if (!notice) continue; // written by the submission: nothing has happened
          line = notice;
        }
        const message = line;
        if (message.kind !== "exit") {
          const tooLarge = tooLargeToCheck(message);
          if (tooLarge) this.stopForSize(tooLarge, what);
        }
        if (message.kind === "exit") {
          if (message.stderr.includes("JavaScript heap out of memory")) message.reason = "ran out of memory";
          // Node ends a process whose top-level await can never settle with exit code 13.
          if (message.reason === "exited with code 13") message.reason = "stopped: a top-level await in your code never settles (exit code 13)";
          this.exitReason = message.reason;
          if (costly.test(message.reason)) this.costlyStops += 1;
          this.stop();
          const explained = message.reason === "ran out of memory" || message.reason.startsWith("stopped: ");
          const printed = message.stderr.trim() && !explained ? `; it printed: ${message.stderr.trim().slice(-300)}` : "";
          throw new SubmissionStopped(`${stoppedBecause(message.reason, timeoutMs)} ${what}${printed}`);
        }
        if (message.kind === "request") {
          if (message.request.op !== "callback") continue;
          this.epoch += 1;
          this.handlers.incoming(message.sync);
          const outcome = this.handlers.callback(message.request.target, message.request.args);
          // A call the callback made into the submission may have stopped the process: then so is this call.
          if (this.running !== running) throw new SubmissionStopped(`${stoppedBecause(this.exitReason ?? "stopped", timeoutMs)} ${what}`);
          this.send(running, { kind: "reply", to: message.id, ...outcome, settlements: [] });
          continue;
        }
        if (message.to !== id) continue;
        this.handlers.incoming(message.sync);
        for (const settlement of message.settlements) this.handlers.settle(settlement);
        return message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error };
      }
    } finally {
      // A nested request (from a callback) hands the deadline back to the call it ran inside.
      if (this.running === running) running.deadline[0] = previousDeadline;
    }
  }

  /** Stops a process that sent more than the judge will check, and says so in the test. */
  private stopForSize(what: string, during: string): never {
    this.exitReason = `sent a value too large to check (${what})`;
    this.costlyStops += 1;
    this.stop();
    throw new SubmissionStopped(`your code's process ${this.exitReason} ${during}`);
  }

  /** How many requests the judge has sent: it stands still while a test waits on the submission and nothing else happens. */
  get requestsSent(): number {
    return this.nextId - 1;
  }

  private send(running: Running, message: Message): void {
    Object.assign(message, this.handlers.outgoing());
    const bytes = Buffer.from(`${JSON.stringify(message)}\n`);
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(running.requests, bytes, offset);
  }
}

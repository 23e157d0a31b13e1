/**
 * Experiment 03: deliveries and redeliveries on a timeline.
 *
 *     npm run experiment -- 03-redelivery-timeline [options]
 *
 * A producer sends some jobs to your VisibilityQueue at t = 0. A few workers
 * poll the queue, work on each job for a while and ack it. Some jobs are slow
 * and some workers crash halfway through a job. Everything runs in virtual
 * time: Date.now, setTimeout and setInterval are replaced by a simulated
 * clock, so the run is instant and the same every time. The experiment prints
 * every event, a chart of who worked on which job when, and a summary that
 * counts redeliveries, stale acks and jobs that ran more than once.
 *
 * Options:
 *   --timeout <ms>       visibility timeout of the queue (default 3000)
 *   --messages <n>       jobs to send at t = 0 (default 6)
 *   --workers <n>        workers polling the queue (default 2)
 *   --work <ms>          how long a normal job takes (default 1000)
 *   --slow <ms>          how long a slow job takes (default 5000)
 *   --slow-rate <0..1>   chance that a job is slow (default 0.25)
 *   --crash-rate <0..1>  chance that a worker crashes halfway through a job (default 0.2)
 *   --restart <ms>       how long a crashed worker takes to come back (default 1000)
 *   --poll <ms>          how often an idle worker asks for work (default 250)
 *   --heartbeat          while working, extend the lease with changeVisibility
 *                        every timeout / 2
 *   --duration <ms>      stop the simulation at this time (default 60000)
 *   --seed <n>           random seed for the slow jobs and crashes (default 1)
 *   --help               show this help
 *
 * Things to try:
 *   npm run experiment -- 03 --crash-rate 0 --slow-rate 0      nothing goes wrong
 *   npm run experiment -- 03                                   crashes and slow jobs
 *   npm run experiment -- 03 --heartbeat                       slow jobs keep their lease
 *   npm run experiment -- 03 --timeout 8000                    fewer duplicates, slower recovery
 */
import { parseArgs } from "node:util";
import type { Delivery, VisibilityQueue as VisibilityQueueClass } from "@exercise/03-visibility-timeout/visibility-queue";
import { warn, wrapped } from "./output.ts";
import { seededRandom } from "../tests/support/random.ts";

const usage = `Usage: npm run experiment -- 03-redelivery-timeline [options]

  --timeout <ms>       visibility timeout of the queue (default 3000)
  --messages <n>       jobs to send at t = 0 (default 6)
  --workers <n>        workers polling the queue (default 2)
  --work <ms>          how long a normal job takes (default 1000)
  --slow <ms>          how long a slow job takes (default 5000)
  --slow-rate <0..1>   chance that a job is slow (default 0.25)
  --crash-rate <0..1>  chance that a worker crashes halfway through a job (default 0.2)
  --restart <ms>       how long a crashed worker takes to come back (default 1000)
  --poll <ms>          how often an idle worker asks for work (default 250)
  --heartbeat          extend the lease with changeVisibility every timeout / 2 while working
  --duration <ms>      stop the simulation at this time (default 60000)
  --seed <n>           random seed for the slow jobs and crashes (default 1)
`;

// ---------------------------------------------------------------------------
// Options

interface Settings {
  timeoutMs: number;
  messages: number;
  workers: number;
  workMs: number;
  slowMs: number;
  slowRate: number;
  crashRate: number;
  restartMs: number;
  pollMs: number;
  heartbeat: boolean;
  durationMs: number;
  seed: number;
}

function parseCommandLine() {
  return parseArgs({
    options: {
      timeout: { type: "string", default: "3000" },
      messages: { type: "string", default: "6" },
      workers: { type: "string", default: "2" },
      work: { type: "string", default: "1000" },
      slow: { type: "string", default: "5000" },
      "slow-rate": { type: "string", default: "0.25" },
      "crash-rate": { type: "string", default: "0.2" },
      restart: { type: "string", default: "1000" },
      poll: { type: "string", default: "250" },
      heartbeat: { type: "boolean", default: false },
      duration: { type: "string", default: "60000" },
      seed: { type: "string", default: "1" },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
}

function readSettings(): Settings {
  let values: ReturnType<typeof parseCommandLine>["values"];
  try {
    values = parseCommandLine().values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const whole = (name: string, text: string, min: number, max: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) fail(`--${name} must be a whole number from ${min} to ${max}`);
    return value;
  };
  const rate = (name: string, text: string): number => {
    const value = Number(text);
    if (!(value >= 0 && value <= 1)) fail(`--${name} must be a number from 0 to 1`);
    return value;
  };
  return {
    timeoutMs: whole("timeout", values.timeout, 1, 43_200_000),
    messages: whole("messages", values.messages, 1, 40),
    workers: whole("workers", values.workers, 1, 9),
    workMs: whole("work", values.work, 1, 3_600_000),
    slowMs: whole("slow", values.slow, 1, 3_600_000),
    slowRate: rate("slow-rate", values["slow-rate"]),
    crashRate: rate("crash-rate", values["crash-rate"]),
    restartMs: whole("restart", values.restart, 0, 3_600_000),
    pollMs: whole("poll", values.poll, 1, 3_600_000),
    heartbeat: values.heartbeat,
    durationMs: whole("duration", values.duration, 1, 86_400_000),
    seed: whole("seed", values.seed, 0, 2 ** 31 - 1),
  };
}

function fail(problem: string): never {
  warn(problem);
  process.stderr.write(`\n${usage}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------
// A virtual clock. Date.now and the timer functions read and schedule on it,
// so the queue under test sees simulated time whether it uses timers or not.

interface ClockTimer {
  id: number;
  at: number;
  order: number;
  run: () => void;
  every: number | null;
}

class VirtualClock {
  now = 0;
  private readonly timers = new Map<number, ClockTimer>();
  private nextId = 1;
  private nextOrder = 0;

  install(): void {
    const clock = this;
    const handleOf = (id: number) => ({
      id,
      ref() {
        return this;
      },
      unref() {
        return this;
      },
      hasRef() {
        return true;
      },
      refresh() {
        const timer = clock.timers.get(id);
        if (timer) timer.order = clock.nextOrder++;
        return this;
      },
      [Symbol.toPrimitive]() {
        return id;
      },
    });
    const idOf = (handle: unknown): number =>
      typeof handle === "object" && handle !== null && "id" in handle ? Number((handle as { id: unknown }).id) : Number(handle);
    const schedule = (callback: unknown, delay: unknown, args: unknown[], repeat: boolean) => {
      if (typeof callback !== "function") throw new TypeError("the callback must be a function");
      const ms = Math.max(0, Number(delay) || 0);
      const id = this.nextId++;
      this.timers.set(id, {
        id,
        at: this.now + ms,
        order: this.nextOrder++,
        run: () => (callback as (...values: unknown[]) => void)(...args),
        every: repeat ? Math.max(1, ms) : null,
      });
      return handleOf(id);
    };
    const clear = (handle: unknown) => {
      this.timers.delete(idOf(handle));
    };
    Date.now = () => this.now;
    globalThis.setTimeout = ((callback: unknown, delay?: unknown, ...args: unknown[]) => schedule(callback, delay, args, false)) as unknown as typeof setTimeout;
    globalThis.setInterval = ((callback: unknown, delay?: unknown, ...args: unknown[]) => schedule(callback, delay, args, true)) as unknown as typeof setInterval;
    globalThis.clearTimeout = clear as typeof clearTimeout;
    globalThis.clearInterval = clear as typeof clearInterval;
  }

  /** The timer that fires next (earliest time, then the one set first). */
  next(): ClockTimer | undefined {
    let best: ClockTimer | undefined;
    for (const timer of this.timers.values()) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.order < best.order)) best = timer;
    }
    return best;
  }

  fire(timer: ClockTimer): void {
    this.now = Math.max(this.now, timer.at);
    if (timer.every === null) this.timers.delete(timer.id);
    else {
      timer.at += timer.every;
      timer.order = this.nextOrder++;
    }
    timer.run();
  }
}

// ---------------------------------------------------------------------------
// The simulation

interface LogLine {
  at: number;
  worker: string;
  event: string;
  message: string;
  receive: string;
  note: string;
}

interface Work {
  message: number;
  worker: number;
  from: number;
  to: number;
  end: "ack" | "stale-ack" | "crash" | "running";
}

interface SimEvent {
  at: number;
  order: number;
  run: () => void;
}

interface Outcome {
  log: LogLine[];
  work: Work[];
  ackedAt: Map<number, number>;
  completions: number[];
  deliveries: number;
  redeliveries: number;
  staleAcks: number;
  crashes: number;
  heartbeats: number;
  refusedHeartbeats: number;
  endedAt: number;
  finished: boolean;
}

async function simulate(settings: Settings): Promise<Outcome> {
  const clock = new VirtualClock();
  clock.install();
  const { VisibilityQueue } = (await import("@exercise/03-visibility-timeout/visibility-queue")) as {
    VisibilityQueue: typeof VisibilityQueueClass;
  };
  const random = seededRandom(settings.seed);
  const queue = new VisibilityQueue<number>({ visibilityTimeoutMs: settings.timeoutMs });

  const log: LogLine[] = [];
  const work: Work[] = [];
  const ackedAt = new Map<number, number>();
  const completions = Array.from({ length: settings.messages }, () => 0);
  const names = new Map<string, number>();
  const outcome = { deliveries: 0, redeliveries: 0, staleAcks: 0, crashes: 0, heartbeats: 0, refusedHeartbeats: 0 };
  const label = (message: number) => `m${message + 1}`;
  const workerName = (worker: number) => `W${worker + 1}`;
  const say = (worker: number | null, event: string, message: number | null, receive: string, note: string) =>
    log.push({ at: clock.now, worker: worker === null ? "" : workerName(worker), event, message: message === null ? "" : label(message), receive, note });

  // Simulation events run after any queue timers due at the same instant.
  const events: SimEvent[] = [];
  let order = 0;
  const at = (time: number, run: () => void) => events.push({ at: time, order: order++, run });

  for (let message = 0; message < settings.messages; message++) {
    names.set(queue.send(message), message);
  }
  const sent = settings.messages <= 6 ? Array.from({ length: settings.messages }, (_, m) => label(m)).join(" ") : `${label(0)} to ${label(settings.messages - 1)}`;
  say(null, "send", null, "", `${settings.messages} jobs sent: ${sent}`);

  const poll = (worker: number) => {
    const delivery: Delivery<number> | null = queue.receive();
    if (delivery === null) {
      at(clock.now + settings.pollMs, () => poll(worker));
      return;
    }
    const message = names.get(delivery.id) ?? delivery.body;
    outcome.deliveries += 1;
    const again = delivery.receiveCount > 1;
    if (again) outcome.redeliveries += 1;
    const slow = random() < settings.slowRate;
    const crash = random() < settings.crashRate;
    const duration = slow ? settings.slowMs : settings.workMs;
    say(worker, again ? "receive (again)" : "receive", message, String(delivery.receiveCount), slow ? `slow job: ${seconds(duration)} s of work` : "");
    const job: Work = { message, worker, from: clock.now, to: clock.now, end: "running" };
    work.push(job);
    let working = true;

    if (settings.heartbeat) {
      const every = Math.max(1, Math.floor(settings.timeoutMs / 2));
      const beat = () => {
        if (!working) return;
        outcome.heartbeats += 1;
        if (queue.changeVisibility(delivery.receiptHandle, settings.timeoutMs)) {
          say(worker, "extend lease", message, "", `hidden until ${seconds(clock.now + settings.timeoutMs)} s`);
        } else {
          outcome.refusedHeartbeats += 1;
          say(worker, "extend REFUSED", message, "", "the lease had already run out");
        }
        at(clock.now + every, beat);
      };
      at(clock.now + every, beat);
    }

    if (crash) {
      at(clock.now + Math.floor(duration / 2), () => {
        working = false;
        job.to = clock.now;
        job.end = "crash";
        outcome.crashes += 1;
        say(worker, "CRASH", message, "", `no ack; restarts in ${seconds(settings.restartMs)} s`);
        at(clock.now + settings.restartMs, () => {
          say(worker, "restart", null, "", "");
          poll(worker);
        });
      });
      return;
    }
    at(clock.now + duration, () => {
      working = false;
      job.to = clock.now;
      completions[message] = (completions[message] ?? 0) + 1;
      const times = completions[message] ?? 0;
      const done = times > 1 ? `job done (${ordinal(times)} time!)` : "job done";
      if (queue.ack(delivery.receiptHandle)) {
        job.end = "ack";
        ackedAt.set(message, clock.now);
        say(worker, "ack", message, "", done);
      } else {
        job.end = "stale-ack";
        outcome.staleAcks += 1;
        say(worker, "ack REFUSED", message, "", `${done}; stale handle: lease ran out`);
      }
      poll(worker);
    });
  };
  for (let worker = 0; worker < settings.workers; worker++) at(0, () => poll(worker));

  let steps = 0;
  while (ackedAt.size < settings.messages) {
    if (++steps > 1_000_000) break;
    const timer = clock.next();
    let nextEvent: SimEvent | undefined;
    for (const event of events) {
      if (!nextEvent || event.at < nextEvent.at || (event.at === nextEvent.at && event.order < nextEvent.order)) nextEvent = event;
    }
    const timerFirst = timer !== undefined && (nextEvent === undefined || timer.at <= nextEvent.at);
    const time = timerFirst ? timer.at : nextEvent?.at;
    if (time === undefined || time > settings.durationMs) break;
    if (timerFirst) {
      clock.fire(timer);
    } else if (nextEvent) {
      events.splice(events.indexOf(nextEvent), 1);
      clock.now = nextEvent.at;
      nextEvent.run();
    }
  }
  const finished = ackedAt.size === settings.messages;
  const endedAt = finished ? clock.now : settings.durationMs;
  for (const job of work) if (job.end === "running") job.to = endedAt;
  return { log, work, ackedAt, completions, ...outcome, endedAt, finished };
}

// ---------------------------------------------------------------------------
// Output

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3).replace(/\.?0+$/, "") || "0";
}

function ordinal(n: number): string {
  return n === 2 ? "2nd" : n === 3 ? "3rd" : `${n}th`;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join("  ").trimEnd()).join("\n");
}

function chart(outcome: Outcome, settings: Settings): string {
  const steps = [10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000];
  const span = Math.max(outcome.endedAt, 1);
  const step = steps.find((candidate) => span / candidate <= 64) ?? Math.ceil(span / 64);
  const columns = Math.max(1, Math.ceil(span / step) + 1);
  const lines: string[] = [];
  const ruler = Array.from({ length: columns }, (_, column) => (column % 10 === 0 ? "|" : " ")).join("");
  const labels = Array.from({ length: columns }, () => " ");
  for (let column = 0; column < columns; column += 10) {
    const text = `${seconds(column * step)}s`;
    for (let i = 0; i < text.length; i++) labels[column + i] = text[i] ?? " ";
  }
  lines.push(`     ${labels.join("").trimEnd()}`);
  lines.push(`     ${ruler.trimEnd()}`);
  for (let message = 0; message < settings.messages; message++) {
    const acked = outcome.ackedAt.get(message);
    const cells: string[] = [];
    for (let column = 0; column < columns; column++) {
      const from = column * step;
      const to = from + step;
      if (acked !== undefined && from > acked) {
        cells.push(" ");
        continue;
      }
      const jobs = outcome.work.filter((job) => job.message === message);
      const ends = jobs.filter((job) => job.end !== "running" && job.to >= from && job.to < to);
      const busy = new Set(jobs.filter((job) => job.from < to && job.to > from).map((job) => job.worker));
      if (ends.some((job) => job.end === "ack")) cells.push("*");
      else if (ends.some((job) => job.end === "crash")) cells.push("x");
      else if (ends.some((job) => job.end === "stale-ack")) cells.push("!");
      else if (busy.size > 1) cells.push("#");
      else if (busy.size === 1) cells.push(String([...busy][0]! + 1));
      else cells.push(".");
    }
    lines.push(`${`m${message + 1}`.padEnd(5)}${cells.join("").trimEnd()}`);
  }
  lines.push("");
  lines.push(`one column = ${seconds(step)} s`);
  lines.push("digit: that worker is working on the job   . waiting, nobody working on it   # two workers at once");
  lines.push("x worker crashed   ! job done but ack refused (stale)   * acked");
  return lines.join("\n");
}

function report(outcome: Outcome, settings: Settings): string {
  const out: string[] = [];
  out.push(
    wrapped(
      `VisibilityQueue timeline: ${settings.messages} jobs, ${settings.workers} workers, visibility timeout ${seconds(settings.timeoutMs)} s, ` +
        `jobs ${seconds(settings.workMs)} s (slow ${seconds(settings.slowMs)} s, ${Math.round(settings.slowRate * 100)}%), ` +
        `crashes ${Math.round(settings.crashRate * 100)}%, heartbeat ${settings.heartbeat ? "on" : "off"}, seed ${settings.seed}`,
    ),
  );
  out.push("");
  out.push(table([["time (s)", "worker", "event", "job", "receive #", "note"], ...outcome.log.map((line) => [seconds(line.at), line.worker, line.event, line.message, line.receive, line.note])]));
  out.push("");
  out.push(chart(outcome, settings));
  out.push("");
  const duplicates = outcome.completions.map((count, message) => ({ count, message })).filter(({ count }) => count > 1);
  const ranTwice = duplicates.map(({ count, message }) => `m${message + 1} x${count}`).join(", ");
  // value, what it counts, a note
  const rows: [string, string, string][] = [
    [String(settings.messages), "jobs sent", ""],
    [String(outcome.deliveries), "deliveries", `${outcome.redeliveries} of them redeliveries`],
    [String(outcome.completions.reduce((sum, count) => sum + count, 0)), "jobs run to the end", duplicates.length > 0 ? `ran more than once: ${ranTwice}` : "no job ran twice"],
    [String(outcome.ackedAt.size), "acks accepted", ""],
    [String(outcome.staleAcks), "acks refused (stale)", ""],
    [String(outcome.crashes), "crashes", ""],
  ];
  if (settings.heartbeat) rows.push([String(outcome.heartbeats), "lease extensions", `${outcome.refusedHeartbeats} refused`]);
  rows.push(outcome.finished ? [`${seconds(outcome.endedAt)} s`, "every job acked at", ""] : [`${seconds(settings.durationMs)} s`, "not finished by", `${settings.messages - outcome.ackedAt.size} jobs never acked`]);
  out.push(table(rows));
  out.push("");
  if (duplicates.length > 0 && !settings.heartbeat) {
    out.push(wrapped("Some jobs ran twice: a slow worker's lease ran out and another worker got the job. Try --heartbeat, or a longer --timeout."));
  } else if (duplicates.length > 0) {
    out.push(wrapped("Some jobs still ran twice: a heartbeat cannot save a job whose worker crashed after finishing but before acking."));
  } else if (outcome.crashes > 0) {
    out.push(wrapped(`Crashed jobs came back after their visibility timeout (${seconds(settings.timeoutMs)} s). Try a shorter --timeout for faster recovery.`));
  }
  return out.join("\n");
}

try {
  const settings = readSettings();
  const outcome = await simulate(settings);
  process.stdout.write(`${report(outcome, settings)}\n`);
} catch (error) {
  if (error instanceof Error && error.message.startsWith("TODO")) {
    process.stdout.write(`${wrapped("Your VisibilityQueue is not implemented yet. Run `npm run exercise 03`, make the public tests pass, then try this experiment again.")}\n`);
    process.exit(1);
  }
  throw error;
}

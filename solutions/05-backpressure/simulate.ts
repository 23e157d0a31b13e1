/**
 * A discrete-event simulation of one producer, one queue and a pool of
 * identical consumers, in virtual time: no timers, no clock.
 *
 * The loop jumps from one instant to the next instant where something happens
 * (an arrival, a completion or a depth sample) and handles that instant in the
 * contract's order:
 *   1. services that end now complete,
 *   2. the arrival due now happens,
 *   3. idle consumers take waiting messages, oldest first (and a blocked
 *      producer gets in as soon as that frees a slot),
 *   4. depth is measured.
 *
 * Messages are indistinguishable, so the queue is just a count. Every service
 * takes the same time, so services end in the order they started: the
 * completion times form a first-in, first-out line and need no heap.
 */

export interface SimulationOptions {
  /** Arrivals at t = 0, 1000/r, 2000/r, … while t < durationMs. */
  producerRatePerSecond: number;
  /** Each message occupies one consumer this long. */
  serviceTimeMs: number;
  /** Default 1. */
  consumers?: number;
  durationMs: number;
  /** Most messages waiting (not in service); default Infinity. */
  capacity?: number;
  /** What an arrival does when the queue is at capacity; default "drop-newest". */
  policy?: "drop-newest" | "drop-oldest" | "block";
}

export interface SimulationResult {
  /** Arrivals that entered the queue or went straight to a consumer. */
  produced: number;
  /** Services completed at t <= durationMs. */
  processed: number;
  /** drop-newest: arrivals turned away; drop-oldest: waiting messages thrown out to make room. */
  dropped: number;
  /** Most messages waiting after any instant's events. */
  maxDepth: number;
  /** Messages waiting at t = durationMs, after that instant's events. */
  finalDepth: number;
  /** Messages waiting at t = 0, 1000, 2000, … <= durationMs, after that instant's events. */
  depth: number[];
  /** Total time the producer spent blocked before durationMs ("block" only; else 0). */
  producerWaitMs: number;
}

const sampleEveryMs = 1000;
const policies = ["drop-newest", "drop-oldest", "block"] as const;
type Policy = (typeof policies)[number];

interface Settings {
  rate: number;
  serviceTimeMs: number;
  consumers: number;
  durationMs: number;
  capacity: number;
  policy: Policy;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(message);
}

function settingsFrom(options: SimulationOptions): Settings {
  const { producerRatePerSecond: rate, serviceTimeMs, durationMs } = options;
  const consumers = options.consumers ?? 1;
  const capacity = options.capacity ?? Infinity;
  const policy = options.policy ?? "drop-newest";
  check(typeof rate === "number" && Number.isFinite(rate) && rate > 0, `producerRatePerSecond must be a positive, finite number, got ${String(rate)}`);
  check(typeof serviceTimeMs === "number" && Number.isFinite(serviceTimeMs) && serviceTimeMs >= 0, `serviceTimeMs must be a finite number >= 0, got ${String(serviceTimeMs)}`);
  check(Number.isInteger(consumers) && consumers >= 1, `consumers must be an integer >= 1, got ${String(consumers)}`);
  check(typeof durationMs === "number" && Number.isFinite(durationMs) && durationMs >= 0, `durationMs must be a finite number >= 0, got ${String(durationMs)}`);
  check(capacity === Infinity || (Number.isInteger(capacity) && capacity >= 0), `capacity must be an integer >= 0 or Infinity, got ${String(capacity)}`);
  check((policies as readonly string[]).includes(policy), `policy must be one of ${policies.join(", ")}, got ${String(policy)}`);
  return { rate, serviceTimeMs, consumers, durationMs, capacity, policy };
}

/** Completion times in the order the services started (which is also the order they end). */
class CompletionLine {
  private times: number[] = [];
  private head = 0;

  /** The earliest completion time, or Infinity when every consumer is idle. */
  peek(): number {
    return this.head < this.times.length ? (this.times[this.head] as number) : Infinity;
  }

  push(time: number): void {
    this.times.push(time);
  }

  shift(): void {
    this.head += 1;
    if (this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}

export function simulate(options: SimulationOptions): SimulationResult {
  const { rate, serviceTimeMs, consumers, durationMs, capacity, policy } = settingsFrom(options);

  const inService = new CompletionLine();
  let idle = consumers;
  let waiting = 0;
  let produced = 0;
  let processed = 0;
  let dropped = 0;
  let maxDepth = 0;
  let producerWaitMs = 0;
  const depth: number[] = [];

  // Arrivals are due at `anchor + k * 1000 / rate`. The anchor is 0 until the
  // producer is blocked; after that it is the instant the blocked message got
  // in. Multiplying instead of adding 1000/rate again and again keeps the
  // schedule exactly t = 0, 1000/r, 2000/r, … with no rounding drift.
  let anchor = 0;
  let sinceAnchor = 0;
  let nextArrival = 0;
  let blockedSince: number | null = null;
  let nextSample = 0;

  const scheduleNextArrival = (): void => {
    sinceAnchor += 1;
    nextArrival = anchor + (sinceAnchor * 1000) / rate;
  };

  const startService = (now: number): void => {
    idle -= 1;
    inService.push(now + serviceTimeMs);
  };

  /** A message enters at the back of the line; `dispatch`, which runs next at the same instant, hands it to an idle consumer. */
  const enter = (): void => {
    produced += 1;
    waiting += 1;
  };

  const arrive = (now: number): void => {
    // "Full" is judged before idle consumers take waiting messages (step 3):
    // a consumer that finished this instant has not freed a slot yet.
    if ((waiting === 0 && idle > 0) || waiting < capacity) {
      enter();
      scheduleNextArrival();
      return;
    }
    switch (policy) {
      case "drop-newest":
        dropped += 1;
        scheduleNextArrival();
        return;
      case "drop-oldest":
        dropped += 1;
        // The oldest waiting message leaves and the new one takes its place at
        // the back; with capacity 0 nothing waits, so the arrival itself goes.
        if (waiting > 0) produced += 1;
        scheduleNextArrival();
        return;
      case "block":
        blockedSince = now;
        return;
    }
  };

  const dispatch = (now: number): void => {
    for (;;) {
      if (idle > 0 && waiting > 0) {
        waiting -= 1;
        startService(now);
      } else if (blockedSince !== null && (waiting < capacity || idle > 0)) {
        // A consumer just took a message, so the blocked one gets in now
        // (with capacity 0, a free consumer takes it directly), and the
        // producer's schedule restarts from this instant.
        producerWaitMs += now - blockedSince;
        blockedSince = null;
        enter();
        anchor = now;
        sinceAnchor = 0;
        scheduleNextArrival();
      } else {
        return;
      }
    }
  };

  for (;;) {
    const arrivalDue = blockedSince === null && nextArrival < durationMs ? nextArrival : Infinity;
    const now = Math.min(inService.peek(), arrivalDue, nextSample);
    if (now > durationMs) break;

    while (inService.peek() <= now) {
      inService.shift();
      idle += 1;
      processed += 1;
    }
    if (now === arrivalDue) arrive(now);
    dispatch(now);

    maxDepth = Math.max(maxDepth, waiting);
    if (now === nextSample) {
      depth.push(waiting);
      nextSample += sampleEveryMs;
    }
  }

  // A producer still blocked at the end has been waiting since it blocked.
  if (blockedSince !== null) producerWaitMs += durationMs - blockedSince;

  return { produced, processed, dropped, maxDepth, finalDepth: waiting, depth, producerWaitMs };
}

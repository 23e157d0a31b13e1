/**
 * Module 05, part 2: simulate a producer, a queue and slow consumers.
 *
 * Read `lessons/05-backpressure/README.md`, then make the public tests pass:
 *
 *     npm run exercise 05
 *
 * `simulate` runs in virtual time: it works out what would happen, instant by
 * instant, without timers or the real clock, so an hour of traffic takes
 * milliseconds. The same options always give the same result.
 *
 * The rules the grader checks (each has an id in brackets; `bounded-queue.ts`
 * lists the rest, [error-messages] among them):
 * - [arrivals] The producer sends a message at t = 0, 1000/r, 2000/r, … ms (r is
 *   `producerRatePerSecond`) for every such t < `durationMs`. No arrival happens at
 *   t = `durationMs` itself.
 * - [consumers] `consumers` identical consumers (default 1). Each handles one message
 *   at a time, and each message keeps its consumer busy for exactly `serviceTimeMs`.
 * - [waiting-room] Messages that are not in service wait in the queue, oldest first.
 *   `capacity` is the most messages that may wait (default `Infinity`; `0` means
 *   no waiting room at all).
 * - [instant-order] At one instant, things happen in this order:
 *   1. services that end now complete (a consumer becomes idle);
 *   2. the arrival due now (if any) happens;
 *   3. idle consumers take waiting messages, oldest first.
 *   Then the depth (messages waiting) is measured.
 * - [full-queue] The arrival in step 2 goes straight to an idle consumer when no
 *   message is waiting. Otherwise it joins the back of the queue if fewer than
 *   `capacity` are waiting. If `capacity` are already waiting, the queue is full,
 *   even when a consumer finished at this same instant: that consumer only takes
 *   a message in step 3. Then `policy` (default `"drop-newest"`) decides, as below.
 * - [sim-drop-newest] `"drop-newest"`: the arrival is thrown away. It counts in
 *   `dropped`, not in `produced`.
 * - [sim-drop-oldest] `"drop-oldest"`: the oldest waiting message is thrown away
 *   (counted in `dropped`) and the arrival joins the back (counted in `produced`).
 *   With `capacity` 0 nothing is waiting, so the arrival itself is thrown away.
 * - [sim-block] `"block"`: the producer waits with that message until a consumer
 *   takes a message (step 3, perhaps at this same instant). The message then gets
 *   in at that instant (straight to the consumer when `capacity` is 0) and the
 *   producer's next message is due 1000/r ms later. While blocked, the producer
 *   sends nothing.
 *
 * The result:
 * - [produced] `produced`: messages that got in (joined the queue or went straight
 *   to a consumer).
 * - [processed] `processed`: services that completed at any t <= `durationMs` (one
 *   that ends exactly at `durationMs` counts).
 * - [sim-dropped] `dropped`: messages thrown away, as above.
 * - [depth] `depth`: messages waiting at t = 0, 1000, 2000, … <= `durationMs`, each
 *   measured after everything that happens at that instant. `depth[0]` is 0,
 *   because the first message goes straight to an idle consumer.
 * - [final-depth] `finalDepth`: messages waiting at t = `durationMs`, after that
 *   instant's events.
 * - [max-depth] `maxDepth`: the most messages waiting after any instant's events,
 *   so measured after step 3: a message that arrives and is taken at the same
 *   instant never counts as waiting.
 * - [producer-wait] `producerWaitMs`: total time the producer spent blocked up to
 *   `durationMs`, including a wait still going on at the end. Always 0 unless
 *   `policy` is `"block"`.
 * - [end-instant] Everything due at t = `durationMs` still happens except a new
 *   arrival: completions, consumers taking messages, and a blocked message
 *   getting in (it counts in `produced`, and the producer's wait ends there).
 *
 * Options:
 * - [options] Invalid options throw a `RangeError`: a rate that is not a positive,
 *   finite number; `serviceTimeMs` or `durationMs` negative, `NaN` or infinite;
 *   `consumers` not a whole number >= 1; `capacity` not a whole number >= 0 (or
 *   `Infinity`); a policy other than the three above.
 * - [valid-values] Everything else is valid: `serviceTimeMs` and `durationMs` of 0,
 *   `-0` (the same as 0) or a fraction of a millisecond, a fractional rate such as
 *   0.5 a second, `capacity` 0 or `Infinity`.
 * - [options-unchanged] `simulate` never changes the options object it is given:
 *   keep defaults in variables of your own (not `options.consumers ??= 1`).
 * - [sim-speed] The cost of a run should grow with the number of events, not with
 *   the milliseconds simulated or the number of messages waiting (messages are
 *   interchangeable, so a count of waiting messages is enough). An hour at 1000
 *   messages a second against a slow consumer should take a few seconds at most.
 *
 * Check: rate 10, service 5000 ms, one consumer, 60 000 ms gives produced 600,
 * processed 12, finalDepth 587 and depth[1] 10.
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

export function simulate(options: SimulationOptions): SimulationResult {
  throw new Error("TODO: simulate(options) should run the producer, queue and consumers in virtual time and return the counts");
}

/**
 * Module 04: retries and a dead-letter queue.
 *
 * Read `lessons/04-dead-letter-queue/README.md`, then make the public tests pass:
 *
 *     npm run exercise 04
 *
 * Every message is in one of four places: waiting, in flight (delivered by
 * `consume`, not yet acked or nacked), dead (in the dead letters), or gone (acked).
 *
 * The rules the grader checks:
 * - `maxAttempts` defaults to 3. It must be a whole number of at least 1:
 *   0, negative numbers, fractions such as `1.5`, `NaN`, `Infinity` and
 *   `-Infinity` throw a `RangeError`.
 * - Every error you throw has a message that says what was wrong (the words
 *   are yours; an empty message loses the point).
 * - `publish` adds a message at the back of the queue and returns its envelope:
 *   a new string id (no two messages in one queue share an id), the body, attempts 0.
 * - `consume` takes the oldest waiting message, adds 1 to its attempts, puts it
 *   in flight and returns its envelope. It returns `null` when no message is
 *   waiting, including when every message is in flight or dead. There are no
 *   timeouts: a message stays in flight until it is acked or nacked.
 * - `consume` is O(1) amortised: 300,000 publishes followed by 300,000
 *   consumes (each acked) finish well under a second. `Array.prototype.shift`
 *   is O(n), and so is taking the first entry of a `Map` you keep deleting
 *   from: use module 01's head index, or a linked list.
 * - Memory follows what the queue holds: after 500,000 messages pass through
 *   a queue that holds three, it uses no more memory than before. Keep nothing
 *   for a message once it is acked or dead-lettered and gone.
 * - `ack(id)` returns `true` and removes an in-flight message for good. For any
 *   other id (unknown, already acked, waiting, dead) it returns `false` and
 *   changes nothing.
 * - `nack(id, reason?)` on an in-flight message:
 *   - attempts below `maxAttempts`: the message goes to the BACK of the queue,
 *     behind every message already waiting, and `nack` returns "requeued";
 *   - attempts equal to `maxAttempts`: the message becomes a dead letter with
 *     the given reason (or "nack" when no reason is given; an empty string ""
 *     is a reason like any other), and `nack` returns "dead-lettered".
 *   For an id that is not in flight, `nack` returns `null` and changes nothing.
 * - `deadLetters()` lists the dead letters in the order they were
 *   dead-lettered, earliest first (not the order they were published).
 * - `redrive()` moves every dead letter to the back of the queue, behind the
 *   messages already waiting, in dead-letter order, with attempts reset to 0.
 *   It returns how many it moved (0 when there were none) and empties the dead letters.
 * - `size()` counts waiting messages only: not in flight, not dead.
 * - A message keeps its id for its whole life: across retries and redrives.
 * - Bodies come back unchanged, including `0`, `""`, `false`, `null` and `undefined`.
 * - The queue never hands out its own records. `publish`, `consume` and
 *   `deadLetters` return new objects (and `deadLetters` a new array) each time,
 *   so changing what you got back never changes the queue, and an envelope
 *   you already hold does not change when the message is delivered again.
 *   (Only the envelope is copied: the body is passed through as it is.)
 * - Two queues never share messages, ids or dead letters.
 */

/** A message as the queue hands it out. */
export interface Envelope<T> {
  id: string;
  body: T;
  attempts: number;
}

/** A message that used up its attempts, with the reason given to the `nack` that gave up on it. */
export interface DeadLetter<T> extends Envelope<T> {
  reason: string;
}

export class MessageQueue<T = unknown> {
  /** `maxAttempts` (default 3): how many deliveries a message gets. Not a whole number >= 1? Throw a RangeError. */
  constructor(options?: { maxAttempts?: number }) {
    throw new Error("TODO: the constructor should store maxAttempts (default 3) and throw a RangeError unless it is a whole number >= 1");
  }

  /** Adds a message at the back of the queue; returns a copy of its envelope with a new id and attempts 0. */
  publish(body: T): Envelope<T> {
    throw new Error("TODO: publish(body) should add a message with a new id and attempts 0, and return a copy of its envelope");
  }

  /** Delivers the oldest waiting message (attempts + 1, now in flight), or returns `null` when none is waiting. */
  consume(): Envelope<T> | null {
    throw new Error("TODO: consume() should deliver the oldest waiting message with attempts + 1, or return null when none is waiting");
  }

  /** Finishes an in-flight message: `true`; any other id: `false`. */
  ack(id: string): boolean {
    throw new Error("TODO: ack(id) should remove an in-flight message and return true, or return false for any other id");
  }

  /** Fails an in-flight message: "requeued" (to the back) below the limit, "dead-lettered" at it; `null` for any other id. */
  nack(id: string, reason?: string): "requeued" | "dead-lettered" | null {
    throw new Error("TODO: nack(id, reason) should requeue an in-flight message at the back, or dead-letter it once it reaches maxAttempts");
  }

  /** Copies of the dead letters, in the order they were dead-lettered. */
  deadLetters(): DeadLetter<T>[] {
    throw new Error("TODO: deadLetters() should return copies of the dead letters, earliest dead-lettered first");
  }

  /** Moves every dead letter to the back of the queue with attempts 0; returns how many. */
  redrive(): number {
    throw new Error("TODO: redrive() should move every dead letter to the back of the queue with attempts 0 and return how many");
  }

  /** How many messages are waiting (not in flight, not dead). */
  size(): number {
    throw new Error("TODO: size() should return how many messages are waiting");
  }
}

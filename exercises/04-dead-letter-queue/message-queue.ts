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
 * The rules the grader checks (each test names the ids of the rules it checks):
 * - [max-attempts] `maxAttempts` defaults to 3 (also when you pass `{}`), and a
 *   message gets that many deliveries: the nack of its `maxAttempts`-th
 *   delivery dead-letters it.
 * - [bad-max-attempts] `maxAttempts` must be a whole number of at least 1:
 *   0, negative numbers, fractions such as `1.5`, `NaN`, `Infinity` and
 *   `-Infinity` throw a `RangeError`.
 * - [error-messages] Every error you throw has a message that says what was
 *   wrong (the words are yours; an empty message loses the point).
 * - [publish] `publish` adds a message at the back of the queue and returns
 *   its envelope: a string id, the body, attempts 0.
 * - [unique-ids] No two messages in one queue share an id, even after other
 *   messages were acked or dead-lettered. (Two queues may hand out the same ids.)
 * - [consume] `consume` takes the oldest waiting message, adds 1 to its
 *   attempts, puts it in flight and returns its envelope. It returns `null`
 *   when no message is waiting, including when every message is in flight or
 *   dead. There are no timeouts: a message stays in flight until it is acked
 *   or nacked.
 * - [speed] `consume` is O(1) amortised: 300,000 publishes followed by 300,000
 *   consumes (each acked) finish well under a second. `Array.prototype.shift`
 *   is O(n), and so is taking the first entry of a `Map` you keep deleting
 *   from: use module 01's head index, or a linked list.
 * - [memory] Memory follows what the queue holds, whatever path the messages
 *   take: after hundreds of thousands of messages pass through a queue that
 *   holds a few (acked at once, nacked and requeued before they are acked, or
 *   dead-lettered and redriven again and again before they are acked), it uses
 *   no more memory than before. Keep nothing for a message that is gone: no
 *   record of every id ever seen, no history of dead letters already redriven.
 * - [ack] `ack(id)` returns `true` and removes an in-flight message for good.
 *   For any other id (unknown, already acked, waiting, dead) it returns
 *   `false` and changes nothing.
 * - [requeue] `nack(id, reason?)` on an in-flight message whose attempts are
 *   below `maxAttempts` puts it at the BACK of the queue, behind every message
 *   already waiting, and returns "requeued". Messages nacked one after another
 *   line up in the order they were nacked.
 * - [dead-letter] `nack(id, reason?)` on an in-flight message whose attempts
 *   have reached `maxAttempts` makes it a dead letter (its id, body, attempts
 *   and reason) and returns "dead-lettered".
 * - [reason] A dead letter's reason is the one given to the nack that
 *   dead-lettered it, or "nack" when none is given, `nack(id, undefined)`
 *   included. An empty string "" is a reason like any other and is kept.
 * - [not-in-flight] For an id that is not in flight (unknown, acked, waiting
 *   or dead), `nack` returns `null` and changes nothing.
 * - [dead-order] `deadLetters()` lists the dead letters in the order they were
 *   dead-lettered, earliest first (not the order they were published).
 * - [redrive] `redrive()` moves every dead letter to the back of the queue,
 *   behind the messages already waiting, in dead-letter order, with attempts
 *   reset to 0. It returns how many it moved (0 when there were none) and
 *   empties the dead letters. Messages in flight are not touched.
 * - [size] `size()` counts waiting messages only: not in flight, not dead.
 * - [same-id] A message keeps its id for its whole life: across retries and redrives.
 * - [falsy] Bodies come back unchanged, including `0`, `""`, `false`, `null`
 *   and `undefined`.
 * - [same-object] A body is passed through as it is, never copied: envelopes
 *   and dead letters carry the very value that was published.
 * - [copies] The queue never hands out its own records. `publish`, `consume`
 *   and `deadLetters` return new objects (and `deadLetters` a new array) each
 *   time, so changing what you got back never changes the queue, and an
 *   envelope you already hold does not change when the message is delivered again.
 * - [inputs-unchanged] The queue never changes what you pass in: a body
 *   object is not stamped (no id or attempts written onto it), and the options
 *   object is left as it was (no default filled in).
 * - [separate] Two queues, even used together, share nothing: one never
 *   delivers, acks, nacks, counts or dead-letters another's messages, and each
 *   keeps its own `maxAttempts`. A `static` id counter is harmless; a `static`
 *   store of messages is not.
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

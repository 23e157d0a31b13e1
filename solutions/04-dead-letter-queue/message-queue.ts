/** A message as the queue hands it out: its id, its body and how many times it has been delivered. */
export interface Envelope<T> {
  id: string;
  body: T;
  attempts: number;
}

/** A message that used up its attempts, with the reason given to the `nack` that gave up on it. */
export interface DeadLetter<T> extends Envelope<T> {
  reason: string;
}

/**
 * A work queue with retries and a dead-letter queue.
 *
 * Every message is in exactly one of four places: waiting (in `waiting`, in
 * delivery order), in flight (in `inFlight`, delivered and not yet acked or
 * nacked), dead (in `dead`, in the order it died), or gone (acked). `ack` and
 * `nack` only ever look in `inFlight`, so an id that is waiting, dead, acked
 * or unknown can never be finished or retried by mistake.
 *
 * The queue keeps its own records and never hands them out: every method
 * returns fresh objects, so a caller who edits what it got back (say, bumps
 * `attempts` or empties the dead-letter array) cannot corrupt the queue.
 */
export class MessageQueue<T = unknown> {
  private readonly maxAttempts: number;
  private readonly waiting = new Fifo<Envelope<T>>();
  private readonly inFlight = new Map<string, Envelope<T>>();
  private dead: DeadLetter<T>[] = [];
  private nextId = 1;

  /** `maxAttempts` (default 3) is how many deliveries a message gets before a failure dead-letters it. */
  constructor(options?: { maxAttempts?: number }) {
    const maxAttempts = options?.maxAttempts ?? 3;
    // Number.isInteger rejects NaN, ±Infinity and fractions in one check.
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be an integer of at least 1, got ${String(maxAttempts)}`);
    }
    this.maxAttempts = maxAttempts;
  }

  /** Adds a message at the back of the queue and returns a copy of its envelope (attempts 0). */
  publish(body: T): Envelope<T> {
    const message: Envelope<T> = { id: `m${this.nextId++}`, body, attempts: 0 };
    this.waiting.push(message);
    return { ...message };
  }

  /** Delivers the oldest waiting message: counts the attempt and holds it in flight. `null` when nothing waits. */
  consume(): Envelope<T> | null {
    const message = this.waiting.shift();
    if (message === undefined) return null;
    message.attempts += 1;
    this.inFlight.set(message.id, message);
    return { ...message };
  }

  /** Finishes an in-flight message for good. `false` (and no change) for any id that is not in flight. */
  ack(id: string): boolean {
    return this.inFlight.delete(id);
  }

  /**
   * Reports that processing an in-flight message failed. Below the limit the
   * message goes to the back of the queue, behind everything already waiting,
   * so one bad message cannot stop the others; at the limit it is dead-lettered.
   * `null` (and no change) for any id that is not in flight.
   */
  nack(id: string, reason?: string): "requeued" | "dead-lettered" | null {
    const message = this.inFlight.get(id);
    if (message === undefined) return null;
    this.inFlight.delete(id);
    if (message.attempts >= this.maxAttempts) {
      // `??`, not `||`: an empty reason was still given, so it is kept.
      this.dead.push({ ...message, reason: reason ?? "nack" });
      return "dead-lettered";
    }
    this.waiting.push(message);
    return "requeued";
  }

  /** Copies of the dead letters, in the order they were dead-lettered (earliest first). */
  deadLetters(): DeadLetter<T>[] {
    return this.dead.map((letter) => ({ ...letter }));
  }

  /**
   * Moves every dead letter to the back of the queue, in dead-letter order,
   * with attempts reset to 0 and the same id. Returns how many moved.
   */
  redrive(): number {
    const letters = this.dead;
    this.dead = [];
    for (const { id, body } of letters) this.waiting.push({ id, body, attempts: 0 });
    return letters.length;
  }

  /** How many messages are waiting: in flight and dead messages do not count. */
  size(): number {
    return this.waiting.size();
  }
}

/**
 * A first-in, first-out list with O(1) amortised push and shift (module 01's
 * head-index array): `Array.prototype.shift` would make each consume O(n).
 */
class Fifo<V> {
  private items: (V | undefined)[] = [];
  private head = 0;

  push(item: V): void {
    this.items.push(item);
  }

  shift(): V | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  size(): number {
    return this.items.length - this.head;
  }
}

/**
 * Module 05, part 1: a bounded queue that pushes back when it is full.
 *
 * Read `lessons/05-backpressure/README.md`, then make the public tests pass:
 *
 *     npm run exercise 05
 *
 * The rules the grader checks (each has an id in brackets; the tests name the
 * rules they check, and `simulate.ts` lists the rest):
 * - [capacity] `new BoundedQueue(capacity, policy)`: `capacity` is the most items the
 *   queue holds. It must be a whole number of at least 1; anything else (`0`, `-1`,
 *   `1.5`, `NaN`, `Infinity`) throws a `RangeError`.
 * - [policy] `policy` defaults to `"block"`. Any other policy than the four throws a
 *   `RangeError` (names are case-sensitive).
 * - [error-messages] Every error you throw, here and in `simulate.ts`, has a message
 *   that says what was wrong (the words are yours; an empty message loses the point).
 * - [fifo] `consume()` resolves with the oldest held item, and removes it.
 * - [consume-waits] When nothing is held, `consume()` waits (its promise stays
 *   pending) until an item is published.
 * - [consumer-order] Consumers that wait are served in the order they called
 *   `consume`, and a later `consume` never takes an item ahead of a consumer that
 *   was already waiting.
 * - [speed] `consume` is O(1) amortised however many items are held (300,000
 *   published, then consumed, in well under a second: `Array.prototype.shift` is O(n)).
 * - [memory] A queue keeps no memory for what has passed through it: not for the
 *   items consumed or dropped, not for the consumers that waited and were served,
 *   not for the publishers that were blocked and got in. The tests send up to a
 *   million items, and 150,000 waiting consumers and blocked publishers, through
 *   a queue that holds a few items at a time.
 * - [publish-resolves] `publish(item)` resolves once the item is held, or handed
 *   straight to a consumer that was already waiting.
 * - [handoff] An item handed over like that is never held, so it never counts
 *   against the capacity (and is never dropped or rejected).
 * - [block] When the queue is full, `"block"`: the promise stays pending until a
 *   `consume` frees a slot. In that same `consume`, the first blocked item goes in
 *   at the back, behind the items already held, and its `publish` then resolves.
 * - [block-order] Blocked publishers get in one by one, in the order they called
 *   `publish`. A later `publish` never gets in ahead of a publisher that is
 *   already blocked.
 * - [reject] When the queue is full, `"reject"`: the promise rejects with a
 *   `QueueFullError` (a subclass of `Error`) and the item is not kept. Return a
 *   rejected promise; do not throw. Keep the class below as it is: its `name` is
 *   `"QueueFullError"`. A rejected item is not counted in `dropped`: its publisher was told.
 * - [drop-newest] When the queue is full, `"drop-newest"`: the new item is thrown
 *   away, `publish` still resolves, and `dropped` goes up by one.
 * - [drop-oldest] When the queue is full, `"drop-oldest"`: the oldest held item is
 *   thrown away, the new item goes in at the back, `publish` resolves, and
 *   `dropped` goes up by one.
 * - [size] `size()` counts the items held. Items of blocked publishers are not held
 *   yet, and items handed straight to a consumer never were.
 * - [dropped] `dropped` counts the items the two drop policies threw away (0 at the start).
 * - [falsy] Items can be any value, including `0`, `""`, `false` and `null`.
 * - [items-unchanged] An item comes out as it went in: the very same object, which
 *   the queue never changes (no id, time or other field stamped on it).
 * - [separate] Queues share nothing: each has its own held items, waiting consumers,
 *   blocked publishers and `dropped` count, however several queues are used together.
 * - [no-timers] Settle promises directly, without timers: the tests let pending
 *   promise callbacks run and then check which promises have settled, some of
 *   them with the clock stopped, so a promise that waits for a timer never settles.
 */

export type OverflowPolicy = "block" | "reject" | "drop-oldest" | "drop-newest";

/** The error a `"reject"` queue gives a publisher when it is full. (This class is done for you.) */
export class QueueFullError extends Error {
  constructor(message = "the queue is full") {
    super(message);
    this.name = "QueueFullError";
  }
}

export class BoundedQueue<T = unknown> {
  /**
   * @param capacity the most items the queue holds: an integer >= 1, else `RangeError`.
   * @param policy what `publish` does when the queue is full; default `"block"`. Any other string, `RangeError`.
   */
  constructor(capacity: number, policy: OverflowPolicy = "block") {
    throw new Error("TODO: the constructor should check capacity (an integer >= 1, else RangeError) and set up an empty queue");
  }

  /**
   * Offers an item. Resolves once the item is held or handed to a waiting
   * consumer; when the queue is full, the policy decides what happens.
   */
  publish(item: T): Promise<void> {
    throw new Error("TODO: publish(item) should hand the item to a waiting consumer, hold it, or apply the overflow policy");
  }

  /** Takes the oldest held item, or waits (in line with other consumers) until one is published. */
  consume(): Promise<T> {
    throw new Error("TODO: consume() should resolve with the oldest held item, or wait in line until one is published");
  }

  /** How many items are held (not counting blocked publishers). */
  size(): number {
    throw new Error("TODO: size() should return how many items are held");
  }

  /** How many items the drop policies have thrown away. */
  get dropped(): number {
    throw new Error("TODO: dropped should count the items thrown away by drop-oldest and drop-newest");
  }
}

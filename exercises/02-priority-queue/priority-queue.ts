/**
 * Module 02: a priority queue.
 *
 * Read `lessons/02-priority-queue/README.md`, then make the public tests pass:
 *
 *     npm run exercise 02
 *
 * The rules the grader checks:
 * - [highest-first] `dequeue` returns the waiting item with the highest priority, and removes it.
 *   A higher number means more urgent: priority 5 is served before priority 1.
 * - [fifo-ties] Items with equal priorities come out in the order they were enqueued
 *   (first in, first out among equals), however many other items come and go.
 * - [default-zero] `enqueue(item)` without a priority uses priority 0: it ties with an
 *   explicit `0` in arrival order, and ranks below `0.001` and above `-0.001`.
 * - [negative-zero] `-0` and `0` are the same priority, as `-0 === 0` says: an
 *   item at `-0` ties with one at `0` and with one enqueued without a
 *   priority, in arrival order.
 * - [any-finite] A priority can be any finite number: negative (`-3`), fractional (`2.5`)
 *   and extreme (`Number.MAX_VALUE`, `Number.MIN_VALUE`) priorities are fine,
 *   compared exactly, with no rounding: `1 + 2 ** -40` outranks `1`, and
 *   `16777217` outranks `16777216` (a `Float32Array` would lose both).
 * - [invalid-priority] `NaN`, `Infinity` and `-Infinity` throw a `RangeError`, and
 *   the rejected item is not added to the queue.
 * - [error-message] Every error you throw has a message that says what was wrong (the words
 *   are yours; an empty message loses the point).
 * - [peek] `peek` returns the item `dequeue` would return, without removing it.
 * - [empty-null] `dequeue` and `peek` on an empty queue return `null` (they do not throw).
 * - [falsy] Falsy items are items too: `0`, `""` and `false` go in and come out unchanged.
 * - [same-object] An item comes out as the very value that went in: an object is not copied.
 * - [inputs-unchanged] The queue never changes an item: it adds no field to an
 *   item object and changes none (a frozen item works too).
 * - [size] `size` counts the items waiting.
 * - [separate] Two queues never share items, even when they are used together,
 *   their calls interleaved.
 * - [speed] `enqueue` and `dequeue` are O(log n). The grader enqueues and dequeues
 *   several hundred thousand items, with priorities that rise, fall, repeat or
 *   are all different, and each phase must finish within a few seconds (a
 *   binary heap needs well under one). A sorted array kept in order with
 *   `splice` or `shift`, or a scan for the best item on every `dequeue`, is
 *   O(n) per operation and too slow.
 * - [memory] Memory follows what the queue holds: after many items, each with
 *   a priority of its own, pass through a queue that holds a few, it uses no
 *   more memory than before. A design with one bucket per priority must drop
 *   a bucket once it is empty.
 */
export class PriorityQueue<T = unknown> {
  /** Adds an item. A higher priority is served sooner; the default priority is 0. */
  enqueue(item: T, priority = 0): void {
    throw new Error("TODO: enqueue(item, priority) should add the item with its priority (default 0)");
  }

  /** Removes and returns the highest-priority item (the oldest among equals), or `null` when empty. */
  dequeue(): T | null {
    throw new Error("TODO: dequeue() should remove and return the highest-priority item, or null when empty");
  }

  /** Returns the item `dequeue` would return next, without removing it, or `null` when empty. */
  peek(): T | null {
    throw new Error("TODO: peek() should return the next item without removing it, or null when empty");
  }

  /** How many items are waiting. */
  size(): number {
    throw new Error("TODO: size() should return how many items are waiting");
  }
}

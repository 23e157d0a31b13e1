/**
 * A bounded, asynchronous queue with a choice of what to do when it is full.
 *
 * Three first-in, first-out lines live inside it:
 * - `held`: items accepted and waiting for a consumer (at most `capacity`);
 * - `consumers`: consumers waiting for an item (only ever non-empty while `held` is empty);
 * - `publishers`: publishers blocked by a full queue (only ever non-empty while `held` is full).
 *
 * Keeping those two "only ever" invariants true is the whole trick: an item
 * never waits while a consumer waits, and a publisher never waits while there
 * is room.
 */

export type OverflowPolicy = "block" | "reject" | "drop-oldest" | "drop-newest";

const policies: readonly OverflowPolicy[] = ["block", "reject", "drop-oldest", "drop-newest"];

/** The error a `"reject"` queue gives a publisher when it is full. */
export class QueueFullError extends Error {
  constructor(message = "the queue is full") {
    super(message);
    this.name = "QueueFullError";
  }
}

/**
 * A first-in, first-out line with O(1) push and shift: an array that grows at
 * the tail and a head index that moves forward, compacted when more than half
 * of the array is already used up (as in module 01).
 */
class Line<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Removes and returns the oldest entry. Call it only when `length > 0`. */
  shift(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined as T;
    this.head += 1;
    if (this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

interface BlockedPublisher<T> {
  item: T;
  admit: () => void;
}

export class BoundedQueue<T = unknown> {
  private readonly capacity: number;
  private readonly policy: OverflowPolicy;
  private readonly held = new Line<T>();
  private readonly consumers = new Line<(item: T) => void>();
  private readonly publishers = new Line<BlockedPublisher<T>>();
  private droppedCount = 0;

  /**
   * @param capacity the most items the queue holds: an integer >= 1, else `RangeError`.
   * @param policy what `publish` does when the queue is full; default `"block"`. Any other string, `RangeError`.
   */
  constructor(capacity: number, policy: OverflowPolicy = "block") {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be an integer of at least 1, got ${String(capacity)}`);
    }
    if (!policies.includes(policy)) {
      throw new RangeError(`policy must be one of ${policies.join(", ")}, got ${String(policy)}`);
    }
    this.capacity = capacity;
    this.policy = policy;
  }

  /**
   * Offers an item. Resolves once the item is held or handed to a waiting
   * consumer; what happens when the queue is full depends on the policy.
   */
  publish(item: T): Promise<void> {
    // A consumer is already waiting (so nothing is held): hand the item over.
    // It never occupies a slot, so capacity does not come into it.
    if (this.consumers.length > 0) {
      this.consumers.shift()(item);
      return Promise.resolve();
    }
    if (this.held.length < this.capacity) {
      this.held.push(item);
      return Promise.resolve();
    }
    switch (this.policy) {
      case "block":
        // Wait in line; `consume` lets the longest-waiting publisher in when it frees a slot.
        return new Promise((resolve) => this.publishers.push({ item, admit: resolve }));
      case "reject":
        return Promise.reject(new QueueFullError());
      case "drop-newest":
        this.droppedCount += 1;
        return Promise.resolve();
      case "drop-oldest":
        this.held.shift();
        this.droppedCount += 1;
        this.held.push(item);
        return Promise.resolve();
    }
  }

  /** Takes the oldest held item, or waits (in line with other consumers) until one is published. */
  consume(): Promise<T> {
    if (this.held.length === 0) {
      return new Promise((resolve) => this.consumers.push(resolve));
    }
    const item = this.held.shift();
    // A slot just opened. If publishers are blocked, the first one takes it at
    // once, behind the items already held, so blocked items keep their order.
    if (this.publishers.length > 0) {
      const publisher = this.publishers.shift();
      this.held.push(publisher.item);
      publisher.admit();
    }
    return Promise.resolve(item);
  }

  /** Items held. Blocked publishers' items are not held yet, so they do not count. */
  size(): number {
    return this.held.length;
  }

  /** How many items the drop policies have thrown away. */
  get dropped(): number {
    return this.droppedCount;
  }
}

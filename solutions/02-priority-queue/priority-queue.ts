/** One waiting item with the two numbers that decide when it is served. */
interface Entry<T> {
  item: T;
  priority: number;
  /** Arrival number: 0 for the first item ever enqueued, then 1, 2, 3, … */
  arrival: number;
}

/**
 * A priority queue: the item with the highest priority is served first, and
 * items with equal priorities are served in the order they arrived.
 *
 * The items live in a binary max-heap stored in an array: the entry at index i
 * has its children at 2i + 1 and 2i + 2, and no child ever outranks its
 * parent, so the best entry is always at index 0. Enqueue and dequeue each
 * walk one path between the root and a leaf, which is O(log n) steps.
 *
 * A heap on its own is not stable: moving entries up and down the tree
 * shuffles entries with equal priorities. So every entry also carries an
 * arrival number from a counter that only goes up, and "outranks" compares
 * the priority first and the arrival number second. No two entries share an
 * arrival number, so the order is total and ties come out first in, first out.
 */
export class PriorityQueue<T = unknown> {
  private heap: Entry<T>[] = [];
  private arrivals = 0;

  /**
   * Adds an item. A higher priority is served sooner; without one the item
   * gets priority 0. Any finite number is allowed, negative and fractional
   * too. `NaN`, `Infinity` and `-Infinity` throw a `RangeError`, and the item
   * is not added.
   */
  enqueue(item: T, priority = 0): void {
    // NaN would break every comparison (NaN > x and NaN < x are both false),
    // silently corrupting the heap, so it is rejected up front.
    if (!Number.isFinite(priority)) {
      throw new RangeError(`priority must be a finite number, got ${String(priority)}`);
    }
    this.heap.push({ item, priority, arrival: this.arrivals++ });
    this.siftUp(this.heap.length - 1);
  }

  /** Removes and returns the item to serve next, or `null` when the queue is empty. */
  dequeue(): T | null {
    const top = this.heap[0];
    if (top === undefined) return null;
    const last = this.heap.pop() as Entry<T>;
    // If the root was the only entry, the heap is now empty; otherwise the
    // last leaf fills the hole at the root and sinks to its place.
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top.item;
  }

  /** The item `dequeue` would return next, without removing it; `null` when empty. */
  peek(): T | null {
    const top = this.heap[0];
    return top === undefined ? null : top.item;
  }

  /** How many items are waiting. */
  size(): number {
    return this.heap.length;
  }

  /** True when `a` must be served before `b`. */
  private outranks(a: Entry<T>, b: Entry<T>): boolean {
    return a.priority > b.priority || (a.priority === b.priority && a.arrival < b.arrival);
  }

  /** Moves the entry at `index` up while it outranks its parent. */
  private siftUp(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as Entry<T>;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as Entry<T>;
      if (!this.outranks(entry, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = entry;
  }

  /** Moves the entry at `index` down while one of its children outranks it. */
  private siftDown(index: number): void {
    const heap = this.heap;
    const entry = heap[index] as Entry<T>;
    const length = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let best = left;
      if (right < length && this.outranks(heap[right] as Entry<T>, heap[left] as Entry<T>)) best = right;
      const child = heap[best] as Entry<T>;
      if (!this.outranks(child, entry)) break;
      heap[index] = child;
      index = best;
    }
    heap[index] = entry;
  }
}

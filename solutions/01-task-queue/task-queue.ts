/**
 * A first-in, first-out task queue.
 *
 * Tasks live in an array that only grows at the tail; `head` marks the oldest
 * task still waiting. Dequeuing moves `head` forward instead of calling
 * `Array.prototype.shift`, which would move every remaining task down one slot.
 * When more than half of the array is dead space we drop it in one `slice`,
 * so memory stays proportional to the tasks waiting and each dequeue is still
 * O(1) amortised: every task is copied at most once per compaction, and a
 * compaction only happens after at least as many dequeues as tasks it keeps.
 */
export class TaskQueue<T = unknown> {
  private tasks: T[] = [];
  private head = 0;

  /** Adds a task at the back of the queue. Falsy values such as `0`, `""` and `false` are tasks too. */
  enqueue(task: T): void {
    this.tasks.push(task);
  }

  /** Removes and returns the oldest waiting task, or `null` when no task is waiting. */
  dequeue(): T | null {
    if (this.head === this.tasks.length) return null;
    const task = this.tasks[this.head] as T;
    // Let the garbage collector reclaim the task before the next compaction.
    this.tasks[this.head] = undefined as T;
    this.head += 1;
    if (this.head * 2 > this.tasks.length) {
      this.tasks = this.tasks.slice(this.head);
      this.head = 0;
    }
    return task;
  }

  /** How many tasks are waiting. */
  size(): number {
    return this.tasks.length - this.head;
  }
}

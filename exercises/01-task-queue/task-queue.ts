/**
 * Module 01: a first-in, first-out task queue.
 *
 * Read `lessons/01-task-queue/README.md`, then make the public tests pass:
 *
 *     npm run exercise 01
 *
 * The rules the grader checks:
 * - `dequeue` returns the task that was enqueued earliest, and removes it.
 * - `dequeue` on an empty queue returns `null` (not `undefined`, and it does not throw).
 * - Falsy tasks are tasks too: `0`, `""` and `false` go in and come out unchanged.
 * - A task comes out as the very value that went in: an object is not copied.
 * - `size` counts the tasks waiting.
 * - Two queues never share tasks.
 * - Types: the course's tsconfig has `noUncheckedIndexedAccess`, so
 *   `this.tasks[this.head]` is `T | undefined` to TypeScript. Once you know a
 *   task is waiting, write `this.tasks[this.head] as T`. Type errors cost no
 *   points (grading runs the code), but `npm run exercise` shows them.
 * - `dequeue` is O(1) amortised: a million enqueues followed by a million
 *   dequeues finish well under a second. (`Array.prototype.shift` is O(n).)
 * - Memory follows what the queue holds: after 2 million tasks pass through a
 *   queue that holds three, it uses no more memory than before. A head index
 *   that never compacts keeps a dead slot for every task ever dequeued.
 */
export class TaskQueue<T = unknown> {
  /** Adds a task at the back of the queue. */
  enqueue(task: T): void {
    throw new Error("TODO: enqueue(task) should add the task at the back of the queue");
  }

  /** Removes and returns the oldest waiting task, or `null` when no task is waiting. */
  dequeue(): T | null {
    throw new Error("TODO: dequeue() should remove and return the oldest task, or null when empty");
  }

  /** How many tasks are waiting. */
  size(): number {
    throw new Error("TODO: size() should return how many tasks are waiting");
  }
}

/**
 * Module 01: a first-in, first-out task queue.
 *
 * Read `lessons/01-task-queue/README.md`, then make the public tests pass:
 *
 *     npm run exercise 01
 *
 * The rules the grader checks:
 * - [fifo] `dequeue` returns the task that was enqueued earliest, and removes it,
 *   whatever mix of enqueues and dequeues came before: the order holds when
 *   the storage wraps around, grows or shrinks (a ring buffer, say).
 * - [empty-null] `dequeue` on an empty queue returns `null` (not `undefined`, and it does not throw).
 * - [falsy] Falsy tasks are tasks too: `0`, `""` and `false` go in and come out unchanged.
 * - [same-object] A task comes out as the very value that went in: an object is not copied.
 * - [any-value] Any value is a task: an object, an array, a function or
 *   `undefined` comes out as the same value (an array is not spread into its
 *   elements or copied).
 * - [inputs-unchanged] The queue never changes a task: it adds no field to a
 *   task object and changes none (a frozen task works too).
 * - [size] `size` counts the tasks waiting.
 * - [separate] Two queues never share tasks, even when they are used together,
 *   their calls interleaved.
 * - [speed] `dequeue` is O(1) amortised: a million enqueues followed by a million
 *   dequeues finish well under a second. (`Array.prototype.shift` is O(n).)
 * - [memory] Memory follows what the queue holds: after 2 million tasks pass
 *   through a queue that holds three, it uses no more memory than before. And
 *   a queue keeps no hold on a task it has handed out: once dequeued, a task
 *   can be garbage collected even if the queue is never used again. A head
 *   index that never compacts keeps a dead slot for every task dequeued;
 *   compacting only in `enqueue` keeps a drained queue's tasks alive. Clear a
 *   task's slot when it leaves.
 *
 * Types: the course's tsconfig has `noUncheckedIndexedAccess`, so
 * `this.tasks[this.head]` is `T | undefined` to TypeScript. Once you know a
 * task is waiting, write `this.tasks[this.head] as T`. Type errors cost no
 * points (your instructor's grader runs the code), but `npm run exercise`
 * shows them and the check your push runs turns red on them.
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

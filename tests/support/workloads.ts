import type * as PriorityQueueModule from "@exercise/02-priority-queue/priority-queue";
import type * as TaskQueueModule from "@exercise/01-task-queue/task-queue";
import type * as MessageQueueModule from "@exercise/04-dead-letter-queue/message-queue";
import type * as BoundedQueueModule from "@exercise/05-backpressure/bounded-queue";
import { runWithinBudget, runWithinBudgetAsync } from "./complexity.ts";
import { liveHeapBytes } from "./memory.ts";
import { seededRandom } from "./random.ts";

// Speed checks make hundreds of thousands of calls, too many to cross a
// process boundary one by one. Each is a named workload: the suite runs it
// here in the test's process, and the grader runs it inside the process that
// holds the submission, in one round trip. A workload returns only what it
// saw; the suite decides whether that is right. Items are numbered from a
// seed the suite chooses, so no answer can be prepared in advance.

interface Budget {
  budgetMs: number;
  seed: number;
}

/** Distinct item numbers for one run: `offset + index` with a seeded offset. */
function numbering(seed: number): (index: number) => number {
  const offset = Math.floor(seededRandom(seed)() * 1_000_000_000);
  return (index) => offset + index;
}

/** Priorities that fall as `index` grows, three items per priority so there are ties. */
export function fallingPriority(index: number): number {
  return -Math.floor(index / 3);
}

/** How a steady workload fared: what the heap kept, and the first item out of order (-1: none). */
interface SteadyResult {
  retainedBytes: number;
  firstOutOfOrder: number;
  size: number;
}

const steadyExpectation = "constant time no matter how many items have passed through";

const priorityExpectation = "O(log n) time (a binary heap), not time proportional to the items waiting";

export const workloads = {
  /** A million enqueues, then a million dequeues. */
  "task-queue-drain": {
    stem: "task-queue",
    run({ TaskQueue }: typeof TaskQueueModule, { budgetMs, seed, count }: Budget & { count: number }) {
      const item = numbering(seed);
      const queue = new TaskQueue<number>();
      runWithinBudget({ count, budgetMs, describe: "enqueue", operation: (index) => queue.enqueue(item(index)) });
      const sizeAfterEnqueues = queue.size();
      let firstOutOfOrder = -1;
      runWithinBudget({
        count,
        budgetMs,
        describe: "dequeue",
        operation: (index) => {
          if (queue.dequeue() !== item(index) && firstOutOfOrder < 0) firstOutOfOrder = index;
        },
      });
      return { sizeAfterEnqueues, firstOutOfOrder, emptyAfterwards: queue.dequeue() === null };
    },
  },

  /**
   * `backlog` tasks wait while `count` more pass through (one enqueue, one
   * dequeue); reports how much more heap the queue holds at the end than at
   * the start. A queue that never lets go of used slots keeps one per task.
   */
  "task-queue-steady": {
    stem: "task-queue",
    run({ TaskQueue }: typeof TaskQueueModule, { budgetMs, seed, count, backlog }: Budget & { count: number; backlog: number }): SteadyResult {
      const item = numbering(seed);
      const queue = new TaskQueue<number>();
      for (let index = 0; index < backlog; index++) queue.enqueue(item(index));
      let firstOutOfOrder = -1;
      const before = liveHeapBytes();
      runWithinBudget({
        count,
        budgetMs,
        expected: steadyExpectation,
        describe: `enqueue then dequeue with ${backlog} tasks waiting`,
        operation: (index) => {
          queue.enqueue(item(backlog + index));
          if (queue.dequeue() !== item(index) && firstOutOfOrder < 0) firstOutOfOrder = index;
        },
      });
      const retainedBytes = liveHeapBytes() - before;
      return { retainedBytes, firstOutOfOrder, size: queue.size() };
    },
  },

  /** `count` publishes, then `count` consumes, each acked at once; reports the first body out of order. */
  "message-queue-drain": {
    stem: "message-queue",
    run({ MessageQueue }: typeof MessageQueueModule, { budgetMs, seed, count }: Budget & { count: number }) {
      const item = numbering(seed);
      const queue = new MessageQueue<number>();
      runWithinBudget({
        count,
        budgetMs,
        expected: "constant time no matter how many messages are waiting",
        describe: "publish",
        setupFor: "consume",
        operation: (index) => queue.publish(item(index)),
      });
      const sizeAfterPublishes = queue.size();
      let firstOutOfOrder = -1;
      runWithinBudget({
        count,
        budgetMs,
        expected: "constant time no matter how many messages are waiting",
        describe: "consume (then ack)",
        operation: (index) => {
          const delivery = queue.consume();
          if (delivery?.body !== item(index) && firstOutOfOrder < 0) firstOutOfOrder = index;
          if (delivery) queue.ack(delivery.id);
        },
      });
      return { sizeAfterPublishes, firstOutOfOrder, emptyAfterwards: queue.consume() === null };
    },
  },

  /** As task-queue-steady, for MessageQueue: `backlog` wait while `count` are published, consumed and acked. */
  "message-queue-steady": {
    stem: "message-queue",
    run({ MessageQueue }: typeof MessageQueueModule, { budgetMs, seed, count, backlog }: Budget & { count: number; backlog: number }): SteadyResult {
      const item = numbering(seed);
      const queue = new MessageQueue<number>();
      for (let index = 0; index < backlog; index++) queue.publish(item(index));
      let firstOutOfOrder = -1;
      const before = liveHeapBytes();
      runWithinBudget({
        count,
        budgetMs,
        expected: steadyExpectation,
        describe: `publish, consume and ack with ${backlog} messages waiting`,
        operation: (index) => {
          queue.publish(item(backlog + index));
          const delivery = queue.consume();
          if (delivery?.body !== item(index) && firstOutOfOrder < 0) firstOutOfOrder = index;
          if (delivery) queue.ack(delivery.id);
        },
      });
      const retainedBytes = liveHeapBytes() - before;
      return { retainedBytes, firstOutOfOrder, size: queue.size() };
    },
  },

  /**
   * A queue with room for `count` items: `count` publishes, then `count`
   * consumes. Reports how many promises settled and the first item out of order.
   */
  "bounded-queue-drain": {
    stem: "bounded-queue",
    async run({ BoundedQueue }: typeof BoundedQueueModule, { budgetMs, seed, count }: Budget & { count: number }) {
      const item = numbering(seed);
      const queue = new BoundedQueue<number>(count);
      let published = 0;
      await runWithinBudgetAsync({
        count,
        budgetMs,
        expected: "constant time no matter how many items are held",
        describe: "publish",
        setupFor: "consume",
        operation: (index) => void queue.publish(item(index)).then(() => (published += 1), () => undefined),
      });
      const sizeAfterPublishes = queue.size();
      let consumed = 0;
      let firstOutOfOrder = -1;
      await runWithinBudgetAsync({
        count,
        budgetMs,
        expected: "constant time no matter how many items are held",
        describe: `consume with up to ${count.toLocaleString("en-US")} items held`,
        operation: (index) =>
          void queue.consume().then(
            (value) => {
              if (value !== item(index) && firstOutOfOrder < 0) firstOutOfOrder = index;
              consumed += 1;
            },
            () => undefined,
          ),
      });
      return { published, sizeAfterPublishes, consumed, firstOutOfOrder, sizeAfterwards: queue.size() };
    },
  },

  /** As task-queue-steady, for BoundedQueue: `backlog` items held while `count` are published and consumed. */
  "bounded-queue-steady": {
    stem: "bounded-queue",
    async run({ BoundedQueue }: typeof BoundedQueueModule, { budgetMs, seed, count, backlog }: Budget & { count: number; backlog: number }): Promise<SteadyResult> {
      const item = numbering(seed);
      const queue = new BoundedQueue<number>(backlog + 1);
      for (let index = 0; index < backlog; index++) void queue.publish(item(index)).catch(() => undefined);
      let firstOutOfOrder = -1;
      let consumed = 0;
      const before = liveHeapBytes();
      await runWithinBudgetAsync({
        count,
        budgetMs,
        expected: steadyExpectation,
        describe: `publish then consume with ${backlog} items held`,
        operation: (index) => {
          void queue.publish(item(backlog + index)).catch(() => undefined);
          void queue.consume().then(
            (value) => {
              if (value !== item(index) && firstOutOfOrder < 0) firstOutOfOrder = index;
              consumed += 1;
            },
            () => undefined,
          );
        },
      });
      const retainedBytes = liveHeapBytes() - before;
      return { retainedBytes, firstOutOfOrder: consumed < count && firstOutOfOrder < 0 ? consumed : firstOutOfOrder, size: queue.size() };
    },
  },

  /** Enqueues whose priorities fall (`falling`) or rise; reports size and what peek shows, as an index. */
  "priority-queue-enqueues": {
    stem: "priority-queue",
    run({ PriorityQueue }: typeof PriorityQueueModule, { budgetMs, seed, count, order }: Budget & { count: number; order: "falling" | "rising" }) {
      const item = numbering(seed);
      const queue = new PriorityQueue<number>();
      const priority = order === "falling" ? fallingPriority : (index: number) => index / 4 - 1_000;
      runWithinBudget({
        count,
        budgetMs,
        chunk: 100,
        expected: priorityExpectation,
        describe: `enqueue with ${order} priorities (each ${order === "falling" ? "lower" : "higher"} than the ones before)`,
        operation: (index) => queue.enqueue(item(index), priority(index)),
      });
      const size = queue.size();
      const peeked = queue.peek();
      return { size, peekedIndex: peeked === null ? null : peeked - item(0) };
    },
  },

  /** `waiting` enqueues with falling priorities, then `dequeues` dequeues; reports the first item out of order. */
  "priority-queue-dequeues": {
    stem: "priority-queue",
    run({ PriorityQueue }: typeof PriorityQueueModule, { budgetMs, seed, waiting, dequeues }: Budget & { waiting: number; dequeues: number }) {
      const item = numbering(seed);
      const queue = new PriorityQueue<number>();
      runWithinBudget({
        count: waiting,
        budgetMs,
        chunk: 100,
        expected: priorityExpectation,
        describe: "enqueue with falling priorities (each lower than the ones before)",
        setupFor: "dequeue",
        operation: (index) => queue.enqueue(item(index), fallingPriority(index)),
      });
      let firstWrong = -1;
      runWithinBudget({
        count: dequeues,
        budgetMs,
        chunk: 100,
        expected: priorityExpectation,
        describe: `dequeue with ${waiting.toLocaleString("en-US")} items waiting`,
        operation: (index) => {
          if (queue.dequeue() !== item(index) && firstWrong < 0) firstWrong = index;
        },
      });
      return { firstWrong, size: queue.size() };
    },
  },

  /** `waiting` items, then `rounds` of one enqueue (at a random waiting priority) and one dequeue; reports the best index seen. */
  "priority-queue-interleaved": {
    stem: "priority-queue",
    run({ PriorityQueue }: typeof PriorityQueueModule, { budgetMs, seed, waiting, rounds }: Budget & { waiting: number; rounds: number }) {
      const item = numbering(seed);
      const random = seededRandom(seed + 1);
      const queue = new PriorityQueue<number>();
      runWithinBudget({
        count: waiting,
        budgetMs,
        chunk: 100,
        expected: priorityExpectation,
        describe: "enqueue with falling priorities (each lower than the ones before)",
        setupFor: "enqueue then dequeue",
        operation: (index) => queue.enqueue(item(index), fallingPriority(index)),
      });
      let bestIndex = Number.POSITIVE_INFINITY;
      runWithinBudget({
        count: rounds,
        budgetMs,
        chunk: 100,
        expected: priorityExpectation,
        describe: `enqueue then dequeue with ${waiting.toLocaleString("en-US")} items waiting`,
        operation: (index) => {
          // A random priority among those already waiting, so a sorted array must insert in its middle.
          queue.enqueue(item(waiting + index), fallingPriority(Math.floor(random() * waiting)));
          const out = queue.dequeue();
          if (out !== null && out - item(0) < bestIndex) bestIndex = out - item(0);
        },
      });
      return { size: queue.size(), bestIndex };
    },
  },
};

export type WorkloadName = keyof typeof workloads;
export type WorkloadExports<Name extends WorkloadName> = Parameters<(typeof workloads)[Name]["run"]>[0];
export type WorkloadOptions<Name extends WorkloadName> = Parameters<(typeof workloads)[Name]["run"]>[1];
export type WorkloadResult<Name extends WorkloadName> = Awaited<ReturnType<(typeof workloads)[Name]["run"]>>;

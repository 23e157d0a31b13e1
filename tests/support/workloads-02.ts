import type * as PriorityQueueModule from "@exercise/02-priority-queue/priority-queue";
import { runWithinBudget } from "./complexity.ts";
import { liveHeapBytes } from "./memory.ts";
import { seededRandom } from "./random.ts";
import { numbering, steadyExpectation, type Budget, type SteadyResult } from "./workload-kit.ts";

// Module 02's workloads (see workloads.ts).

/** Priorities that fall as `index` grows, three items per priority so there are ties. */
export function fallingPriority(index: number): number {
  return -Math.floor(index / 3);
}

const priorityExpectation = "O(log n) time (a binary heap), not time proportional to the items waiting";

export const priorityQueueWorkloads = {
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
      return { size, peekedIndex: peeked === null ? null : item.indexOf(peeked) };
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
          if (out !== null && item.indexOf(out) < bestIndex) bestIndex = item.indexOf(out);
        },
      });
      return { size: queue.size(), bestIndex };
    },
  },
  /**
   * `backlog` items wait (at priorities below 0) while `count` more pass
   * through, one enqueue and one dequeue each, every one with a priority of
   * its own above the backlog's; reports how much more heap the queue holds
   * at the end than at the start. A queue that keeps a bucket for every
   * priority it has seen keeps one per item.
   */
  "priority-queue-steady": {
    stem: "priority-queue",
    run({ PriorityQueue }: typeof PriorityQueueModule, { budgetMs, seed, count, backlog }: Budget & { count: number; backlog: number }): SteadyResult {
      const item = numbering(seed);
      const queue = new PriorityQueue<number>();
      for (let index = 0; index < backlog; index++) queue.enqueue(item(index), -1 - index);
      let firstOutOfOrder = -1;
      const before = liveHeapBytes();
      runWithinBudget({
        count,
        budgetMs,
        expected: steadyExpectation,
        describe: `enqueue then dequeue, each item with a priority of its own, with ${backlog} items waiting`,
        operation: (index) => {
          queue.enqueue(item(backlog + index), index / 8);
          if (queue.dequeue() !== item(backlog + index) && firstOutOfOrder < 0) firstOutOfOrder = index;
        },
      });
      const retainedBytes = liveHeapBytes() - before;
      return { retainedBytes, firstOutOfOrder, size: queue.size() };
    },
  },
};

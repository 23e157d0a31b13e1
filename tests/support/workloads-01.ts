import type * as TaskQueueModule from "@exercise/01-task-queue/task-queue";
import { runWithinBudget } from "./complexity.ts";
import { liveHeapBytes } from "./memory.ts";
import { numbering, steadyExpectation, type Budget, type SteadyResult } from "./workload-kit.ts";

// Module 01's workloads (see workloads.ts).

export const taskQueueWorkloads = {
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
  /**
   * `count` tasks, each an object holding an array of `payload` numbers, are
   * enqueued and then all dequeued. Reports how much more heap the emptied
   * queue holds than the new one did: a queue that still refers to the tasks
   * it handed out (a head index that compacts only on enqueue, a slot never
   * cleared) keeps every one of them alive. Spare room in an array (the
   * capacity a pop leaves behind) is a few bytes per task, far below that.
   */
  "task-queue-lets-go": {
    stem: "task-queue",
    run({ TaskQueue }: typeof TaskQueueModule, { budgetMs, seed, count, payload }: Budget & { count: number; payload: number }) {
      const item = numbering(seed);
      const queue = new TaskQueue<{ id: number; payload: number[] }>();
      const before = liveHeapBytes();
      runWithinBudget({
        count,
        budgetMs,
        describe: "enqueue",
        setupFor: "dequeue",
        operation: (index) => queue.enqueue({ id: item(index), payload: new Array<number>(payload).fill(index) }),
      });
      let firstOutOfOrder = -1;
      runWithinBudget({
        count,
        budgetMs,
        describe: "dequeue",
        operation: (index) => {
          if (queue.dequeue()?.id !== item(index) && firstOutOfOrder < 0) firstOutOfOrder = index;
        },
      });
      const retainedBytes = liveHeapBytes() - before;
      // Read after the measure, so the queue is still alive while it is taken.
      return { retainedBytes, firstOutOfOrder, size: queue.size() };
    },
  },
};

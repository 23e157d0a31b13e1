import type * as BoundedQueueModule from "@exercise/05-backpressure/bounded-queue";
import { runWithinBudgetAsync } from "./complexity.ts";
import { liveHeapBytes } from "./memory.ts";
import { numbering, steadyExpectation, type Budget, type SteadyResult } from "./workload-kit.ts";

// Module 05's workloads (see workloads.ts).

// Taken before any test can install fake timers.
const realSetImmediate = globalThis.setImmediate;

export const boundedQueueWorkloads = {
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

  /**
   * Waiting consumers: each round, `waiting` consumes on an empty queue (they all
   * wait), then `waiting` publishes, each handed to the consumer that has waited
   * longest. Reports how much more heap the queue holds at the end (empty, with
   * nobody waiting) than at the start, and the first item out of order.
   */
  "bounded-queue-waiting-consumers": {
    stem: "bounded-queue",
    async run({ BoundedQueue }: typeof BoundedQueueModule, { budgetMs, seed, rounds, waiting }: Budget & { rounds: number; waiting: number }) {
      const item = numbering(seed);
      // Room for one, and "reject": a hand-off never counts against capacity, so every publish resolves.
      const queue = new BoundedQueue<number>(1, "reject");
      let received = 0;
      let published = 0;
      let firstOutOfOrder = -1;
      // Once an item comes out of order or a publish is refused, the answer is known: the rest of the run does nothing.
      let wrong = false;
      const before = liveHeapBytes();
      await runWithinBudgetAsync({
        count: rounds,
        budgetMs,
        expected: "constant time no matter how many consumers have waited before",
        describe: `${waiting} consumes on an empty queue, then ${waiting} publishes`,
        operation: (round) => {
          if (wrong) return;
          for (let slot = 0; slot < waiting; slot++) {
            const index = round * waiting + slot;
            void queue.consume().then(
              (value) => {
                if (value !== item(index) && firstOutOfOrder < 0) [firstOutOfOrder, wrong] = [index, true];
                received += 1;
              },
              () => (wrong = true),
            );
          }
          for (let slot = 0; slot < waiting; slot++) void queue.publish(item(round * waiting + slot)).then(() => (published += 1), () => (wrong = true));
        },
      });
      const retainedBytes = liveHeapBytes() - before;
      const total = rounds * waiting;
      return { retainedBytes, received, published, firstOutOfOrder: received < total && firstOutOfOrder < 0 ? received : firstOutOfOrder, size: queue.size() };
    },
  },

  /**
   * Blocked publishers: a full "block" queue of `capacity`; each round, `blocked`
   * publishes (they all wait), then `blocked` consumes, each letting the
   * publisher that has waited longest in. Reports how much more heap the queue
   * holds at the end (full, with nobody blocked) than at the start, and the
   * first item out of order.
   */
  "bounded-queue-blocked-publishers": {
    stem: "bounded-queue",
    async run({ BoundedQueue }: typeof BoundedQueueModule, { budgetMs, seed, rounds, blocked, capacity }: Budget & { rounds: number; blocked: number; capacity: number }) {
      const item = numbering(seed);
      const queue = new BoundedQueue<number>(capacity, "block");
      for (let index = 0; index < capacity; index++) void queue.publish(item(index)).catch(() => undefined);
      let admitted = 0;
      let received = 0;
      let firstOutOfOrder = -1;
      // Once an item comes out of order or a publish is refused, the answer is known: the rest of the run does nothing.
      let wrong = false;
      const before = liveHeapBytes();
      await runWithinBudgetAsync({
        count: rounds,
        budgetMs,
        expected: "constant time no matter how many publishers have been blocked before",
        describe: `${blocked} publishes into a full queue, then ${blocked} consumes`,
        operation: (round) => {
          if (wrong) return;
          for (let slot = 0; slot < blocked; slot++) void queue.publish(item(capacity + round * blocked + slot)).then(() => (admitted += 1), () => (wrong = true));
          for (let slot = 0; slot < blocked; slot++) {
            const index = round * blocked + slot;
            void queue.consume().then(
              (value) => {
                if (value !== item(index) && firstOutOfOrder < 0) [firstOutOfOrder, wrong] = [index, true];
                received += 1;
              },
              () => (wrong = true),
            );
          }
        },
      });
      const retainedBytes = liveHeapBytes() - before;
      const total = rounds * blocked;
      return { retainedBytes, admitted, firstOutOfOrder: received < total && firstOutOfOrder < 0 ? received : firstOutOfOrder, size: queue.size() };
    },
  },

  /**
   * A full queue under a drop policy: `count` publishes past its `capacity`.
   * Reports how much more heap the queue holds afterwards (still `capacity`
   * items) than when it first filled up, then consumes what it holds and
   * reports those items as indexes (the first item published is 0).
   */
  "bounded-queue-overflow": {
    stem: "bounded-queue",
    async run(
      { BoundedQueue }: typeof BoundedQueueModule,
      { budgetMs, seed, count, capacity, policy }: Budget & { count: number; capacity: number; policy: "drop-oldest" | "drop-newest" },
    ) {
      const item = numbering(seed);
      const queue = new BoundedQueue<number>(capacity, policy);
      for (let index = 0; index < capacity; index++) void queue.publish(item(index)).catch(() => undefined);
      let resolved = 0;
      // Once a publish is refused, the answer is known: the rest of the run does nothing.
      let wrong = false;
      const before = liveHeapBytes();
      await runWithinBudgetAsync({
        count,
        budgetMs,
        expected: "constant time no matter how many items have been dropped",
        describe: `publish into a full ${policy} queue`,
        operation: (index) => {
          if (!wrong) void queue.publish(item(capacity + index)).then(() => (resolved += 1), () => (wrong = true));
        },
      });
      const retainedBytes = liveHeapBytes() - before;
      const size = queue.size();
      const dropped = queue.dropped;
      const held: number[] = [];
      for (let index = 0; index < capacity; index++) void queue.consume().then((value) => held.push(item.indexOf(value)), () => undefined);
      await new Promise<void>((resolve) => realSetImmediate(resolve));
      return { retainedBytes, resolved, size, dropped, held };
    },
  },
};

import type * as MessageQueueModule from "@exercise/04-dead-letter-queue/message-queue";
import { runWithinBudget } from "./complexity.ts";
import { liveHeapBytes } from "./memory.ts";
import { numbering, steadyExpectation, type Budget, type SteadyResult } from "./workload-kit.ts";

// Module 04's workloads (see workloads.ts).

export const messageQueueWorkloads = {
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
        chunk: 100,
        operation: (index) => queue.publish(item(index)),
      });
      const sizeAfterPublishes = queue.size();
      let firstOutOfOrder = -1;
      runWithinBudget({
        count,
        budgetMs,
        expected: "constant time no matter how many messages are waiting",
        describe: "consume (then ack)",
        // Checked every 100 calls: an O(n) consume takes long over even 1,000 of them.
        chunk: 100,
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
   * The retry path: with maxAttempts 2 and `backlog` messages waiting, each of
   * `count` rounds publishes one message and consumes two, nacking a message
   * on its first delivery (it is requeued) and acking it on its second.
   * Reports the heap kept, the first round with a wrong answer, and what is left.
   */
  "message-queue-retry-steady": {
    stem: "message-queue",
    run({ MessageQueue }: typeof MessageQueueModule, { budgetMs, seed, count, backlog }: Budget & { count: number; backlog: number }) {
      const item = numbering(seed);
      const queue = new MessageQueue<number>({ maxAttempts: 2 });
      for (let index = 0; index < backlog; index++) queue.publish(item(index));
      let firstWrong = -1;
      let acked = 0;
      const before = liveHeapBytes();
      runWithinBudget({
        count,
        budgetMs,
        expected: steadyExpectation,
        describe: `publish, then consume twice (nack a message's first delivery, ack its second) with ${backlog} messages waiting`,
        operation: (index) => {
          queue.publish(item(backlog + index));
          for (let turn = 0; turn < 2; turn++) {
            const delivery = queue.consume();
            let right: boolean;
            if (delivery === null) right = false;
            else if (delivery.attempts === 1) right = queue.nack(delivery.id, "try again") === "requeued";
            else right = delivery.attempts === 2 && queue.ack(delivery.id);
            if (right && delivery?.attempts === 2) acked += 1;
            if (!right && firstWrong < 0) firstWrong = index;
          }
        },
      });
      const retainedBytes = liveHeapBytes() - before;
      return { retainedBytes, firstWrong, acked, size: queue.size(), deadLetters: queue.deadLetters().length };
    },
  },

  /**
   * The dead-letter path: with maxAttempts 1 and `inFlight` messages held in
   * flight throughout, each of `count` messages is published, dead-lettered
   * and redriven `redrives` times, then delivered once more and acked.
   * Reports the heap kept, the first message with a wrong answer, and what is left.
   */
  "message-queue-redrive-steady": {
    stem: "message-queue",
    run({ MessageQueue }: typeof MessageQueueModule, { budgetMs, seed, count, redrives, inFlight }: Budget & { count: number; redrives: number; inFlight: number }) {
      const item = numbering(seed);
      const queue = new MessageQueue<number>({ maxAttempts: 1 });
      for (let index = 0; index < inFlight; index++) {
        queue.publish(item(index));
        queue.consume();
      }
      let firstWrong = -1;
      const before = liveHeapBytes();
      runWithinBudget({
        count,
        budgetMs,
        expected: steadyExpectation,
        describe: `publish, then dead-letter and redrive each message ${redrives} times before it is acked, with ${inFlight} messages in flight`,
        operation: (index) => {
          const body = item(inFlight + index);
          const { id } = queue.publish(body);
          let right = true;
          for (let round = 0; round < redrives; round++) {
            right = queue.consume()?.id === id && queue.nack(id, "poison") === "dead-lettered" && queue.redrive() === 1 && right;
          }
          const delivery = queue.consume();
          right = delivery?.id === id && delivery.body === body && queue.ack(id) && right;
          if (!right && firstWrong < 0) firstWrong = index;
        },
      });
      const retainedBytes = liveHeapBytes() - before;
      return { retainedBytes, firstWrong, size: queue.size(), deadLetters: queue.deadLetters().length };
    },
  },
};

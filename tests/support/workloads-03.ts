import type * as VisibilityQueueModule from "@exercise/03-visibility-timeout/visibility-queue";
import { budgetScale, runWithinBudget } from "./complexity.ts";
import { liveHeapBytes } from "./memory.ts";
import { numbering, type Budget } from "./workload-kit.ts";

// Module 03's workloads (see workloads.ts). Both check the rule "memory
// follows what the queue holds": after many messages have passed through a
// queue that holds a few, it keeps nothing for them (no map of old receipt
// handles, no tombstones, no timers of acked messages).

/** How a workload fared: what the heap kept, the first message answered wrongly (-1: none) and the counts at the end. */
export interface VisibilityRunResult {
  retainedBytes: number;
  firstWrong: number;
  visible: number;
  inFlight: number;
}

/** For the "too slow" message of a workload that fails its CPU budget: no speed rule, but a queue that keeps what it finished with slows down too. */
const memoryExpectation = "the same time however many messages have passed through (a queue that keeps nothing for the messages it has finished with does)";

/** The fake clock that useFakeClock installed here (vitest's, or the judge's copy of the same library). */
function fakeClock(): { tick(ms: number): unknown } {
  const clock = (Date as unknown as { clock?: { tick(ms: number): unknown } }).clock;
  if (typeof clock?.tick !== "function") throw new Error("this workload moves the fake clock: call useFakeClock() before it");
  return clock;
}

export const visibilityQueueWorkloads = {
  /**
   * `backlog` messages wait while `count` more pass through the main path:
   * send, receive (the earliest, so one of the backlog) and ack. The clock
   * does not move, so no lease ever runs out.
   */
  "visibility-queue-steady": {
    stem: "visibility-queue",
    run({ VisibilityQueue }: typeof VisibilityQueueModule, { budgetMs, seed, count, backlog }: Budget & { count: number; backlog: number }): VisibilityRunResult {
      const item = numbering(seed);
      const queue = new VisibilityQueue<number>();
      for (let index = 0; index < backlog; index++) queue.send(item(index));
      let firstWrong = -1;
      const passThrough = (index: number) => {
        // Once an answer is wrong the result is known: the rest is skipped, so a broken queue cannot use up the time limit.
        if (firstWrong >= 0) return;
        queue.send(item(backlog + index));
        const delivery = queue.receive();
        const right = delivery !== null && delivery.body === item(index) && delivery.receiveCount === 1 && queue.ack(delivery.receiptHandle) === true;
        if (!right && firstWrong < 0) firstWrong = index;
      };
      const describe = `send, receive and ack with ${backlog} messages waiting`;
      // A first tenth warms the code up (compiled code and caches take heap too); memory is measured over the rest.
      const warmUp = Math.floor(count / 10);
      runWithinBudget({ count: warmUp, budgetMs, expected: memoryExpectation, describe, operation: passThrough });
      const before = liveHeapBytes();
      runWithinBudget({ count: count - warmUp, budgetMs, expected: memoryExpectation, describe, operation: (index) => passThrough(warmUp + index) });
      const retainedBytes = liveHeapBytes() - before;
      const { visible, inFlight } = queue.stats();
      return { retainedBytes, firstWrong, visible, inFlight };
    },
  },

  /**
   * `count` messages pass through in batches of `batch`, each message along
   * the other paths: received, its lease runs out (the fake clock moves
   * past `timeoutMs`), received again, then either acked or released with
   * changeVisibility(h, 0), received a third time and acked. The queue holds
   * at most `batch` messages, and none at the end. Needs the fake clock
   * (useFakeClock): it moves it itself, here, not in the suite's process.
   */
  "visibility-queue-redeliver": {
    stem: "visibility-queue",
    run(
      { VisibilityQueue }: typeof VisibilityQueueModule,
      { budgetMs, seed, count, batch, timeoutMs }: Budget & { count: number; batch: number; timeoutMs: number },
    ): VisibilityRunResult {
      const item = numbering(seed);
      const clock = fakeClock();
      const queue = new VisibilityQueue<number>({ visibilityTimeoutMs: timeoutMs });
      let firstWrong = -1;
      const wrong = (index: number) => {
        if (firstWrong < 0) firstWrong = index;
      };
      const received = (index: number, receiveCount: number): string => {
        const delivery = queue.receive();
        if (delivery === null || delivery.body !== item(index) || delivery.receiveCount !== receiveCount) wrong(index);
        return delivery === null ? "" : delivery.receiptHandle;
      };
      /** One batch: the messages numbered `first` to `first + size - 1` go all the way through. */
      const passThrough = (first: number, size: number) => {
        // Once an answer is wrong the result is known: the rest is skipped, so a broken queue cannot use up the time limit.
        if (firstWrong >= 0) return;
        for (let k = 0; k < size; k++) queue.send(item(first + k));
        for (let k = 0; k < size; k++) received(first + k, 1);
        // A millisecond past the timeout: this workload is about memory, not about the exact instant.
        clock.tick(timeoutMs + 1);
        const secondHandles = Array.from({ length: size }, (_, k) => received(first + k, 2));
        const lastHandles = secondHandles.slice();
        for (let k = 0; k < size; k += 2) if (queue.changeVisibility(secondHandles[k] as string, 0) !== true) wrong(first + k);
        for (let k = 0; k < size; k += 2) lastHandles[k] = received(first + k, 3);
        for (let k = 0; k < size; k++) if (queue.ack(lastHandles[k] as string) !== true) wrong(first + k);
      };
      // The clock moves here, so CPU time is the only measure of time (performance.now is fake too).
      const started = process.cpuUsage();
      const budget = budgetMs * budgetScale;
      // A first tenth warms the code up (compiled code and caches take heap too); memory is measured over the rest.
      const warmUp = Math.floor(count / 10 / batch) * batch;
      let before = 0;
      for (let first = 0; first < count; first += batch) {
        if (first === warmUp) before = liveHeapBytes();
        const size = Math.min(batch, count - first);
        passThrough(first, size);
        const used = process.cpuUsage(started);
        const elapsed = (used.user + used.system) / 1_000;
        if (elapsed > budget && first + size < count) {
          throw new Error(
            `receive, expiry, receive again and ack with ${batch} messages held is too slow: ${(first + size).toLocaleString("en-US")} of ` +
              `${count.toLocaleString("en-US")} messages took ${(elapsed / 1_000).toFixed(1)} s of CPU time. Each operation should take ${memoryExpectation}.`,
          );
        }
      }
      const retainedBytes = liveHeapBytes() - before;
      const { visible, inFlight } = queue.stats();
      return { retainedBytes, firstWrong, visible, inFlight };
    },
  },
};

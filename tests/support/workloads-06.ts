import type * as TopicModule from "@exercise/06-message-filtering/topic";
import { runWithinBudget } from "./complexity.ts";
import { liveHeapBytes } from "./memory.ts";
import { numbering, type Budget } from "./workload-kit.ts";

// Module 06's workloads (see workloads.ts).

/** How a churn workload fared: what the heap kept, and the first cycle whose publish counted wrong (-1: none). */
export interface ChurnResult {
  retainedBytes: number;
  firstWrongCount: number;
  /** Messages the steady subscribers received, all told. */
  delivered: number;
  /** What a last publish returned, once every churned subscription was gone. */
  finalCount: number;
}

export const topicWorkloads = {
  /**
   * `subscribers` subscriptions stay while `count` more come and go: each
   * cycle subscribes once (with a fresh policy, a predicate or no filter, in
   * turn) and removes that subscription again. Every `publishEvery`-th cycle
   * publishes a fresh message, and that cycle's subscriber removes itself from
   * inside its handler, during the publish; the other cycles call unsubscribe
   * from outside. Reports how much more heap the topic holds at the end than
   * at the start. A topic that only marks subscriptions as removed, or keeps
   * the messages it published, keeps something for every cycle.
   */
  "topic-churn": {
    stem: "topic",
    run({ Topic }: typeof TopicModule, { budgetMs, seed, count, subscribers, publishEvery }: Budget & { count: number; subscribers: number; publishEvery: number }): ChurnResult {
      const item = numbering(seed);
      const topic = new Topic<{ order: number }>();
      let delivered = 0;
      const steady = () => {
        delivered += 1;
      };
      for (let index = 0; index < subscribers; index++) topic.subscribe(steady);
      const alwaysTrue = () => true;
      let firstWrongCount = -1;
      const cycle = (index: number): void => {
        const kind = index % 3;
        const publishing = index % publishEvery === 0;
        let unsubscribe: () => void = () => undefined;
        const handler = publishing ? () => unsubscribe() : () => undefined;
        unsubscribe = kind === 0 ? topic.subscribe(handler, { kind: ["order"] }) : kind === 1 ? topic.subscribe(handler, alwaysTrue) : topic.subscribe(handler);
        if (publishing) {
          const matched = topic.publish({ order: item(index) }, { kind: "order" });
          if (matched !== subscribers + 1 && firstWrongCount < 0) firstWrongCount = index;
        } else {
          unsubscribe();
        }
      };
      // A few cycles first, so the heap measured below holds no compiled code or first-use caches.
      for (let index = 0; index < Math.min(count, 1_000); index++) cycle(index);
      delivered = 0;
      const before = liveHeapBytes();
      runWithinBudget({
        count,
        budgetMs,
        expected: `time proportional to the ${subscribers + 1} subscriptions of the moment, not to every subscription ever made`,
        describe: `subscribe and unsubscribe (publishing every ${publishEvery}) with ${subscribers} subscribers staying`,
        operation: cycle,
      });
      const retainedBytes = liveHeapBytes() - before;
      const finalCount = topic.publish({ order: item(count) }, { kind: "order" });
      return { retainedBytes, firstWrongCount, delivered, finalCount };
    },
  },
};

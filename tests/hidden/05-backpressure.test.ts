import { describe, expect, test } from "vitest";
import { expectThrows } from "../support/errors";
import { BoundedQueue, QueueFullError, type OverflowPolicy } from "@exercise/05-backpressure/bounded-queue";
import { simulate, type SimulationOptions, type SimulationResult } from "@exercise/05-backpressure/simulate";
import * as exercise from "@exercise/05-backpressure/bounded-queue";
import { budgetScale } from "../support/complexity";
import { megabytes } from "../support/memory";
import { runWorkload } from "../support/workload";
import { seededRandom } from "../support/random";
import { useFakeClock, useRealClock } from "../support/clock";

// Taken before any test stops the clock: fake timers stop setImmediate too.
const realSetImmediate = globalThis.setImmediate;

// --- Helpers for promises ----------------------------------------------------
//
// No test awaits a publish or consume directly: a wrong queue could leave the
// promise pending forever and hang the run. Instead each call is tracked, the
// pending callbacks are allowed to run (flush), and the promise's state is checked.

interface Tracked<T> {
  status: "pending" | "fulfilled" | "rejected";
  value?: T;
  reason?: unknown;
}

function track<T>(call: () => Promise<T>, onSettle?: () => void): Tracked<T> {
  let promise: Promise<T>;
  try {
    promise = call();
  } catch (error) {
    // A method still marked TODO: let its own message through.
    if (error instanceof Error && error.message.startsWith("TODO")) throw error;
    expect(error, "publish and consume should always return a promise (a full reject queue rejects it); they should not throw").toBeUndefined();
    throw error;
  }
  const tracked: Tracked<T> = { status: "pending" };
  Promise.resolve(promise).then(
    (value) => {
      tracked.status = "fulfilled";
      tracked.value = value;
      onSettle?.();
    },
    (reason: unknown) => {
      tracked.status = "rejected";
      tracked.reason = reason;
      onSettle?.();
    },
  );
  return tracked;
}

/** Lets every pending promise callback run: a macrotask only starts once the microtask queue is empty. */
async function flush(): Promise<void> {
  for (let round = 0; round < 3; round++) await new Promise<void>((resolve) => realSetImmediate(resolve));
}

/** The values of fulfilled consumes, or a marker for those that are not fulfilled. */
function values<T>(consumes: Array<Tracked<T>>): unknown[] {
  return consumes.map((c) => (c.status === "fulfilled" ? c.value : `<${c.status}>`));
}

// --- Helpers for the simulation ----------------------------------------------

/** How many arrivals t = 0, 1000/r, 2000/r, … fall before the end. */
function arrivalsBefore(durationMs: number, rate: number): number {
  let count = 0;
  while ((count * 1000) / rate < durationMs) count += 1;
  return count;
}

/** Runs simulate and keeps the fields the contract names, so results compare by those alone. */
function run(options: SimulationOptions): SimulationResult {
  const { produced, processed, dropped, maxDepth, finalDepth, depth, producerWaitMs } = simulate(options);
  return { produced, processed, dropped, maxDepth, finalDepth, depth, producerWaitMs };
}

describe("BoundedQueue", () => {
  describe("creating a queue", () => {
    test("capacity must be a whole number of at least 1", { tags: ["capacity", "error-messages"] }, () => {
      expectThrows(() => new BoundedQueue(0), RangeError, "capacity 0 should throw a RangeError");
      expectThrows(() => new BoundedQueue(-1), RangeError, "a negative capacity should throw a RangeError");
      expectThrows(() => new BoundedQueue(1.5), RangeError, "a fractional capacity should throw a RangeError");
      expectThrows(() => new BoundedQueue(Number.NaN), RangeError, "a NaN capacity should throw a RangeError");
    });

    test("an unknown overflow policy throws a RangeError", { tags: ["policy", "error-messages"] }, () => {
      expectThrows(() => new BoundedQueue(1, "drop-everything" as OverflowPolicy), RangeError, "the policy \"drop-everything\" should throw a RangeError");
      expectThrows(() => new BoundedQueue(1, "Block" as OverflowPolicy), RangeError, "policy names are case-sensitive: \"Block\" should throw a RangeError");
    });

    test("an infinite capacity is rejected too, since it is not a whole number", { tags: ["capacity", "error-messages"] }, () => {
      expectThrows(() => new BoundedQueue(Infinity), RangeError, "capacity Infinity should throw a RangeError");
    });

    test("any whole capacity from 1 up is accepted, with every policy", { tags: ["capacity", "policy"] }, () => {
      expect(() => new BoundedQueue(1), "capacity 1 with the default policy should be accepted").not.toThrow();
      for (const policy of ["block", "reject", "drop-oldest", "drop-newest"] as const) {
        expect(() => new BoundedQueue(1, policy), `capacity 1 with policy ${policy} should be accepted`).not.toThrow();
        expect(() => new BoundedQueue(1000, policy), `capacity 1000 with policy ${policy} should be accepted`).not.toThrow();
      }
    });

    test("a new queue holds nothing and has dropped nothing", { tags: ["size", "dropped"] }, () => {
      const queue = new BoundedQueue<string>(3);
      expect(queue.size(), "a new queue should hold no items").toBe(0);
      expect(queue.dropped, "a new queue should have dropped no items").toBe(0);
    });
  });

  describe("consume", () => {
    test("consume resolves with held items, oldest first", { tags: ["fifo", "publish-resolves"] }, async () => {
      const queue = new BoundedQueue<string>(5);
      const publishes = ["a", "b", "c"].map((item) => track(() => queue.publish(item)));
      await flush();
      expect(publishes.map((p) => p.status), "publishing into a queue with room should resolve").toEqual(["fulfilled", "fulfilled", "fulfilled"]);
      const consumes = [track(() => queue.consume()), track(() => queue.consume()), track(() => queue.consume())];
      await flush();
      expect(values(consumes), "consume should return the oldest held item first").toEqual(["a", "b", "c"]);
    });

    test("consume waits while the queue is empty, then gets the next item published", { tags: ["consume-waits", "publish-resolves"] }, async () => {
      const queue = new BoundedQueue<string>(2);
      const consume = track(() => queue.consume());
      await flush();
      expect(consume.status, "consume on an empty queue should wait (stay pending), not resolve or reject").toBe("pending");
      const publish = track(() => queue.publish("hello"));
      await flush();
      expect(consume.status, "a waiting consume should resolve once an item is published").toBe("fulfilled");
      expect(consume.value, "a waiting consume should resolve with the item just published").toBe("hello");
      expect(publish.status, "publishing to a waiting consumer should resolve").toBe("fulfilled");
    });

    test("waiting consumers are served in the order they called consume", { tags: ["consumer-order"] }, async () => {
      const queue = new BoundedQueue<string>(2);
      const consumes = [track(() => queue.consume()), track(() => queue.consume()), track(() => queue.consume())];
      await flush();
      track(() => queue.publish("first"));
      await flush();
      expect(values(consumes), "the consumer that has waited longest should get the first item").toEqual(["first", "<pending>", "<pending>"]);
      track(() => queue.publish("second"));
      track(() => queue.publish("third"));
      await flush();
      expect(values(consumes), "waiting consumers should get items in the order they called consume").toEqual(["first", "second", "third"]);
    });

    test("a new consume cannot take an item ahead of a consumer that was already waiting", { tags: ["consumer-order"] }, async () => {
      const queue = new BoundedQueue<string>(2);
      const waiting = track(() => queue.consume());
      await flush();
      track(() => queue.publish("a"));
      const latecomer = track(() => queue.consume());
      await flush();
      expect(waiting.value, "the item should go to the consumer that was already waiting when it was published").toBe("a");
      expect(latecomer.status, "a consume called after the item went to a waiting consumer should wait for the next item").toBe("pending");
    });

    test("items of any value come through unchanged, falsy ones included", { tags: ["falsy", "size"] }, async () => {
      const queue = new BoundedQueue<unknown>(10);
      const items: unknown[] = [0, "", false, null, "last"];
      for (const item of items) track(() => queue.publish(item));
      await flush();
      expect(queue.size(), "falsy items should be held and counted like any other").toBe(5);
      const consumes = items.map(() => track(() => queue.consume()));
      await flush();
      expect(values(consumes), "0, \"\", false and null should come out unchanged and in order").toEqual(items);
    });
  });

  describe("speed and memory", () => {
    test("consume takes constant time however many items are held: 300,000 published, then consumed", { tags: ["speed"], timeout: 30_000 }, async () => {
      const count = 300_000;
      const result = await runWorkload("bounded-queue-drain", exercise, { count, budgetMs: 3_000, seed: 51 });
      expect(result.published, "300,000 publishes into a queue with room for them all should resolve").toBe(count);
      expect(result.sizeAfterPublishes, "size after 300,000 publishes").toBe(count);
      expect(result.consumed, "300,000 consumes of a full queue should resolve").toBe(count);
      expect(result.firstOutOfOrder, "items should be consumed in the order they were published").toBe(-1);
      expect(result.sizeAfterwards, "the queue should be empty afterwards").toBe(0);
    });

    test("a queue that stays short does not keep memory for the items that have passed through it", { tags: ["memory"], timeout: 30_000 }, async () => {
      const count = 1_000_000;
      const result = await runWorkload("bounded-queue-steady", exercise, { count, backlog: 3, budgetMs: 4_000, seed: 53 });
      expect(result.firstOutOfOrder, "every consume should resolve, with items in the order they were published").toBe(-1);
      expect(result.size, "three items should still be held").toBe(3);
      expect(
        result.retainedBytes,
        `after a million items passed through a queue that never held more than 4, it holds ${megabytes(result.retainedBytes)} more memory than before: ` +
          "the slots of consumed items are never given back",
      ).toBeLessThan(count * 2);
    });
    // A correct queue keeps about 0.1 MB here; one that keeps a few bytes per item passed through keeps over a megabyte.
    const retainedBound = 500_000;

    test("consumers that waited and were served leave no memory behind", { tags: ["memory"], timeout: 30_000 }, async () => {
      const rounds = 50_000;
      const waiting = 3;
      const items = rounds * waiting;
      const result = await runWorkload("bounded-queue-waiting-consumers", exercise, { rounds, waiting, budgetMs: 4_000, seed: 57 });
      expect(result.firstOutOfOrder, "every waiting consumer should receive an item, in the order the consumers called consume").toBe(-1);
      expect(result.published, "every publish handed to a waiting consumer should resolve").toBe(items);
      expect(result.size, "items handed to waiting consumers are never held").toBe(0);
      expect(
        result.retainedBytes,
        `after 150,000 consumers waited on an empty queue and were served, it holds ${megabytes(result.retainedBytes)} more memory than before: ` +
          "the served consumers (or their slots) are never let go",
      ).toBeLessThan(retainedBound);
    });

    test("publishers that were blocked and got in leave no memory behind", { tags: ["memory"], timeout: 30_000 }, async () => {
      const rounds = 50_000;
      const blocked = 3;
      const items = rounds * blocked;
      const result = await runWorkload("bounded-queue-blocked-publishers", exercise, { rounds, blocked, capacity: 2, budgetMs: 4_000, seed: 59 });
      expect(result.firstOutOfOrder, "every consume should resolve, with items in the order they were published").toBe(-1);
      expect(result.admitted, "every blocked publish should resolve once a consume lets it in").toBe(items);
      expect(result.size, "the queue should still be full").toBe(2);
      expect(
        result.retainedBytes,
        `after 150,000 publishers were blocked by a full queue and let in, it holds ${megabytes(result.retainedBytes)} more memory than before: ` +
          "the publishers let in (or their slots) are never let go",
      ).toBeLessThan(retainedBound);
    });

    test("items thrown away by drop-oldest and drop-newest leave no memory behind", { tags: ["memory", "drop-oldest", "drop-newest"], timeout: 30_000 }, async () => {
      const count = 150_000;
      const capacity = 3;
      const oldest = await runWorkload("bounded-queue-overflow", exercise, { count, capacity, policy: "drop-oldest", budgetMs: 4_000, seed: 61 });
      expect(oldest.resolved, "every publish into a full drop-oldest queue should resolve").toBe(count);
      expect(oldest.dropped, "every publish into a full drop-oldest queue should drop one item").toBe(count);
      expect(oldest.size, "a full drop-oldest queue should stay full").toBe(capacity);
      expect(oldest.held, "a drop-oldest queue should keep the newest items, oldest first").toEqual([count, count + 1, count + 2]);
      expect(
        oldest.retainedBytes,
        `after 150,000 items were dropped by a drop-oldest queue that holds 3, it holds ${megabytes(oldest.retainedBytes)} more memory than before: ` +
          "the slots of dropped items are never given back",
      ).toBeLessThan(retainedBound);
      const newest = await runWorkload("bounded-queue-overflow", exercise, { count, capacity, policy: "drop-newest", budgetMs: 4_000, seed: 63 });
      expect(newest.resolved, "every publish into a full drop-newest queue should resolve").toBe(count);
      expect(newest.dropped, "every publish into a full drop-newest queue should drop the new item").toBe(count);
      expect(newest.held, "a drop-newest queue should keep the items it held first").toEqual([0, 1, 2]);
      expect(
        newest.retainedBytes,
        `after 150,000 items were dropped by a drop-newest queue that holds 3, it holds ${megabytes(newest.retainedBytes)} more memory than before: ` +
          "something is kept for every dropped item",
      ).toBeLessThan(retainedBound);
    });
  });

  describe("publish and size", () => {
    test("publish resolves once the item is held, and size counts held items", { tags: ["publish-resolves", "size"] }, async () => {
      const queue = new BoundedQueue<number>(3);
      const sizes: number[] = [];
      const first = track(() => queue.publish(1));
      await flush();
      sizes.push(queue.size());
      track(() => queue.publish(2));
      track(() => queue.publish(3));
      await flush();
      sizes.push(queue.size());
      track(() => queue.consume());
      await flush();
      sizes.push(queue.size());
      expect(first.status, "publish into a queue with room should resolve").toBe("fulfilled");
      expect(sizes, "size should go up with each held item and down with each consume").toEqual([1, 3, 2]);
    });

    test("an item handed to a waiting consumer does not count against capacity", { tags: ["handoff", "size"] }, async () => {
      const queue = new BoundedQueue<string>(1, "reject");
      const consume = track(() => queue.consume());
      await flush();
      const handed = track(() => queue.publish("to the consumer"));
      await flush();
      expect(consume.value, "the waiting consumer should receive the item").toBe("to the consumer");
      expect(queue.size(), "an item handed straight to a waiting consumer is not held").toBe(0);
      const held = track(() => queue.publish("held"));
      await flush();
      expect(handed.status, "publishing to a waiting consumer should resolve").toBe("fulfilled");
      expect(held.status, "after a hand-off the single slot should still be free, so this publish should resolve").toBe("fulfilled");
      expect(queue.size(), "the second item should now be held").toBe(1);
      const extra = track(() => queue.publish("extra"));
      await flush();
      expect(extra.status, "with its one slot taken, a reject queue should reject the next publish").toBe("rejected");
    });

    test("an item handed to a waiting consumer is never dropped", { tags: ["handoff", "dropped"] }, async () => {
      const queue = new BoundedQueue<string>(1, "drop-newest");
      const consumes = [track(() => queue.consume()), track(() => queue.consume())];
      await flush();
      track(() => queue.publish("a"));
      track(() => queue.publish("b"));
      track(() => queue.publish("c"));
      await flush();
      expect(values(consumes), "two waiting consumers should receive the first two items").toEqual(["a", "b"]);
      expect(queue.dropped, "items handed to waiting consumers, or held, are not dropped").toBe(0);
      expect(queue.size(), "the third item should be held").toBe(1);
    });
  });

  describe("policy block", () => {
    test("block is the default policy", { tags: ["policy", "block"] }, async () => {
      const queue = new BoundedQueue<string>(1);
      track(() => queue.publish("a"));
      const second = track(() => queue.publish("b"));
      await flush();
      expect(second.status, "with no policy given, a publish into a full queue should wait (stay pending)").toBe("pending");
      expect(queue.dropped, "the default policy should not drop anything").toBe(0);
      track(() => queue.consume());
      await flush();
      expect(second.status, "the waiting publish should resolve once a consume frees a slot").toBe("fulfilled");
    });

    test("a publish into a full queue stays pending until a consume frees a slot", { tags: ["block", "size"] }, async () => {
      const queue = new BoundedQueue<string>(2, "block");
      track(() => queue.publish("a"));
      track(() => queue.publish("b"));
      const blocked = track(() => queue.publish("c"));
      await flush();
      expect(blocked.status, "a publish into a full block queue should wait (stay pending)").toBe("pending");
      expect(queue.size(), "a full queue of capacity 2 should hold 2 items").toBe(2);
      const consume = track(() => queue.consume());
      await flush();
      expect(consume.value, "consume should still return the oldest item").toBe("a");
      expect(blocked.status, "the blocked publish should resolve once a consume frees a slot").toBe("fulfilled");
      expect(queue.size(), "the blocked item should now be held, filling the queue again").toBe(2);
    });

    test("blocked publishers get in one at a time, in the order they called publish", { tags: ["block-order"] }, async () => {
      const queue = new BoundedQueue<string>(1, "block");
      const admitted: string[] = [];
      track(() => queue.publish("a"));
      track(() => queue.publish("b"), () => admitted.push("b"));
      track(() => queue.publish("c"), () => admitted.push("c"));
      track(() => queue.publish("d"), () => admitted.push("d"));
      await flush();
      expect(admitted, "no publish should get into a full queue before a consume").toEqual([]);
      track(() => queue.consume());
      await flush();
      expect(admitted, "one consume frees one slot, so exactly one blocked publisher (the first) should get in").toEqual(["b"]);
      track(() => queue.consume());
      track(() => queue.consume());
      await flush();
      expect(admitted, "blocked publishers should get in in the order they called publish").toEqual(["b", "c", "d"]);
    });

    test("blocked items come out after the items already held, in publish order", { tags: ["block", "block-order"] }, async () => {
      const queue = new BoundedQueue<string>(2, "block");
      for (const item of ["a", "b", "c", "d"]) track(() => queue.publish(item));
      await flush();
      const first = track(() => queue.consume());
      await flush();
      track(() => queue.publish("e"));
      await flush();
      const rest = [track(() => queue.consume()), track(() => queue.consume()), track(() => queue.consume()), track(() => queue.consume())];
      await flush();
      expect(first.value, "the first consume should get the oldest held item").toBe("a");
      expect(values(rest), "a blocked item should go in behind the items already held, and blocked items should keep their order").toEqual(["b", "c", "d", "e"]);
      expect(queue.size(), "every item has been consumed").toBe(0);
    });

    test("a new publish cannot get in ahead of publishers already blocked", { tags: ["block-order"] }, async () => {
      const queue = new BoundedQueue<string>(1, "block");
      track(() => queue.publish("a"));
      const blocked = track(() => queue.publish("b"));
      await flush();
      track(() => queue.consume());
      const latecomer = track(() => queue.publish("c"));
      await flush();
      expect(blocked.status, "the slot freed by consume should go to the publisher that was already blocked").toBe("fulfilled");
      expect(latecomer.status, "a publish called after the slot was given away should wait").toBe("pending");
      const consumes = [track(() => queue.consume()), track(() => queue.consume())];
      await flush();
      expect(values(consumes), "the blocked item should come out before the latecomer's").toEqual(["b", "c"]);
    });

    test("size does not count blocked publishers", { tags: ["size", "dropped"] }, async () => {
      const queue = new BoundedQueue<number>(2, "block");
      for (let item = 0; item < 5; item++) track(() => queue.publish(item));
      await flush();
      expect(queue.size(), "size should count the 2 held items, not the 3 blocked publishers").toBe(2);
      expect(queue.dropped, "blocking never drops items").toBe(0);
    });
  });

  describe("policy reject", () => {
    test("a publish into a full queue rejects with a QueueFullError", { tags: ["reject", "error-messages"] }, async () => {
      const queue = new BoundedQueue<string>(1, "reject");
      const accepted = track(() => queue.publish("a"));
      const refused = track(() => queue.publish("b"));
      await flush();
      expect(accepted.status, "a publish into a queue with room should resolve").toBe("fulfilled");
      expect(refused.status, "a publish into a full reject queue should reject").toBe("rejected");
      expect(refused.reason, "the rejection should be a QueueFullError").toBeInstanceOf(QueueFullError);
      expect(refused.reason, "a QueueFullError should also be an Error").toBeInstanceOf(Error);
      expect((refused.reason as Error).name, "a QueueFullError's name should be \"QueueFullError\", so logs and stack traces say what happened").toBe("QueueFullError");
      expect(String((refused.reason as Error).message).trim(), "a QueueFullError should have a message that says what is wrong").not.toBe("");
    });

    test("a rejected item is not kept", { tags: ["reject"] }, async () => {
      const queue = new BoundedQueue<string>(2, "reject");
      for (const item of ["a", "b", "c", "d"]) track(() => queue.publish(item));
      await flush();
      expect(queue.size(), "rejected items should not be held").toBe(2);
      const consumes = [track(() => queue.consume()), track(() => queue.consume()), track(() => queue.consume())];
      await flush();
      expect(values(consumes), "only the accepted items should come out; a third consume should wait").toEqual(["a", "b", "<pending>"]);
    });

    test("publish succeeds again once a consume frees a slot", { tags: ["reject"] }, async () => {
      const queue = new BoundedQueue<string>(1, "reject");
      track(() => queue.publish("a"));
      track(() => queue.publish("refused"));
      await flush();
      track(() => queue.consume());
      await flush();
      const retry = track(() => queue.publish("b"));
      await flush();
      expect(retry.status, "after a consume frees the slot, publish should resolve again").toBe("fulfilled");
      const next = track(() => queue.consume());
      await flush();
      expect(next.value, "the item published after the rejection should be held").toBe("b");
    });

    test("a rejected item is not counted as dropped", { tags: ["reject", "dropped"] }, async () => {
      const queue = new BoundedQueue<string>(1, "reject");
      for (const item of ["a", "b", "c"]) track(() => queue.publish(item));
      await flush();
      expect(queue.dropped, "dropped counts only what the drop policies throw away; a rejected publisher was told").toBe(0);
    });
  });

  describe("policy drop-newest", () => {
    test("a publish into a full queue resolves and throws the new item away", { tags: ["drop-newest"] }, async () => {
      const queue = new BoundedQueue<string>(2, "drop-newest");
      const publishes = ["a", "b", "c"].map((item) => track(() => queue.publish(item)));
      await flush();
      expect(publishes.map((p) => p.status), "drop-newest should resolve every publish, even into a full queue").toEqual(["fulfilled", "fulfilled", "fulfilled"]);
      expect(queue.size(), "the queue should still hold its capacity").toBe(2);
      const consumes = [track(() => queue.consume()), track(() => queue.consume())];
      await flush();
      expect(values(consumes), "drop-newest should keep the items already held and lose the new one").toEqual(["a", "b"]);
    });

    test("dropped counts every item thrown away", { tags: ["drop-newest", "dropped"] }, async () => {
      const queue = new BoundedQueue<number>(3, "drop-newest");
      for (let item = 1; item <= 10; item++) track(() => queue.publish(item));
      await flush();
      expect(queue.dropped, "7 of 10 items should have been dropped by a queue of capacity 3").toBe(7);
      track(() => queue.consume());
      await flush();
      track(() => queue.publish(11));
      track(() => queue.publish(12));
      await flush();
      expect(queue.dropped, "dropped should keep counting: one item fits in the freed slot, the next is dropped").toBe(8);
    });
  });

  describe("policy drop-oldest", () => {
    test("a publish into a full queue throws the oldest item away and keeps the new one", { tags: ["drop-oldest"] }, async () => {
      const queue = new BoundedQueue<string>(2, "drop-oldest");
      const publishes = ["a", "b", "c"].map((item) => track(() => queue.publish(item)));
      await flush();
      expect(publishes.map((p) => p.status), "drop-oldest should resolve every publish, even into a full queue").toEqual(["fulfilled", "fulfilled", "fulfilled"]);
      expect(queue.size(), "the queue should still hold its capacity").toBe(2);
      const consumes = [track(() => queue.consume()), track(() => queue.consume())];
      await flush();
      expect(values(consumes), "drop-oldest should lose the oldest item and keep the new one at the back").toEqual(["b", "c"]);
    });

    test("dropped counts every item thrown away", { tags: ["drop-oldest", "dropped"] }, async () => {
      const queue = new BoundedQueue<number>(3, "drop-oldest");
      for (let item = 1; item <= 10; item++) track(() => queue.publish(item));
      await flush();
      expect(queue.dropped, "7 of 10 items should have been dropped by a queue of capacity 3").toBe(7);
      const consumes = [track(() => queue.consume()), track(() => queue.consume()), track(() => queue.consume())];
      await flush();
      expect(values(consumes), "the three newest items should survive, oldest first").toEqual([8, 9, 10]);
    });
  });

  describe("items, instances and timers", () => {
    test("an item comes out as the very object that went in, unchanged, whichever way it passes", { tags: ["items-unchanged"] }, async () => {
      const order = (number: number) => ({ number, customer: { name: "Ada", tags: ["vip"] }, lines: [{ sku: "tea", quantity: 2 }] });
      const queue = new BoundedQueue<ReturnType<typeof order>>(1, "block");
      const [handed, held, blocked] = [order(1), order(2), order(3)];
      const waiting = track(() => queue.consume());
      await flush();
      for (const item of [handed, held, blocked]) track(() => queue.publish(item));
      await flush();
      const rest = [track(() => queue.consume()), track(() => queue.consume())];
      await flush();
      expect(waiting.value, "a waiting consumer should receive the very object that was published").toBe(handed);
      expect(rest[0]?.value, "a held item should come out as the very object that was published").toBe(held);
      expect(rest[1]?.value, "a blocked publisher's item should come out as the very object that was published").toBe(blocked);
      expect(handed, "an item handed to a waiting consumer should not be changed").toStrictEqual(order(1));
      expect(held, "a held item should not be changed").toStrictEqual(order(2));
      expect(blocked, "an item that waited with its blocked publisher should not be changed").toStrictEqual(order(3));
      const dropping = new BoundedQueue<ReturnType<typeof order>>(1, "drop-oldest");
      const [pushedOut, kept] = [order(4), order(5)];
      track(() => dropping.publish(pushedOut));
      track(() => dropping.publish(kept));
      await flush();
      expect(pushedOut, "an item a drop-oldest queue threw away should not be changed").toStrictEqual(order(4));
      expect(kept, "an item a drop-oldest queue kept should not be changed").toStrictEqual(order(5));
    });

    test("two queues used together share no items, consumers, publishers or dropped count", { tags: ["separate"] }, async () => {
      const orders = new BoundedQueue<string>(1, "block");
      const prices = new BoundedQueue<string>(1, "drop-oldest");
      const metrics = new BoundedQueue<string>(1, "drop-newest");
      const orderConsumer = track(() => orders.consume());
      await flush();
      track(() => prices.publish("price 1"));
      await flush();
      expect(orderConsumer.status, "a consumer waiting on one queue should not receive an item published to another").toBe("pending");
      expect(prices.size(), "an item published to a queue nobody waits on should be held by that queue").toBe(1);
      track(() => prices.publish("price 2"));
      for (const item of ["metric 1", "metric 2", "metric 3"]) track(() => metrics.publish(item));
      await flush();
      expect([orders.dropped, prices.dropped, metrics.dropped], "each queue should count only the items it dropped itself").toEqual([0, 1, 2]);
      track(() => orders.publish("order 1"));
      track(() => orders.publish("order 2"));
      const blockedOrder = track(() => orders.publish("order 3"));
      await flush();
      expect(orderConsumer.value, "the consumer waiting on a queue should receive the first item published to it").toBe("order 1");
      const fromOthers = [track(() => prices.consume()), track(() => metrics.consume())];
      await flush();
      expect(values(fromOthers), "each queue should hand out only its own items").toEqual(["price 2", "metric 1"]);
      expect(blockedOrder.status, "a consume on another queue should not let in a publisher blocked on this one").toBe("pending");
      expect([orders.size(), prices.size(), metrics.size()], "each queue should count only its own held items").toEqual([1, 0, 0]);
      const priceConsumer = track(() => prices.consume());
      const nextOrder = track(() => orders.consume());
      await flush();
      expect(nextOrder.value, "a queue's consume should return that queue's own oldest item").toBe("order 2");
      expect(blockedOrder.status, "a consume on the publisher's own queue should let it in").toBe("fulfilled");
      expect(priceConsumer.status, "a consumer waiting on one queue should not receive an item let in to another").toBe("pending");
      expect([orders.size(), prices.size()], "the item let in belongs to its own queue").toEqual([1, 0]);
    });

    test("publish and consume settle with the clock stopped: nothing waits for a timer", { tags: ["no-timers"] }, async () => {
      useFakeClock();
      try {
        const queue = new BoundedQueue<string>(1, "block");
        const waiting = track(() => queue.consume());
        const handed = track(() => queue.publish("a"));
        const held = track(() => queue.publish("b"));
        const blocked = track(() => queue.publish("c"));
        const taken = track(() => queue.consume());
        const rejecting = new BoundedQueue<string>(1, "reject");
        track(() => rejecting.publish("x"));
        const refused = track(() => rejecting.publish("y"));
        await flush();
        expect(waiting.status, "a waiting consume should resolve as soon as an item is published, without a timer").toBe("fulfilled");
        expect(handed.status, "a publish handed to a waiting consumer should resolve without a timer").toBe("fulfilled");
        expect(held.status, "a publish into a queue with room should resolve without a timer").toBe("fulfilled");
        expect(taken.status, "a consume of a held item should resolve without a timer").toBe("fulfilled");
        expect(blocked.status, "a blocked publish should resolve as soon as a consume lets it in, without a timer").toBe("fulfilled");
        expect(refused.status, "a full reject queue should reject without a timer").toBe("rejected");
      } finally {
        useRealClock();
      }
    });
  });

  test("long random mixes of publish and consume behave like a simple model, for every policy", { tags: ["fifo", "consume-waits", "consumer-order", "publish-resolves", "handoff", "block", "block-order", "reject", "drop-newest", "drop-oldest", "size", "dropped"] }, async () => {
    const policies: OverflowPolicy[] = ["block", "reject", "drop-oldest", "drop-newest"];
    for (const policy of policies) {
      const random = seededRandom(policies.indexOf(policy) + 505);
      const capacity = 3;
      const queue = new BoundedQueue<number>(capacity, policy);
      // The model: what the queue should hold, and what every promise should have done by now.
      const held: number[] = [];
      const waitingConsumers: number[] = [];
      const blocked: Array<{ item: number; entry: number }> = [];
      const actual: Array<Tracked<unknown>> = [];
      const expected: Array<{ status: Tracked<unknown>["status"]; value?: unknown }> = [];
      let dropped = 0;
      let next = 0;
      for (let step = 0; step < 400; step++) {
        if (random() < 0.55) {
          const item = next++;
          actual.push(track(() => queue.publish(item)));
          const entry = expected.length;
          if (waitingConsumers.length > 0) {
            const consumer = waitingConsumers.shift() as number;
            expected[consumer] = { status: "fulfilled", value: item };
            expected.push({ status: "fulfilled" });
          } else if (held.length < capacity) {
            held.push(item);
            expected.push({ status: "fulfilled" });
          } else if (policy === "block") {
            blocked.push({ item, entry });
            expected.push({ status: "pending" });
          } else if (policy === "reject") {
            expected.push({ status: "rejected" });
          } else {
            dropped += 1;
            if (policy === "drop-oldest") {
              held.shift();
              held.push(item);
            }
            expected.push({ status: "fulfilled" });
          }
        } else {
          actual.push(track(() => queue.consume()));
          const entry = expected.length;
          if (held.length > 0) {
            expected.push({ status: "fulfilled", value: held.shift() });
            const admitted = blocked.shift();
            if (admitted) {
              held.push(admitted.item);
              expected[admitted.entry] = { status: "fulfilled" };
            }
          } else {
            waitingConsumers.push(entry);
            expected.push({ status: "pending" });
          }
        }
        await flush();
        const seen = actual.map((t, index) => (expected[index]?.value === undefined ? { status: t.status } : { status: t.status, value: t.value }));
        if (JSON.stringify(seen) !== JSON.stringify(expected)) {
          expect(seen, `policy ${policy}: after ${step + 1} random operations, a publish or consume promise settled wrongly`).toEqual(expected);
        }
        if (queue.size() !== held.length) {
          expect(queue.size(), `policy ${policy}: after ${step + 1} random operations, size is wrong`).toBe(held.length);
        }
        if (queue.dropped !== dropped) {
          expect(queue.dropped, `policy ${policy}: after ${step + 1} random operations, dropped is wrong`).toBe(dropped);
        }
      }
    }
  });
});

describe("simulate", () => {
  describe("the lesson's example: 10 messages a second, 5 s each, one consumer", () => {
    test("after 60 s: 600 produced, 12 processed, 587 waiting, 10 waiting at 1 s", { tags: ["produced", "processed", "final-depth", "depth"] }, () => {
      const result = run({ producerRatePerSecond: 10, serviceTimeMs: 5000, consumers: 1, durationMs: 60_000 });
      expect(result.produced, "produced should count the arrivals at t = 0, 100, …, 59 900 ms").toBe(600);
      expect(result.processed, "processed should count the services completed by the end, including one ending exactly at the end").toBe(12);
      expect(result.finalDepth, "finalDepth should count the messages waiting at the end, after that instant's events").toBe(587);
      expect(result.depth[1], "depth[1] should be the number waiting at t = 1000 ms").toBe(10);
    });

    test("the depth is sampled every second, and nothing is dropped or blocked", { tags: ["depth", "max-depth", "waiting-room", "sim-dropped", "producer-wait"] }, () => {
      const result = run({ producerRatePerSecond: 10, serviceTimeMs: 5000, durationMs: 60_000 });
      const expectedDepth: number[] = [];
      for (let second = 0; second < 60; second++) expectedDepth.push(10 * second - Math.floor(second / 5));
      expectedDepth.push(587);
      expect(result.depth.length, "depth should hold one sample per second from t = 0 to t = 60 000 ms inclusive").toBe(61);
      expect(result.depth, "each depth sample should count the messages waiting after that instant's events").toEqual(expectedDepth);
      expect(result.maxDepth, "maxDepth should be the most messages waiting at any instant").toBe(588);
      expect(result.dropped, "an unbounded queue drops nothing").toBe(0);
      expect(result.producerWaitMs, "the producer never blocks unless the policy is block").toBe(0);
    });

    test("ten consumers process more but still fall behind", { tags: ["consumers", "processed", "final-depth"] }, () => {
      const result = run({ producerRatePerSecond: 10, serviceTimeMs: 5000, consumers: 10, durationMs: 60_000 });
      expect(result.processed, "processed should count every completion across all ten consumers").toBe(111);
      expect(result.finalDepth, "finalDepth should count the messages still waiting for one of the ten consumers").toBe(479);
    });

    test("fifty consumers keep up exactly", { tags: ["consumers", "processed", "max-depth"] }, () => {
      const result = run({ producerRatePerSecond: 10, serviceTimeMs: 5000, consumers: 50, durationMs: 60_000 });
      expect(result.processed, "with 50 consumers every message that started by 55 s should be processed by 60 s").toBe(551);
      expect(result.maxDepth, "with 50 consumers no message should ever wait").toBe(0);
    });
  });

  describe("arrivals, completions and samples", () => {
    test("arrivals happen at 0, 1000/r, 2000/r, … strictly before the end", { tags: ["arrivals", "produced"] }, () => {
      const fast = { serviceTimeMs: 1, consumers: 4 };
      expect(run({ ...fast, producerRatePerSecond: 4, durationMs: 1000 }).produced, "rate 4/s for 1000 ms should give arrivals at 0, 250, 500 and 750 ms only").toBe(4);
      expect(run({ ...fast, producerRatePerSecond: 4, durationMs: 1001 }).produced, "rate 4/s for 1001 ms should also give an arrival at 1000 ms").toBe(5);
      expect(run({ ...fast, producerRatePerSecond: 0.5, durationMs: 4000 }).produced, "rate 0.5/s for 4000 ms should give arrivals at 0 and 2000 ms only").toBe(2);
      expect(run({ ...fast, producerRatePerSecond: 0.5, durationMs: 4001 }).produced, "rate 0.5/s for 4001 ms should also give an arrival at 4000 ms").toBe(3);
    });

    test("a service that ends exactly at the end counts as processed", { tags: ["processed", "end-instant"] }, () => {
      expect(run({ producerRatePerSecond: 1, serviceTimeMs: 1000, durationMs: 3000 }).processed, "services ending at 1000, 2000 and 3000 ms should all count when the run lasts 3000 ms").toBe(3);
      expect(run({ producerRatePerSecond: 1, serviceTimeMs: 1000, durationMs: 2999 }).processed, "a service ending after the end should not count").toBe(2);
    });

    test("depth is sampled at every whole second up to and including the end", { tags: ["depth"] }, () => {
      const options = { producerRatePerSecond: 1, serviceTimeMs: 100 };
      expect(run({ ...options, durationMs: 2500 }).depth.length, "a 2500 ms run should be sampled at 0, 1000 and 2000 ms").toBe(3);
      expect(run({ ...options, durationMs: 3000 }).depth.length, "a 3000 ms run should be sampled at 0, 1000, 2000 and 3000 ms").toBe(4);
      expect(run({ ...options, durationMs: 999 }).depth.length, "a 999 ms run should be sampled at 0 ms only").toBe(1);
    });

    test("a run of zero length takes one sample and nothing else", { tags: ["valid-values", "arrivals", "depth"] }, () => {
      const result = run({ producerRatePerSecond: 10, serviceTimeMs: 5000, durationMs: 0 });
      expect(result, "with durationMs 0 nothing arrives, and depth holds the one sample at t = 0").toMatchObject({
        produced: 0,
        processed: 0,
        dropped: 0,
        maxDepth: 0,
        finalDepth: 0,
        depth: [0],
        producerWaitMs: 0,
      });
    });

    test("two consumers keep up with one message a second that takes 1.5 s", { tags: ["consumers", "processed", "depth"] }, () => {
      const result = run({ producerRatePerSecond: 1, serviceTimeMs: 1500, consumers: 2, durationMs: 5000 });
      expect(result.produced, "arrivals at 0, 1000, 2000, 3000 and 4000 ms should all get in").toBe(5);
      expect(result.processed, "services ending at 1500, 2500, 3500 and 4500 ms should count; the one ending at 5500 ms should not").toBe(4);
      expect(result.depth, "with two consumers no message should wait").toEqual([0, 0, 0, 0, 0, 0]);
      expect(result.finalDepth, "nothing should be waiting at the end").toBe(0);
    });

    test("one consumer falls behind: depth second by second", { tags: ["instant-order", "depth", "max-depth", "final-depth"] }, () => {
      // t=0 starts at once; t=1000 waits until 1500; t=2000 and t=3000 wait; at 3000 a
      // service ends too, so the consumer takes the 2000 message; and so on.
      const result = run({ producerRatePerSecond: 1, serviceTimeMs: 1500, durationMs: 6000 });
      expect(result.depth, "each sample should count the messages waiting after that instant's completions, arrival and takes").toEqual([0, 1, 1, 1, 2, 2, 1]);
      expect(result.produced, "six arrivals before 6000 ms").toBe(6);
      expect(result.processed, "services ending at 1500, 3000, 4500 and 6000 ms should count").toBe(4);
      expect(result.maxDepth, "maxDepth should be the most messages waiting at any instant").toBe(2);
      expect(result.finalDepth, "finalDepth should be the number waiting at 6000 ms, after the consumer takes the next message").toBe(1);
    });

    test("fractional times are handled exactly", { tags: ["valid-values", "instant-order", "max-depth"] }, () => {
      // Arrivals every 250 ms, 312.5 ms per message: services end at 312.5, 625,
      // 937.5, 1250, 1562.5 and 1875 ms, each time taking the message that waits.
      const result = run({ producerRatePerSecond: 4, serviceTimeMs: 312.5, durationMs: 2000 });
      expect(result.produced, "arrivals at 0, 250, …, 1750 ms").toBe(8);
      expect(result.processed, "six services end by 2000 ms, at 312.5 ms intervals").toBe(6);
      expect(result.depth, "one message waits at 1000 ms and at 2000 ms").toEqual([0, 1, 1]);
      expect(result.maxDepth, "two messages wait at 1500 ms and at 1750 ms").toBe(2);
    });

    test("consumers defaults to 1", { tags: ["consumers"] }, () => {
      const options = { producerRatePerSecond: 2, serviceTimeMs: 1300, durationMs: 20_000 };
      expect(run(options), "leaving out consumers should give the same result as consumers: 1").toEqual(run({ ...options, consumers: 1 }));
    });

    test("a zero service time processes every message the instant it arrives", { tags: ["valid-values", "processed", "max-depth"] }, () => {
      const result = run({ producerRatePerSecond: 10, serviceTimeMs: 0, durationMs: 2500 });
      expect(result.produced, "25 arrivals before 2500 ms").toBe(25);
      expect(result.processed, "with serviceTimeMs 0 every message should be processed at once").toBe(25);
      expect(result.maxDepth, "with serviceTimeMs 0 no message should ever wait").toBe(0);
    });
    test("maxDepth never counts a message taken the instant it arrives", { tags: ["max-depth"] }, () => {
      // Each arrival finds an idle consumer, so none ever waits.
      const two = run({ producerRatePerSecond: 1, serviceTimeMs: 1500, consumers: 2, durationMs: 5000 });
      expect(two.maxDepth, "with two consumers each arrival is taken at once, so no message should count as waiting").toBe(0);
      // Each arrival comes at the instant the only consumer finishes: it completes first, then takes the arrival.
      const inStep = run({ producerRatePerSecond: 1, serviceTimeMs: 1000, durationMs: 5000 });
      expect(inStep.maxDepth, "an arrival taken by a consumer that finished at the same instant should never count as waiting").toBe(0);
    });

    test("maxDepth is measured after the takes, when a consumer finishes as a message arrives", { tags: ["max-depth", "instant-order"] }, () => {
      // At 2 s a service ends and a message arrives while one waits: for a moment two wait,
      // but the consumer takes the oldest before the depth is measured.
      const short = run({ producerRatePerSecond: 1, serviceTimeMs: 2000, durationMs: 3000 });
      expect(short.maxDepth, "maxDepth should count the messages waiting after the consumer that finished took one, not before").toBe(1);
      // 2.5 s each: at 5 s a service ends as the sixth message arrives, with three waiting.
      const longer = run({ producerRatePerSecond: 1, serviceTimeMs: 2500, durationMs: 6000 });
      expect(longer.maxDepth, "maxDepth should never count the moment between an arrival and the take at the same instant").toBe(3);
      expect(longer.depth, "each sample should count the messages waiting after that instant's takes").toEqual([0, 1, 2, 2, 3, 3, 3]);
    });

    test("fractional durations and rates, and -0, work like any other value", { tags: ["valid-values", "arrivals", "depth"] }, () => {
      // Arrivals every 500 ms up to 2500 ms (before 2500.5 ms); samples at 0, 1000 and 2000 ms.
      const fractionalEnd = run({ producerRatePerSecond: 2, serviceTimeMs: 700, durationMs: 2500.5 });
      expect(fractionalEnd.produced, "with durationMs 2500.5 the arrival at 2500 ms is before the end").toBe(6);
      expect(fractionalEnd.processed, "services ending at 700, 1400 and 2100 ms should count").toBe(3);
      expect(fractionalEnd.depth, "a run ending at 2500.5 ms is sampled at 0, 1000 and 2000 ms").toEqual([0, 1, 2]);
      expect(fractionalEnd.finalDepth, "two messages wait at 2500.5 ms").toBe(2);
      // 2.5 a second: arrivals at 0, 400, 800, 1200 and 1600 ms; 2000 ms is the end.
      const fractionalRate = run({ producerRatePerSecond: 2.5, serviceTimeMs: 1000, durationMs: 2000 });
      expect(fractionalRate.produced, "a rate of 2.5 a second should give an arrival every 400 ms").toBe(5);
      expect(fractionalRate.maxDepth, "three messages wait at 1600 ms").toBe(3);
      const negativeZero = run({ producerRatePerSecond: 10, serviceTimeMs: -0, durationMs: 2500 });
      expect(negativeZero, "serviceTimeMs -0 should behave as 0").toEqual(run({ producerRatePerSecond: 10, serviceTimeMs: 0, durationMs: 2500 }));
      const emptyRun = run({ producerRatePerSecond: 10, serviceTimeMs: 5, durationMs: -0 });
      expect(emptyRun.produced, "durationMs -0 should behave as 0: nothing arrives").toBe(0);
      expect(emptyRun.depth.length, "durationMs -0 should behave as 0: one sample, at t = 0").toBe(1);
    });
  });

  describe("bounded queues", () => {
    test("capacity defaults to unlimited", { tags: ["waiting-room"] }, () => {
      const options = { producerRatePerSecond: 10, serviceTimeMs: 5000, durationMs: 30_000 };
      expect(run(options), "leaving out capacity should give the same result as capacity: Infinity").toEqual(run({ ...options, capacity: Infinity }));
    });

    test("drop-newest is the default policy", { tags: ["full-queue"] }, () => {
      const options = { producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000, capacity: 2 };
      expect(run(options), "leaving out policy should give the same result as policy: drop-newest").toEqual(run({ ...options, policy: "drop-newest" }));
    });

    test("with room to spare, every policy gives the same result", { tags: ["full-queue"] }, () => {
      const options = { producerRatePerSecond: 4, serviceTimeMs: 700, consumers: 2, durationMs: 20_000, capacity: 1_000_000 };
      const newest = run({ ...options, policy: "drop-newest" });
      expect(run({ ...options, policy: "drop-oldest" }), "drop-oldest should change nothing while the queue is not full").toEqual(newest);
      expect(run({ ...options, policy: "block" }), "block should change nothing while the queue is not full").toEqual(newest);
      expect(newest.dropped, "a queue that never fills drops nothing").toBe(0);
    });

    test("drop-newest turns arrivals away while capacity messages wait", { tags: ["sim-drop-newest", "sim-dropped", "depth", "max-depth"] }, () => {
      // One arrival a second, 2.3 s per message, room for 2: the arrivals at 4, 6,
      // 8 and 9 s find 2 waiting and are turned away.
      const result = run({ producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000, capacity: 2, policy: "drop-newest" });
      expect(result.dropped, "drop-newest should count each arrival turned away").toBe(4);
      expect(result.produced, "an arrival that is turned away is not produced").toBe(6);
      expect(result.processed, "services ending at 2.3, 4.6, 6.9 and 9.2 s should count").toBe(4);
      expect(result.depth, "each depth sample should count the messages waiting after that instant's events, never more than capacity").toEqual([0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1]);
      expect(result.maxDepth, "maxDepth should never exceed capacity").toBe(2);
    });

    test("drop-oldest lets every arrival in and counts the older messages it throws out", { tags: ["sim-drop-oldest", "sim-dropped", "produced"] }, () => {
      const result = run({ producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000, capacity: 2, policy: "drop-oldest" });
      expect(result.produced, "under drop-oldest every arrival gets in").toBe(10);
      expect(result.dropped, "drop-oldest should count each waiting message thrown out to make room").toBe(4);
      expect(result.processed, "services ending at 2.3, 4.6, 6.9 and 9.2 s should count").toBe(4);
      expect(result.depth, "each depth sample should count the messages waiting after that instant's events, never more than capacity").toEqual([0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 1]);
    });

    test("block slows the producer down instead of losing messages", { tags: ["sim-block", "producer-wait"] }, () => {
      // The arrival due at 4 s waits until 4.6 s; the next is then due at 5.6 s and
      // waits until 6.9 s; the next is due at 7.9 s and waits until 9.2 s.
      const result = run({ producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000, capacity: 2, policy: "block" });
      expect(result.dropped, "block never drops").toBe(0);
      expect(result.produced, "a blocked producer sends fewer messages: its next message is due 1000/r ms after the blocked one got in").toBe(7);
      expect(result.producerWaitMs, "producerWaitMs should add up the time from each blocked arrival to the moment it got in").toBe(3200);
      expect(result.processed, "services ending at 2.3, 4.6, 6.9 and 9.2 s should count").toBe(4);
      expect(result.depth, "a blocked message is not waiting in the queue until it gets in").toEqual([0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    });

    test("a producer still blocked at the end counts its wait up to the end", { tags: ["producer-wait", "end-instant"] }, () => {
      const result = run({ producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 9000, capacity: 2, policy: "block" });
      expect(result.producerWaitMs, "the producer blocked at 7.9 s is still blocked at 9 s, so its 1.1 s so far should count").toBe(3000);
      expect(result.produced, "the message still blocked at the end never got in").toBe(6);
    });

    test("a blocked message let in at exactly durationMs counts, and nothing arrives after it", { tags: ["end-instant", "sim-block", "produced"] }, () => {
      // Room for 1, 2 s each: the arrival due at 3 s finds the queue full and gets in at 4 s, the end.
      const atEnd = run({ producerRatePerSecond: 1, serviceTimeMs: 2000, durationMs: 4000, capacity: 1, policy: "block" });
      expect(atEnd.produced, "a blocked message that gets in at t = durationMs should count as produced").toBe(4);
      expect(atEnd.processed, "services ending at 2 and 4 s should count").toBe(2);
      expect(atEnd.finalDepth, "the message let in at the end should be waiting at the end").toBe(1);
      expect(atEnd.depth, "the sample at the end should count the message let in at that instant").toEqual([0, 1, 1, 1, 1]);
      expect(atEnd.producerWaitMs, "the wait from 3 s to 4 s should count").toBe(1000);
      // Capacity 0: the message blocked since 2.5 s goes straight to the consumer that finishes at 3 s, the end.
      const straight = run({ producerRatePerSecond: 1, serviceTimeMs: 1500, durationMs: 3000, capacity: 0, policy: "block" });
      expect(straight.produced, "with capacity 0, a blocked message taken by a consumer at t = durationMs should count as produced").toBe(3);
      expect(straight.producerWaitMs, "the producer waits from 1 s to 1.5 s and from 2.5 s to 3 s").toBe(1000);
      // Let in at 2 s, the producer's next message would be due at 3 s: the end, so it never arrives.
      const nextAtEnd = run({ producerRatePerSecond: 1, serviceTimeMs: 2000, durationMs: 3000, capacity: 1, policy: "block" });
      expect(nextAtEnd.produced, "the message due 1000/r after a blocked one got in should not arrive when that is exactly durationMs").toBe(3);
    });

    test("at an instant when a consumer finishes, a full queue is still full for the arrival: drop-newest", { tags: ["full-queue", "instant-order", "sim-drop-newest"] }, () => {
      // Room for 1, one arrival a second, 2 s per message: at 2, 4 and 6 s a service
      // ends and an arrival finds 1 waiting. The consumer takes a message only after
      // the arrival, so the arrival is turned away.
      const result = run({ producerRatePerSecond: 1, serviceTimeMs: 2000, durationMs: 7000, capacity: 1, policy: "drop-newest" });
      expect(result.dropped, "an arrival that finds the queue full at the instant a service ends should be turned away").toBe(3);
      expect(result.produced, "only the arrivals at 0, 1, 3 and 5 s get in").toBe(4);
      expect(result.depth, "the consumer takes the waiting message at 2, 4 and 6 s, after the arrival").toEqual([0, 1, 0, 1, 0, 1, 0, 0]);
    });

    test("at an instant when a consumer finishes, a full queue is still full for the arrival: drop-oldest", { tags: ["full-queue", "instant-order", "sim-drop-oldest"] }, () => {
      const result = run({ producerRatePerSecond: 1, serviceTimeMs: 2000, durationMs: 7000, capacity: 1, policy: "drop-oldest" });
      expect(result.dropped, "an arrival that finds the queue full at the instant a service ends should push out the oldest waiting message").toBe(3);
      expect(result.produced, "under drop-oldest every arrival gets in").toBe(7);
      expect(result.depth, "the consumer takes the newest message at 2, 4 and 6 s, after the arrival").toEqual([0, 1, 0, 1, 0, 1, 0, 0]);
    });

    test("at an instant when a consumer finishes, a blocked arrival gets in at that same instant", { tags: ["sim-block", "instant-order", "producer-wait"] }, () => {
      const result = run({ producerRatePerSecond: 1, serviceTimeMs: 2000, durationMs: 7000, capacity: 1, policy: "block" });
      expect(result.produced, "arrivals at 0, 1, 2 s, then at 4 and 6 s after blocking for 1 s each").toBe(5);
      expect(result.producerWaitMs, "a blocked arrival that gets in at the same instant waits 0 ms; the two others wait 1 s each").toBe(2000);
      expect(result.processed, "services ending at 2, 4 and 6 s should count").toBe(3);
      expect(result.depth, "one message should wait from 1 s on").toEqual([0, 1, 1, 1, 1, 1, 1, 1]);
    });

    test("capacity 0: a message goes straight to an idle consumer or is turned away", { tags: ["waiting-room", "full-queue", "sim-drop-oldest"] }, () => {
      const result = run({ producerRatePerSecond: 1, serviceTimeMs: 1500, durationMs: 5000, capacity: 0, policy: "drop-newest" });
      expect(result.produced, "the arrivals at 0, 2 and 4 s find the consumer idle and get in").toBe(3);
      expect(result.dropped, "the arrivals at 1 and 3 s find the consumer busy and no waiting room").toBe(2);
      expect(result.processed, "services ending at 1.5 and 3.5 s should count").toBe(2);
      expect(result.maxDepth, "with capacity 0 no message ever waits").toBe(0);
      // drop-oldest has no waiting message to throw out, so the arrival itself is turned away, and never counts as produced.
      const oldest = run({ producerRatePerSecond: 1, serviceTimeMs: 1500, durationMs: 5000, capacity: 0, policy: "drop-oldest" });
      expect(oldest, "with capacity 0, drop-oldest turns away the arrivals that find the consumer busy, as drop-newest does").toEqual(result);
    });

    test("capacity 0 with block: the producer waits for a free consumer", { tags: ["waiting-room", "sim-block"] }, () => {
      const result = run({ producerRatePerSecond: 1, serviceTimeMs: 1500, durationMs: 5000, capacity: 0, policy: "block" });
      expect(result.produced, "each blocked message should go straight to the consumer when it finishes").toBe(4);
      expect(result.producerWaitMs, "the producer waits 0.5 s three times").toBe(1500);
      expect(result.processed, "services ending at 1.5, 3 and 4.5 s should count").toBe(3);
      expect(result.depth, "with capacity 0 no message ever waits").toEqual([0, 0, 0, 0, 0, 0]);
    });
  });

  test("simulate leaves its options object as it was", { tags: ["options-unchanged"] }, () => {
    const given: SimulationOptions[] = [
      { producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000 },
      { producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000, capacity: 2 },
      { producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000, capacity: 2, policy: "block", consumers: 2 },
    ];
    const fresh = (): SimulationOptions[] => [
      { producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000 },
      { producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000, capacity: 2 },
      { producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000, capacity: 2, policy: "block", consumers: 2 },
    ];
    for (const options of given) simulate(options);
    expect(given[0], "simulate should not add defaults, or anything else, to the options object it is given").toStrictEqual(fresh()[0]);
    expect(given[1], "simulate should not add the default policy to the options object it is given").toStrictEqual(fresh()[1]);
    expect(given[2], "simulate should not change the options object it is given").toStrictEqual(fresh()[2]);
  });

  test("random runs keep the books straight", { tags: ["produced", "processed", "sim-dropped", "depth", "final-depth", "max-depth", "producer-wait", "waiting-room", "sim-block"] }, () => {
    const random = seededRandom(5050);
    const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)] as T;
    for (let trial = 0; trial < 300; trial++) {
      const options = {
        producerRatePerSecond: pick([0.5, 1, 2, 4, 5, 8, 10, 20, 50]),
        serviceTimeMs: pick([0, 100, 250, 700, 1000, 1300, 2300, 5000]),
        consumers: pick([1, 1, 2, 3, 5]),
        durationMs: pick([0, 999, 1000, 2500, 10_000, 30_000]),
        capacity: pick([0, 1, 2, 5, 40, Infinity]),
        policy: pick(["drop-newest", "drop-oldest", "block"] as const),
      };
      const label = Object.entries(options)
        .map(([name, value]) => `${name} ${String(value)}`)
        .join(", ");
      const r = run(options);
      const arrivals = arrivalsBefore(options.durationMs, options.producerRatePerSecond);
      const inService = r.produced - r.processed - r.finalDepth - (options.policy === "drop-oldest" ? r.dropped : 0);
      const problems: string[] = [];
      if (r.depth.length !== Math.floor(options.durationMs / 1000) + 1) problems.push("depth should have one sample per whole second up to the end");
      if (r.depth.some((d) => d > r.maxDepth) || r.finalDepth > r.maxDepth) problems.push("maxDepth should be at least every depth sample and finalDepth");
      if (r.maxDepth > options.capacity) problems.push("no more than capacity messages should ever wait");
      if (options.durationMs % 1000 === 0 && r.depth[r.depth.length - 1] !== r.finalDepth) problems.push("the sample at the end should equal finalDepth");
      if (r.processed > r.produced) problems.push("processed should never exceed produced");
      if (options.policy !== "drop-oldest" || options.capacity > 0) {
        if (inService < 0 || inService > options.consumers) {
          problems.push("every produced message should be processed, in service, waiting, or (drop-oldest) thrown out, with at most one in service per consumer");
        }
      }
      if (options.policy === "drop-newest" && r.produced + r.dropped !== arrivals) problems.push("under drop-newest every arrival should be produced or dropped");
      if (options.policy === "drop-oldest" && options.capacity > 0 && r.produced !== arrivals) problems.push("under drop-oldest every arrival should be produced");
      if (options.policy === "block" && r.dropped !== 0) problems.push("block should never drop");
      if (options.policy !== "block" && r.producerWaitMs !== 0) problems.push("producerWaitMs should be 0 unless the policy is block");
      if (options.policy === "block" && (r.producerWaitMs < 0 || r.producerWaitMs > options.durationMs)) problems.push("producerWaitMs should be between 0 and durationMs");
      if (options.capacity === Infinity && (r.dropped !== 0 || r.producerWaitMs !== 0 || r.produced !== arrivals)) problems.push("an unbounded queue should let every arrival in");
      if (problems.length > 0) expect(problems, `${problems.join("; ")} (it did not with ${label})`).toEqual([]);
    }
  });

  describe("invalid options", () => {
    // These runs last 0 ms, so even code that does not check its options ends at once.
    test("a rate that is not a positive, finite number throws a RangeError", { tags: ["options", "error-messages"] }, () => {
      const base = { serviceTimeMs: 100, durationMs: 0 };
      expectThrows(() => run({ ...base, producerRatePerSecond: 0 }), RangeError, "a rate of 0 should throw a RangeError");
      expectThrows(() => run({ ...base, producerRatePerSecond: -5 }), RangeError, "a negative rate should throw a RangeError");
      expectThrows(() => run({ ...base, producerRatePerSecond: Number.NaN }), RangeError, "a NaN rate should throw a RangeError");
      expectThrows(() => run({ ...base, producerRatePerSecond: Infinity }), RangeError, "an infinite rate should throw a RangeError");
    });

    test("a negative or NaN service time throws a RangeError", { tags: ["options", "error-messages"] }, () => {
      const base = { producerRatePerSecond: 1, durationMs: 0 };
      expectThrows(() => run({ ...base, serviceTimeMs: -1 }), RangeError, "a negative service time should throw a RangeError");
      expectThrows(() => run({ ...base, serviceTimeMs: Number.NaN }), RangeError, "a NaN service time should throw a RangeError");
      expectThrows(() => run({ ...base, serviceTimeMs: Infinity }), RangeError, "an infinite service time should throw a RangeError");
    });

    test("a negative or NaN duration throws a RangeError", { tags: ["options", "error-messages"] }, () => {
      const base = { producerRatePerSecond: 1, serviceTimeMs: 100 };
      expectThrows(() => run({ ...base, durationMs: -1000 }), RangeError, "a negative duration should throw a RangeError");
      expectThrows(() => run({ ...base, durationMs: Number.NaN }), RangeError, "a NaN duration should throw a RangeError");
      // Checked up front: a simulation that starts on an endless run dies later of the engine's own RangeError.
      const endless = expectThrows(() => run({ ...base, durationMs: Infinity }), RangeError, "an infinite duration should throw a RangeError");
      expect(endless.message, "an infinite duration should be refused before simulating anything, not end in the engine's own error").not.toMatch(/^Invalid array length/);
    });

    test("consumers must be a whole number of at least 1", { tags: ["options", "error-messages"] }, () => {
      const base = { producerRatePerSecond: 1, serviceTimeMs: 100, durationMs: 0 };
      expectThrows(() => run({ ...base, consumers: 0 }), RangeError, "0 consumers should throw a RangeError");
      expectThrows(() => run({ ...base, consumers: -2 }), RangeError, "a negative number of consumers should throw a RangeError");
      expectThrows(() => run({ ...base, consumers: 1.5 }), RangeError, "1.5 consumers should throw a RangeError");
      expectThrows(() => run({ ...base, consumers: Number.NaN }), RangeError, "NaN consumers should throw a RangeError");
    });

    test("capacity must be a whole number of at least 0, or Infinity", { tags: ["options", "error-messages"] }, () => {
      const base = { producerRatePerSecond: 1, serviceTimeMs: 100, durationMs: 0 };
      expectThrows(() => run({ ...base, capacity: -1 }), RangeError, "a negative capacity should throw a RangeError");
      expectThrows(() => run({ ...base, capacity: 2.5 }), RangeError, "a fractional capacity should throw a RangeError");
      expectThrows(() => run({ ...base, capacity: Number.NaN }), RangeError, "a NaN capacity should throw a RangeError");
    });

    test("an unknown policy throws a RangeError", { tags: ["options", "error-messages"] }, () => {
      const base = { producerRatePerSecond: 1, serviceTimeMs: 100, durationMs: 0, capacity: 1 };
      const reject = "reject" as unknown as SimulationOptions["policy"];
      const madeUp = "drop-everything" as unknown as SimulationOptions["policy"];
      expectThrows(() => run({ ...base, policy: reject }), RangeError, "simulate has no reject policy, so it should throw a RangeError");
      expectThrows(() => run({ ...base, policy: madeUp }), RangeError, "an unknown policy should throw a RangeError");
    });

    test("edge values that are valid are accepted", { tags: ["valid-values"] }, () => {
      expect(() => run({ producerRatePerSecond: 0.5, serviceTimeMs: 0, durationMs: 0 }), "serviceTimeMs 0 and durationMs 0 are valid").not.toThrow();
      expect(() => run({ producerRatePerSecond: 1, serviceTimeMs: 2.5, durationMs: 1500.5, capacity: 0 }), "fractional times and capacity 0 are valid").not.toThrow();
      expect(() => run({ producerRatePerSecond: 1, serviceTimeMs: 100, durationMs: 1000, capacity: Infinity, consumers: 3, policy: "block" }), "capacity Infinity is valid").not.toThrow();
      expect(() => run({ producerRatePerSecond: 1, serviceTimeMs: -0, durationMs: -0 }), "serviceTimeMs -0 and durationMs -0 are valid: -0 is not negative").not.toThrow();
    });
  });

  // Last in the file on purpose: if a submission is far too slow, the tests above have already run.
  test("an hour at 1000 messages a second against a slow consumer finishes in a few seconds", { tags: ["sim-speed"], timeout: 30_000 }, () => {
    // Virtual time costs nothing: the work should grow with the number of
    // events, not with the milliseconds simulated nor with the messages
    // waiting (here the backlog reaches 3.2 million). The runs get longer and
    // longer, and the test stops as soon as the next one would clearly blow
    // the budget, so a slow simulation fails in seconds instead of minutes.
    const budgetMs = 12_000 * budgetScale;
    // Instrumented runs (coverage, mutation) stop at four minutes of virtual time: the hour would take them minutes of real time.
    const durations = [15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 1_800_000, 3_600_000].filter((duration) => budgetScale === 1 || duration <= 240_000);
    const options = { producerRatePerSecond: 1000, serviceTimeMs: 10 };
    let spentMs = 0;
    let lastMs = 0;
    let lastDuration = 0;
    let result: SimulationResult | undefined;
    for (const durationMs of durations) {
      const predictedMs = lastDuration === 0 ? 0 : (lastMs * durationMs) / lastDuration;
      expect(
        spentMs + predictedMs,
        `simulate is too slow (${(spentMs / 1000).toFixed(1)} s for runs of up to ${lastDuration / 1000} s of virtual time): its cost should grow with the number of events, not with the milliseconds simulated or the number of messages waiting`,
      ).toBeLessThan(budgetMs);
      const started = performance.now();
      result = run({ ...options, durationMs });
      lastMs = performance.now() - started;
      lastDuration = durationMs;
      spentMs += lastMs;
    }
    expect(result?.produced, "at 1000 messages a second every arrival gets in: one a millisecond").toBe(lastDuration);
    // An hour: 3.6 million arrivals, 360 000 processed, one in service, 3601 samples.
    expect(result?.processed, "one consumer at 10 ms a message should process one message per 10 ms of the run").toBe(lastDuration / 10);
    expect(result?.finalDepth, "the messages neither processed nor in service should be waiting at the end").toBe(lastDuration - lastDuration / 10 - 1);
    expect(result?.depth.length, "a run has one sample per whole second, both ends included").toBe(lastDuration / 1000 + 1);
  });
});

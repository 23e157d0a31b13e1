// Public tests for module 05. Run them with `npm run exercise 05`.
// Each test names the rules it checks in its tags: the ids in brackets in the
// stubs' doc comments and in the lesson. The hidden tests that grade your work
// check the same rules with more cases, random runs and bigger sizes.
import { describe, expect, test } from "vitest";
import { BoundedQueue, QueueFullError } from "@exercise/05-backpressure/bounded-queue";
import * as exercise from "@exercise/05-backpressure/bounded-queue";
import { simulate, type SimulationOptions } from "@exercise/05-backpressure/simulate";
import { useFakeClock, useRealClock } from "../support/clock";
import { budgetScale } from "../support/complexity";
import { runWorkload } from "../support/workload";

// Taken before any test stops the clock: fake timers stop setImmediate too.
const realSetImmediate = globalThis.setImmediate;

/** Lets every pending promise callback run before the test looks again. */
async function flush(): Promise<void> {
  for (let round = 0; round < 3; round++) await new Promise<void>((resolve) => realSetImmediate(resolve));
}

/**
 * Starts a publish or consume and records how its promise settles, so a test
 * can check what has settled after a flush without hanging on one that never does.
 */
function track<T>(promise: Promise<T>): { status: "pending" | "fulfilled" | "rejected"; value?: T; reason?: unknown } {
  const tracked: { status: "pending" | "fulfilled" | "rejected"; value?: T; reason?: unknown } = { status: "pending" };
  promise.then(
    (value) => Object.assign(tracked, { status: "fulfilled", value }),
    (reason: unknown) => Object.assign(tracked, { status: "rejected", reason }),
  );
  return tracked;
}

/** What `run` threw, or undefined. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("BoundedQueue", () => {
  test("capacity is a whole number of at least 1, and the policy one of the four", { tags: ["capacity", "policy", "error-messages"] }, () => {
    for (const capacity of [0, 1.5, Infinity]) {
      const error = thrown(() => new BoundedQueue(capacity));
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).not.toBe("");
    }
    const badPolicy = thrown(() => new BoundedQueue(1, "Block" as never));
    expect(badPolicy).toBeInstanceOf(RangeError);
    expect((badPolicy as Error).message).not.toBe("");
    expect(() => new BoundedQueue(1, "drop-oldest")).not.toThrow();
  });

  test("items come out in the order they went in", { tags: ["fifo", "publish-resolves", "size"] }, async () => {
    const queue = new BoundedQueue<string>(10);
    const published = track(queue.publish("resize avatar"));
    track(queue.publish("send welcome email"));
    await flush();
    expect(published.status).toBe("fulfilled");
    expect(queue.size()).toBe(2);
    const first = track(queue.consume());
    const second = track(queue.consume());
    await flush();
    expect([first.value, second.value]).toEqual(["resize avatar", "send welcome email"]);
    expect(queue.size()).toBe(0);
  });

  test("consume waits for an item, and waiting consumers are served in the order they called consume", { tags: ["consume-waits", "consumer-order"] }, async () => {
    const queue = new BoundedQueue<string>(5);
    const consumers = [track(queue.consume()), track(queue.consume()), track(queue.consume())];
    await flush();
    expect(consumers[0]?.status).toBe("pending");
    track(queue.publish("first"));
    const latecomer = track(queue.consume()); // after the item went to the first consumer
    track(queue.publish("second"));
    track(queue.publish("third"));
    await flush();
    expect(consumers.map((consumer) => consumer.value)).toEqual(["first", "second", "third"]);
    expect(latecomer.status).toBe("pending");
  });

  test("an item handed to a waiting consumer is never held, so it takes no room", { tags: ["handoff", "size"] }, async () => {
    const queue = new BoundedQueue<string>(1, "reject");
    const waiting = track(queue.consume());
    await flush();
    const handed = track(queue.publish("x"));
    await flush();
    expect(waiting.value).toBe("x");
    expect(handed.status).toBe("fulfilled");
    expect(queue.size()).toBe(0);
    const held = track(queue.publish("y")); // the one slot is still free
    const refused = track(queue.publish("z"));
    await flush();
    expect([held.status, refused.status]).toEqual(["fulfilled", "rejected"]);
  });

  test("block is the default policy: a full queue makes the publisher wait for room", { tags: ["block", "policy"] }, async () => {
    const queue = new BoundedQueue<string>(1);
    track(queue.publish("a"));
    const blocked = track(queue.publish("b"));
    await flush();
    expect(blocked.status).toBe("pending"); // still waiting: the queue is full
    expect(queue.size()).toBe(1);
    const consumed = track(queue.consume()); // this frees the slot...
    await flush();
    expect(consumed.value).toBe("a");
    expect(blocked.status).toBe("fulfilled"); // ...so the blocked publish resolves
    expect(queue.size()).toBe(1);
  });

  test("blocked publishers get in one by one, in order, behind the held items and ahead of later publishes", { tags: ["block-order", "block"] }, async () => {
    const queue = new BoundedQueue<string>(2, "block");
    for (const item of ["a", "b"]) track(queue.publish(item));
    const blocked = [track(queue.publish("c")), track(queue.publish("d"))];
    await flush();
    const first = track(queue.consume());
    const latecomer = track(queue.publish("e")); // called while "d" is still blocked
    await flush();
    expect(first.value).toBe("a");
    expect(blocked.map((publish) => publish.status)).toEqual(["fulfilled", "pending"]);
    expect(latecomer.status).toBe("pending");
    const rest = [track(queue.consume()), track(queue.consume()), track(queue.consume()), track(queue.consume())];
    await flush();
    expect(rest.map((consume) => consume.value)).toEqual(["b", "c", "d", "e"]);
  });

  test("a full reject queue rejects with QueueFullError and keeps the item out", { tags: ["reject", "dropped"] }, async () => {
    const queue = new BoundedQueue<string>(1, "reject");
    track(queue.publish("a"));
    let refused: ReturnType<typeof track> | undefined;
    expect(() => {
      refused = track(queue.publish("b")); // a rejected promise, not a throw
    }).not.toThrow();
    await flush();
    expect(refused?.status).toBe("rejected");
    expect(refused?.reason).toBeInstanceOf(QueueFullError);
    expect((refused?.reason as Error).name).toBe("QueueFullError");
    expect((refused?.reason as Error).message).not.toBe("");
    expect(queue.size()).toBe(1);
    expect(queue.dropped).toBe(0);
  });

  test("a full drop-newest queue throws new items away and counts them", { tags: ["drop-newest", "dropped"] }, async () => {
    const queue = new BoundedQueue<number>(2, "drop-newest");
    const publishes = [1, 2, 3, 4].map((item) => track(queue.publish(item)));
    await flush();
    expect(publishes.every((publish) => publish.status === "fulfilled")).toBe(true);
    expect(queue.dropped).toBe(2);
    const consumes = [track(queue.consume()), track(queue.consume())];
    await flush();
    expect(consumes.map((consume) => consume.value)).toEqual([1, 2]);
  });

  test("a full drop-oldest queue throws the oldest item away and keeps the new one", { tags: ["drop-oldest", "dropped"] }, async () => {
    const queue = new BoundedQueue<number>(2, "drop-oldest");
    const publishes = [1, 2, 3, 4].map((item) => track(queue.publish(item)));
    await flush();
    expect(publishes.every((publish) => publish.status === "fulfilled")).toBe(true);
    expect(queue.dropped).toBe(2);
    const consumes = [track(queue.consume()), track(queue.consume())];
    await flush();
    expect(consumes.map((consume) => consume.value)).toEqual([3, 4]);
  });

  test("falsy items come through like any other", { tags: ["falsy"] }, async () => {
    const queue = new BoundedQueue<unknown>(10);
    const items = [0, "", false, null];
    for (const item of items) track(queue.publish(item));
    await flush();
    expect(queue.size()).toBe(4);
    const consumes = items.map(() => track(queue.consume()));
    await flush();
    expect(consumes.map((consume) => consume.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(consumes.map((consume) => consume.value)).toEqual(items);
  });

  test("an item comes out as the same object, unchanged", { tags: ["items-unchanged"] }, async () => {
    const queue = new BoundedQueue<{ order: number; lines: string[] }>(1, "block");
    const waiting = track(queue.consume());
    const handed = { order: 1, lines: ["tea"] };
    const held = { order: 2, lines: ["cake"] };
    const blocked = { order: 3, lines: [] };
    for (const item of [handed, held, blocked]) track(queue.publish(item));
    await flush();
    const rest = [track(queue.consume()), track(queue.consume())];
    await flush();
    expect(waiting.value).toBe(handed);
    expect(rest.map((consume) => consume.value)).toEqual([held, blocked]);
    expect(rest[1]?.value).toBe(blocked);
    expect([handed, held, blocked]).toStrictEqual([
      { order: 1, lines: ["tea"] },
      { order: 2, lines: ["cake"] },
      { order: 3, lines: [] },
    ]);
  });

  test("two queues used together share nothing", { tags: ["separate"] }, async () => {
    const orders = new BoundedQueue<string>(1, "block");
    const emails = new BoundedQueue<string>(1, "drop-newest");
    const orderConsumer = track(orders.consume()); // waits on orders
    track(emails.publish("email 1")); // held by emails, not handed to the orders consumer
    track(emails.publish("email 2")); // dropped by emails
    await flush();
    expect(orderConsumer.status).toBe("pending");
    expect([orders.size(), emails.size()]).toEqual([0, 1]);
    expect([orders.dropped, emails.dropped]).toEqual([0, 1]);
    track(orders.publish("order 1")); // to the waiting consumer
    track(orders.publish("order 2")); // held
    const blocked = track(orders.publish("order 3")); // blocked
    const email = track(emails.consume()); // frees a slot in emails only
    await flush();
    expect(orderConsumer.value).toBe("order 1");
    expect(email.value).toBe("email 1");
    expect(blocked.status).toBe("pending");
  });

  test("promises settle without timers, even with the clock stopped", { tags: ["no-timers"] }, async () => {
    useFakeClock();
    try {
      const queue = new BoundedQueue<string>(1, "block");
      const waiting = track(queue.consume());
      const handed = track(queue.publish("a"));
      track(queue.publish("b"));
      const blocked = track(queue.publish("c"));
      const consumed = track(queue.consume());
      await flush();
      expect([waiting.status, handed.status, blocked.status, consumed.status]).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    } finally {
      useRealClock();
    }
  });

  test("consume stays fast with many items held", { tags: ["speed"], timeout: 20_000 }, async () => {
    const count = 200_000;
    const result = await runWorkload("bounded-queue-drain", exercise, { count, budgetMs: 1_000, seed: 5 });
    expect(result.consumed).toBe(count);
    expect(result.firstOutOfOrder).toBe(-1);
  });

  test("a queue keeps no memory for the items, consumers and publishers that passed through it", { tags: ["memory"], timeout: 20_000 }, async () => {
    const bound = 500_000; // bytes; a queue that keeps what passed through holds megabytes
    const steady = await runWorkload("bounded-queue-steady", exercise, { count: 100_000, backlog: 3, budgetMs: 2_000, seed: 7 });
    expect(steady.firstOutOfOrder).toBe(-1);
    expect(steady.retainedBytes).toBeLessThan(bound);
    const consumers = await runWorkload("bounded-queue-waiting-consumers", exercise, { rounds: 5_000, waiting: 3, budgetMs: 2_000, seed: 8 });
    expect(consumers.firstOutOfOrder).toBe(-1);
    expect(consumers.retainedBytes).toBeLessThan(bound);
    const publishers = await runWorkload("bounded-queue-blocked-publishers", exercise, { rounds: 5_000, blocked: 3, capacity: 2, budgetMs: 2_000, seed: 9 });
    expect(publishers.firstOutOfOrder).toBe(-1);
    expect(publishers.retainedBytes).toBeLessThan(bound);
  });
});

describe("simulate", () => {
  test("the lesson's example: 10 messages a second, 5 s each, one consumer, for 60 s", { tags: ["produced", "processed", "final-depth", "depth", "sim-dropped", "producer-wait"] }, () => {
    const result = simulate({ producerRatePerSecond: 10, serviceTimeMs: 5000, consumers: 1, durationMs: 60_000 });
    expect(result.produced).toBe(600);
    expect(result.processed).toBe(12);
    expect(result.finalDepth).toBe(587);
    expect(result.depth.length).toBe(61);
    expect(result.depth.slice(0, 6)).toEqual([0, 10, 20, 30, 40, 49]);
    expect(result.dropped).toBe(0);
    expect(result.producerWaitMs).toBe(0);
  });

  test("arrivals happen at 0, 1000/r, 2000/r, … strictly before the end", { tags: ["arrivals"] }, () => {
    const fast = { serviceTimeMs: 1, consumers: 4 };
    expect(simulate({ ...fast, producerRatePerSecond: 4, durationMs: 1000 }).produced).toBe(4); // 0, 250, 500, 750
    expect(simulate({ ...fast, producerRatePerSecond: 4, durationMs: 1001 }).produced).toBe(5); // and 1000
  });

  test("consumers defaults to 1, and two consumers share the work", { tags: ["consumers"] }, () => {
    const options = { producerRatePerSecond: 1, serviceTimeMs: 1500, durationMs: 5000 };
    expect(simulate(options).processed).toBe(3); // one consumer: 1.5, 3 and 4.5 s
    const two = simulate({ ...options, consumers: 2 });
    expect(two.processed).toBe(4); // 1.5, 2.5, 3.5 and 4.5 s
    expect(two.depth).toEqual([0, 0, 0, 0, 0, 0]);
  });

  test("capacity counts only waiting messages, and 0 leaves no waiting room", { tags: ["waiting-room"] }, () => {
    const result = simulate({ producerRatePerSecond: 1, serviceTimeMs: 1500, durationMs: 5000, capacity: 0 });
    expect(result.produced).toBe(3); // 0, 2 and 4 s find the consumer idle
    expect(result.dropped).toBe(2); // 1 and 3 s find it busy
    expect(result.maxDepth).toBe(0);
  });

  test("one consumer falls behind: depth second by second, after each instant's events", { tags: ["instant-order", "depth"] }, () => {
    // At 3 s a service ends and a message arrives: the consumer takes the oldest waiting one.
    const result = simulate({ producerRatePerSecond: 1, serviceTimeMs: 1500, durationMs: 6000 });
    expect(result.depth).toEqual([0, 1, 1, 1, 2, 2, 1]);
  });

  test("a full queue is still full for an arrival at the instant a consumer finishes", { tags: ["full-queue", "sim-drop-newest"] }, () => {
    // Room for 1, one arrival a second, 2 s each: at 2, 4 and 6 s the arrival comes before the take.
    const result = simulate({ producerRatePerSecond: 1, serviceTimeMs: 2000, durationMs: 7000, capacity: 1, policy: "drop-newest" });
    expect(result.dropped).toBe(3);
    expect(result.produced).toBe(4);
    expect(result.depth).toEqual([0, 1, 0, 1, 0, 1, 0, 0]);
  });

  test("drop-oldest lets every arrival in and counts the messages it pushes out", { tags: ["sim-drop-oldest", "sim-dropped"] }, () => {
    const result = simulate({ producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000, capacity: 2, policy: "drop-oldest" });
    expect(result.produced).toBe(10);
    expect(result.dropped).toBe(4);
    expect(result.maxDepth).toBe(2);
    // With no waiting room there is no older message to push out: the arrival itself goes.
    const noRoom = simulate({ producerRatePerSecond: 1, serviceTimeMs: 1500, durationMs: 5000, capacity: 0, policy: "drop-oldest" });
    expect([noRoom.produced, noRoom.dropped]).toEqual([3, 2]);
  });

  test("block slows the producer down instead of losing messages", { tags: ["sim-block", "producer-wait"] }, () => {
    // The arrival due at 4 s waits until 4.6 s, the next (5.6 s) until 6.9 s, the next (7.9 s) until 9.2 s.
    const result = simulate({ producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000, capacity: 2, policy: "block" });
    expect(result.dropped).toBe(0);
    expect(result.produced).toBe(7);
    expect(result.producerWaitMs).toBe(3200);
    // Stopped at 9 s, the producer blocked since 7.9 s is still waiting: its 1.1 s so far counts.
    const stillBlocked = simulate({ producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 9000, capacity: 2, policy: "block" });
    expect(stillBlocked.producerWaitMs).toBe(3000);
    // With no waiting room, a blocked message goes straight to the consumer that frees up.
    const noRoom = simulate({ producerRatePerSecond: 1, serviceTimeMs: 1500, durationMs: 5000, capacity: 0, policy: "block" });
    expect([noRoom.produced, noRoom.producerWaitMs]).toEqual([4, 1500]);
  });

  test("maxDepth is measured after the takes", { tags: ["max-depth"] }, () => {
    // At 2 s a service ends and a message arrives: two wait for a moment, but the consumer takes one at once.
    const result = simulate({ producerRatePerSecond: 1, serviceTimeMs: 2000, durationMs: 3000 });
    expect(result.maxDepth).toBe(1);
  });

  test("at the very end, services complete and a blocked message gets in, but nothing arrives", { tags: ["end-instant", "processed"] }, () => {
    // Room for 1, 2 s each: the arrival due at 3 s is blocked and gets in at 4 s, the end.
    const result = simulate({ producerRatePerSecond: 1, serviceTimeMs: 2000, durationMs: 4000, capacity: 1, policy: "block" });
    expect(result.processed).toBe(2);
    expect(result.produced).toBe(4);
    expect(result.finalDepth).toBe(1);
    expect(result.producerWaitMs).toBe(1000);
  });

  test("invalid options throw a RangeError that says what is wrong", { tags: ["options", "error-messages"] }, () => {
    const base: SimulationOptions = { producerRatePerSecond: 1, serviceTimeMs: 100, durationMs: 0 };
    for (const wrong of [{ producerRatePerSecond: 0 }, { serviceTimeMs: -1 }, { durationMs: Number.NaN }, { consumers: 1.5 }, { capacity: -1 }, { policy: "reject" as never }]) {
      const error = thrown(() => simulate({ ...base, ...wrong }));
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).not.toBe("");
    }
  });

  test("zero, -0 and fractions are valid values", { tags: ["valid-values"] }, () => {
    expect(simulate({ producerRatePerSecond: 10, serviceTimeMs: 0, durationMs: 2500 }).processed).toBe(25);
    expect(simulate({ producerRatePerSecond: 10, serviceTimeMs: -0, durationMs: -0 }).depth).toEqual([0]);
    const fractional = simulate({ producerRatePerSecond: 0.5, serviceTimeMs: 312.5, durationMs: 4000.5 });
    expect(fractional.produced).toBe(3); // 0, 2 and 4 s
    expect(fractional.processed).toBe(2);
  });

  test("simulate leaves the options object as it was", { tags: ["options-unchanged"] }, () => {
    const options: SimulationOptions = { producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000 };
    simulate(options);
    expect(options).toStrictEqual({ producerRatePerSecond: 1, serviceTimeMs: 2300, durationMs: 10_000 });
  });

  test("simulate stays fast over a long run", { tags: ["sim-speed"], timeout: 20_000 }, () => {
    // 15 minutes at 1000 messages a second against a slow consumer: 900,000 arrivals, most left waiting.
    const started = performance.now();
    const result = simulate({ producerRatePerSecond: 1000, serviceTimeMs: 10, durationMs: 900_000 });
    expect(result.produced).toBe(900_000);
    expect(performance.now() - started).toBeLessThan(5_000 * budgetScale); // a few tenths of a second is typical
  });
});

// Public tests for module 05. Run them with `npm run exercise 05`.
// They show the happy path of both files; the hidden tests that grade your work
// also check every policy in detail, waiting consumers and publishers, hand-checked
// simulations, events that happen at the same instant, invalid options and speed.
import { describe, expect, test } from "vitest";
import { BoundedQueue, QueueFullError } from "@exercise/05-backpressure/bounded-queue";
import { simulate } from "@exercise/05-backpressure/simulate";

/** Lets every pending promise callback run before the test looks again. */
async function flush(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

describe("BoundedQueue", () => {
  test("items come out in the order they went in", async () => {
    const queue = new BoundedQueue<string>(10);
    await queue.publish("resize avatar");
    await queue.publish("send welcome email");
    expect(queue.size()).toBe(2);
    expect(await queue.consume()).toBe("resize avatar");
    expect(await queue.consume()).toBe("send welcome email");
    expect(queue.size()).toBe(0);
  });

  test("a full queue with the block policy makes the publisher wait for room", async () => {
    const queue = new BoundedQueue<string>(1, "block");
    await queue.publish("a");
    let admitted = false;
    const blocked = queue.publish("b").then(() => {
      admitted = true;
    });
    await flush();
    expect(admitted).toBe(false); // still waiting: the queue is full
    expect(await queue.consume()).toBe("a"); // this frees the slot...
    await blocked; // ...so the blocked publish resolves
    expect(admitted).toBe(true);
    expect(await queue.consume()).toBe("b");
  });

  test("a full queue with the reject policy rejects with QueueFullError", async () => {
    const queue = new BoundedQueue<string>(1, "reject");
    await queue.publish("a");
    await expect(queue.publish("b")).rejects.toBeInstanceOf(QueueFullError);
    expect(queue.size()).toBe(1);
  });

  test("a full queue with the drop-newest policy throws new items away and counts them", async () => {
    const queue = new BoundedQueue<number>(2, "drop-newest");
    for (const item of [1, 2, 3, 4]) await queue.publish(item);
    expect(queue.dropped).toBe(2);
    expect(await queue.consume()).toBe(1);
  });
});

describe("simulate", () => {
  test("10 messages a second, 5 s each, one consumer, for 60 s", () => {
    const result = simulate({ producerRatePerSecond: 10, serviceTimeMs: 5000, consumers: 1, durationMs: 60_000 });
    expect(result.produced).toBe(600);
    expect(result.processed).toBe(12);
    expect(result.finalDepth).toBe(587);
    expect(result.depth[1]).toBe(10);
  });
});

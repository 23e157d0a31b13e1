// Public tests for module 03. Run them with `npm run exercise 03`.
// They check every rule of the stub once, on a fake clock that only moves when
// a test calls advanceClock (vitest's fake timers, in tests/support/clock.ts).
// Each test's tags name the rules it checks. The hidden tests that grade your
// work check the same rules with more cases, a long random run and bigger
// memory checks.
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import * as exercise from "@exercise/03-visibility-timeout/visibility-queue";
import { VisibilityQueue } from "@exercise/03-visibility-timeout/visibility-queue";
import { advanceClock, useFakeClock, useRealClock } from "../support/clock";
import { expectThrows } from "../support/errors";
import { megabytes } from "../support/memory";
import { runWorkload } from "../support/workload";

describe("VisibilityQueue", () => {
  beforeEach(() => {
    useFakeClock();
  });

  afterEach(() => {
    useRealClock();
  });

  test("a received message is hidden until it is acked", { tags: ["earliest", "ack", "ids"] }, () => {
    const queue = new VisibilityQueue<string>();
    const id = queue.send("resize photo 7");
    const delivery = queue.receive();
    expect(delivery).toMatchObject({ id, body: "resize photo 7", receiveCount: 1 });
    expect(queue.receive()).toBeNull();
    expect(queue.ack(delivery!.receiptHandle)).toBe(true);
    advanceClock(60_000);
    expect(queue.receive()).toBeNull();
  });

  test("a message nobody acks comes back exactly when its visibility timeout ends", { tags: ["instant", "receive-count", "handles", "ids", "stats"] }, () => {
    const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
    const id = queue.send("charge card");
    const first = queue.receive();
    advanceClock(999);
    expect(queue.receive()).toBeNull();
    expect(queue.stats()).toMatchObject({ visible: 0, inFlight: 1 });
    advanceClock(1);
    expect(queue.stats()).toMatchObject({ visible: 1, inFlight: 0 });
    const second = queue.receive();
    expect(second).toMatchObject({ id, body: "charge card", receiveCount: 2 });
    expect(second!.receiptHandle).not.toBe(first!.receiptHandle);
  });

  test("only the latest receipt handle can ack, and only before its timeout ends", { tags: ["live-handle", "instant"] }, () => {
    const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
    queue.send("send invoice");
    const first = queue.receive();
    advanceClock(1_000);
    expect(queue.ack(first!.receiptHandle)).toBe(false);
    const second = queue.receive();
    expect(queue.ack(first!.receiptHandle)).toBe(false);
    expect(queue.ack("no-such-handle")).toBe(false);
    expect(queue.ack(second!.receiptHandle)).toBe(true);
    expect(queue.ack(second!.receiptHandle)).toBe(false);
  });

  test("each delivery keeps its own receipt handle and receive count", { tags: ["deliveries-fixed", "handles", "receive-count"] }, () => {
    const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
    queue.send("a");
    queue.send("b");
    const a = queue.receive()!;
    const b = queue.receive()!;
    advanceClock(1_500);
    const again = queue.receive()!;
    expect(new Set([a.receiptHandle, b.receiptHandle, again.receiptHandle]).size).toBe(3);
    expect(a).toMatchObject({ body: "a", receiveCount: 1 });
    expect(again).toMatchObject({ id: a.id, body: "a", receiveCount: 2 });
    expect(a.receiptHandle).not.toBe(again.receiptHandle);
  });

  test("an expired message comes back before messages sent after it, and ties go by send order", { tags: ["original-place", "ties"] }, () => {
    const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
    queue.send("a");
    queue.send("b");
    queue.receive();
    queue.receive();
    queue.send("c");
    advanceClock(1_500);
    expect([queue.receive()?.body, queue.receive()?.body, queue.receive()?.body]).toEqual(["a", "b", "c"]);
  });

  test("falsy bodies are messages too", { tags: ["falsy"] }, () => {
    const queue = new VisibilityQueue<unknown>();
    for (const body of [0, "", false, null]) queue.send(body);
    expect([queue.receive()?.body, queue.receive()?.body, queue.receive()?.body, queue.receive()?.body]).toEqual([0, "", false, null]);
    expect(queue.receive()).toBeNull();
  });

  test("changeVisibility extends the lease of a slow job, counting from now", { tags: ["change-visibility", "live-handle"] }, () => {
    const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
    queue.send("encode video");
    const delivery = queue.receive();
    advanceClock(800);
    expect(queue.changeVisibility(delivery!.receiptHandle, 1_000)).toBe(true);
    advanceClock(500);
    expect(queue.receive()).toBeNull();
    expect(queue.changeVisibility("no-such-handle", 1_000)).toBe(false);
    expect(queue.ack(delivery!.receiptHandle)).toBe(true);
    expect(queue.changeVisibility(delivery!.receiptHandle, 1_000)).toBe(false);
  });

  test("stats count visible and in-flight messages", { tags: ["stats"] }, () => {
    const queue = new VisibilityQueue<number>({ visibilityTimeoutMs: 1_000 });
    queue.send(1);
    queue.send(2);
    queue.send(3);
    const first = queue.receive();
    queue.receive();
    expect(queue.stats()).toMatchObject({ visible: 1, inFlight: 2 });
    queue.ack(first!.receiptHandle);
    expect(queue.stats()).toMatchObject({ visible: 1, inFlight: 1 });
    advanceClock(1_500);
    expect(queue.stats()).toMatchObject({ visible: 2, inFlight: 0 });
  });

  test("the default visibility timeout is 30 seconds", { tags: ["default-timeout"] }, () => {
    const queue = new VisibilityQueue<string>({});
    queue.send("job");
    queue.receive();
    advanceClock(29_999);
    expect(queue.receive()).toBeNull();
    advanceClock(2);
    expect(queue.receive()?.body).toBe("job");
  });

  test("a timeout of 0 (or -0) hides nothing, and changeVisibility(handle, 0) releases at once", { tags: ["zero", "default-timeout"] }, () => {
    for (const zero of [0, -0]) {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: zero });
      queue.send("job");
      expect(queue.receive()?.receiveCount).toBe(1);
      advanceClock(1);
      expect(queue.receive()?.receiveCount).toBe(2);
    }
    const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 5_000 });
    queue.send("a");
    queue.send("b");
    const a = queue.receive();
    const b = queue.receive();
    expect(queue.changeVisibility(a!.receiptHandle, 0)).toBe(true);
    expect(queue.changeVisibility(b!.receiptHandle, -0)).toBe(true);
    expect(queue.ack(a!.receiptHandle)).toBe(false);
    expect([queue.receive()?.body, queue.receive()?.body]).toEqual(["a", "b"]);
  });

  test("fractional timeouts are accepted and end between their floor and their ceiling", { tags: ["fractional", "timeout-range"] }, () => {
    const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_500.5 });
    queue.send("job");
    queue.receive();
    advanceClock(1_499);
    expect(queue.receive()).toBeNull();
    advanceClock(2);
    const again = queue.receive();
    expect(again?.body).toBe("job");
    expect(queue.changeVisibility(again!.receiptHandle, 0.25)).toBe(true);
    advanceClock(1);
    expect(queue.receive()?.body).toBe("job");
  });

  test("timeouts outside 0 to 12 hours throw a RangeError that says what is wrong", { tags: ["timeout-range", "error-messages", "check-order"] }, () => {
    for (const bad of [-1, Number.NaN, 43_200_001, Number.POSITIVE_INFINITY]) {
      expectThrows(() => new VisibilityQueue({ visibilityTimeoutMs: bad }), RangeError, `new VisibilityQueue({ visibilityTimeoutMs: ${bad} })`);
    }
    const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 43_200_000 });
    queue.send("job");
    const delivery = queue.receive();
    for (const bad of [-1, Number.NaN, 43_200_001]) {
      expectThrows(() => queue.changeVisibility(delivery!.receiptHandle, bad), RangeError, `changeVisibility(handle, ${bad})`);
    }
    expectThrows(() => queue.changeVisibility("no-such-handle", -1), RangeError, "changeVisibility(unknown handle, -1)");
    expect(queue.changeVisibility(delivery!.receiptHandle, 43_200_000)).toBe(true);
  });

  test("two queues used together keep their own messages, counts and timeouts", { tags: ["separate"] }, () => {
    const fast = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
    const slow = new VisibilityQueue<string>({ visibilityTimeoutMs: 5_000 });
    fast.send("fast 1");
    slow.send("slow 1");
    fast.send("fast 2");
    expect(slow.receive()?.body).toBe("slow 1");
    expect(fast.receive()?.body).toBe("fast 1");
    expect(slow.receive()).toBeNull();
    expect(fast.stats()).toMatchObject({ visible: 1, inFlight: 1 });
    expect(slow.stats()).toMatchObject({ visible: 0, inFlight: 1 });
    advanceClock(1_500);
    expect(slow.receive()).toBeNull();
    expect(fast.receive()?.body).toBe("fast 1");
  });

  test("the queue changes neither the bodies nor the options it is given", { tags: ["inputs-unchanged"] }, () => {
    const options = {};
    const queue = new VisibilityQueue<{ order: number }>(options);
    expect(options).toEqual({});
    const body = { order: 42 };
    queue.send(body);
    queue.send(Object.freeze({ order: 43 }));
    const delivery = queue.receive();
    queue.ack(delivery!.receiptHandle);
    expect(body).toEqual({ order: 42 });
    expect(queue.receive()?.body).toEqual({ order: 43 });
  });

  test("memory follows what the queue holds: acked messages leave nothing behind", { tags: ["memory"], timeout: 30_000 }, async () => {
    const count = 30_000;
    const result = await runWorkload("visibility-queue-steady", exercise, { count, backlog: 3, budgetMs: 3_000, seed: 3 });
    expect(result.firstWrong).toBe(-1);
    expect({ visible: result.visible, inFlight: result.inFlight }).toEqual({ visible: 3, inFlight: 0 });
    expect(result.retainedBytes, `${megabytes(result.retainedBytes)} kept after ${count} messages were sent, received and acked`).toBeLessThan(1_000_000);
  });

  test("memory follows what the queue holds: redelivered messages leave nothing behind once acked", { tags: ["memory"], timeout: 30_000 }, async () => {
    const count = 10_000;
    const result = await runWorkload("visibility-queue-redeliver", exercise, { count, batch: 16, timeoutMs: 1_000, budgetMs: 3_000, seed: 3 });
    expect(result.firstWrong).toBe(-1);
    expect({ visible: result.visible, inFlight: result.inFlight }).toEqual({ visible: 0, inFlight: 0 });
    expect(result.retainedBytes, `${megabytes(result.retainedBytes)} kept after ${count} messages were received, expired, received again and acked`).toBeLessThan(1_000_000);
  });
});

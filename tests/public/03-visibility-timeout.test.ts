// Public tests for module 03. Run them with `npm run exercise 03`.
// They show the happy path, on a fake clock that only moves when a test calls
// advanceClock (vitest's fake timers, in tests/support/clock.ts). The hidden tests that grade your work also check the
// exact instant a timeout ends, stale and expired receipt handles, ordering,
// changeVisibility and the allowed range of timeouts.
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { VisibilityQueue } from "@exercise/03-visibility-timeout/visibility-queue";
import { advanceClock, useFakeClock, useRealClock } from "../support/clock";

describe("VisibilityQueue", () => {
  beforeEach(() => {
    useFakeClock();
  });

  afterEach(() => {
    useRealClock();
  });

  test("a received message is hidden until it is acked", () => {
    const queue = new VisibilityQueue<string>();
    const id = queue.send("resize photo 7");
    const delivery = queue.receive();
    expect(delivery).toMatchObject({ id, body: "resize photo 7", receiveCount: 1 });
    expect(queue.receive()).toBeNull();
    expect(queue.ack(delivery!.receiptHandle)).toBe(true);
    advanceClock(60_000);
    expect(queue.receive()).toBeNull();
  });

  test("a message nobody acks comes back when its visibility timeout ends", () => {
    const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
    const id = queue.send("charge card");
    const first = queue.receive();
    advanceClock(999);
    expect(queue.receive()).toBeNull();
    advanceClock(1);
    const second = queue.receive();
    expect(second).toMatchObject({ id, body: "charge card", receiveCount: 2 });
    expect(second!.receiptHandle).not.toBe(first!.receiptHandle);
  });

  test("only the latest receipt handle can ack", () => {
    const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
    queue.send("send invoice");
    const first = queue.receive();
    advanceClock(1_000);
    const second = queue.receive();
    expect(queue.ack(first!.receiptHandle)).toBe(false);
    expect(queue.ack(second!.receiptHandle)).toBe(true);
  });

  test("changeVisibility extends the lease of a slow job", () => {
    const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
    queue.send("encode video");
    const delivery = queue.receive();
    advanceClock(800);
    expect(queue.changeVisibility(delivery!.receiptHandle, 1_000)).toBe(true);
    advanceClock(500);
    expect(queue.receive()).toBeNull();
    expect(queue.ack(delivery!.receiptHandle)).toBe(true);
  });

  test("stats count visible and in-flight messages", () => {
    const queue = new VisibilityQueue<number>();
    queue.send(1);
    queue.send(2);
    queue.receive();
    expect(queue.stats()).toEqual({ visible: 1, inFlight: 1 });
  });
});

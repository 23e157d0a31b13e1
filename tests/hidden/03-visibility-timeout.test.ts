import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { expectThrows } from "../support/errors";
import * as exercise from "@exercise/03-visibility-timeout/visibility-queue";
import { VisibilityQueue, type Delivery } from "@exercise/03-visibility-timeout/visibility-queue";
import { advanceClock, useFakeClock, useRealClock } from "../support/clock";
import { megabytes } from "../support/memory";
import { seededRandom } from "../support/random";
import { runWorkload } from "../support/workload";

// Every test runs on a fake clock that starts at a fixed instant and moves only
// with advanceClock (vitest's fake timers), which moves Date.now() and fires due timers
// together: a queue that schedules setTimeout and one that compares Date.now()
// see the same world. The lesson fixes the instant a timeout ends: a message
// received at t with a whole-millisecond timeout T is in flight while
// now < t + T, and visible again (its handle expired) at exactly t + T. A
// fractional T may end a fraction early (a timer) or late (a Date.now()
// comparison), so the tests look only at t + floor(T) - 1 and t + ceil(T).
// Each test's tags name the rules of the stub it checks.

const TWELVE_HOURS_MS = 43_200_000;

/** Receives and checks that a delivery came back, so later lines can use it safely. */
function receiveOne<T>(queue: VisibilityQueue<T>, why: string): Delivery<T> {
  const delivery = queue.receive();
  expect(delivery !== null && typeof delivery === "object", why).toBe(true);
  return delivery as Delivery<T>;
}

/**
 * The two counts the contract names, read field by field: stats() may return
 * more fields (or getters), and the tests look only at these two.
 */
function counts<T>(queue: VisibilityQueue<T>): { visible: number; inFlight: number } {
  const stats = queue.stats();
  return { visible: stats.visible, inFlight: stats.inFlight };
}

describe("VisibilityQueue", () => {
  beforeEach(() => {
    useFakeClock(Date.UTC(2030, 0, 1, 9, 0, 0));
  });

  afterEach(() => {
    useRealClock();
  });

  describe("send and receive", () => {
    test("receive returns null on a new queue", { tags: ["earliest"] }, () => {
      const queue = new VisibilityQueue<string>();
      expect(queue.receive(), "receive on an empty queue should return null, not undefined or a throw").toBeNull();
    });

    test("receive returns messages in the order they were sent", { tags: ["earliest"] }, () => {
      const queue = new VisibilityQueue<string>();
      for (const body of ["a", "b", "c", "d"]) queue.send(body);
      const bodies = [1, 2, 3, 4].map(() => queue.receive()?.body);
      expect(bodies, "receive should return the visible message that was sent earliest").toEqual(["a", "b", "c", "d"]);
    });

    test("send returns a different id for every message", { tags: ["ids"] }, () => {
      const queue = new VisibilityQueue<string>();
      const ids = Array.from({ length: 200 }, () => queue.send("same body"));
      expect(ids.every((id) => typeof id === "string"), "send should return the message id as a string").toBe(true);
      expect(new Set(ids).size, "every message sent to a queue should get its own id, even with equal bodies").toBe(ids.length);
    });

    test("a delivery carries the id that send returned and the body that was sent", { tags: ["ids",  "earliest"] }, () => {
      const queue = new VisibilityQueue<{ order: number }>();
      const firstId = queue.send({ order: 1 });
      const secondId = queue.send({ order: 2 });
      const first = receiveOne(queue, "receive should return the first message");
      const second = receiveOne(queue, "receive should return the second message");
      expect(first.id, "delivery.id should be the id send returned for that message").toBe(firstId);
      expect(first.body, "delivery.body should be the body that was sent").toEqual({ order: 1 });
      expect(second.id, "delivery.id should be the id send returned for that message").toBe(secondId);
      expect(second.body, "delivery.body should be the body that was sent").toEqual({ order: 2 });
    });

    test("falsy bodies (0, empty string, false, null) are delivered unchanged", { tags: ["falsy"] }, () => {
      const queue = new VisibilityQueue<unknown>();
      for (const body of [0, "", false, null, "last"]) queue.send(body);
      const bodies: unknown[] = [];
      for (let i = 0; i < 5; i++) bodies.push(receiveOne(queue, "every falsy body is a message and should be received").body);
      expect(bodies, "0, \"\", false and null are message bodies like any other").toEqual([0, "", false, null, "last"]);
      expect(queue.receive(), "receive should return null once every message is in flight").toBeNull();
    });

    test("a received message is not returned again while its timeout runs", { tags: ["earliest"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 10_000 });
      queue.send("a");
      queue.send("b");
      const first = receiveOne(queue, "receive should return the first message");
      const second = receiveOne(queue, "receive should return the next visible message while the first is in flight");
      expect(second.id, "a message in flight should be skipped by the next receive").not.toBe(first.id);
      advanceClock(5_000);
      expect(queue.receive(), "receive should return null while every message is in flight").toBeNull();
    });

    test("two queues never share messages", { tags: ["separate"] }, () => {
      const first = new VisibilityQueue<string>();
      const second = new VisibilityQueue<string>();
      first.send("first-only");
      expect(second.receive(), "a message sent to one queue should not be received from another").toBeNull();
      expect(counts(second), "a message sent to one queue should not be counted by another").toEqual({ visible: 0, inFlight: 0 });
      expect(first.receive()?.body, "the message should still be in the queue it was sent to").toBe("first-only");
    });

    test("two queues used together, interleaved, keep their own messages, handles, counts and timeouts", { tags: ["separate"] }, () => {
      const fast = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      const slow = new VisibilityQueue<string>({ visibilityTimeoutMs: 5_000 });
      fast.send("fast-1");
      slow.send("slow-1");
      fast.send("fast-2");
      slow.send("slow-2");
      const fast1 = receiveOne(fast, "receive should return a message sent to this queue");
      const slow1 = receiveOne(slow, "receive should return a message sent to this queue");
      expect([fast1.body, slow1.body], "each queue should deliver the earliest message sent to it, not one sent to the other queue").toEqual(["fast-1", "slow-1"]);
      expect([counts(fast), counts(slow)], "each queue should count only its own messages").toEqual([
        { visible: 1, inFlight: 1 },
        { visible: 1, inFlight: 1 },
      ]);
      // Handles need only be unique within a queue, so this is asked only when the other queue never gave out the same string.
      if (fast1.receiptHandle !== slow1.receiptHandle) {
        expect(slow.ack(fast1.receiptHandle), "a receipt handle from another queue should be unknown here").toBe(false);
      }
      expect(fast.ack(fast1.receiptHandle), "a queue's own live handle should ack, whatever the other queue did").toBe(true);
      expect(counts(slow), "an ack on one queue should not change the other's counts").toEqual({ visible: 1, inFlight: 1 });
      const fast2 = receiveOne(fast, "the second message of this queue should be visible");
      expect(fast2.body, "each queue should deliver its own messages").toBe("fast-2");
      advanceClock(1_500);
      expect(fast.receive()?.body, "a queue built with a 1 s timeout should use it, whatever timeout another queue was built with").toBe("fast-2");
      expect(slow.receive()?.body, "the other queue's next visible message should be its own").toBe("slow-2");
      expect(slow.receive(), "a queue built with a 5 s timeout should use it, whatever timeout another queue was built with").toBeNull();
      advanceClock(4_000);
      expect(slow.receive()?.body, "a message should come back when its own queue's timeout ends").toBe("slow-1");
      expect(fast.receive()?.body, "the message nobody acked should come back in its own queue").toBe("fast-2");
    });
  });

  describe("objects passed in", () => {
    test("send changes no object body, through receive, redelivery and ack", { tags: ["inputs-unchanged"] }, () => {
      const queue = new VisibilityQueue<{ order: number; lines: string[] }>({ visibilityTimeoutMs: 1_000 });
      const fresh = () => ({ order: 7, lines: ["book", "lamp"] });
      const body = fresh();
      queue.send(body);
      expect(body, "send should not change the body it is given (no id or other field stamped on it)").toStrictEqual(fresh());
      receiveOne(queue, "receive should return the message");
      advanceClock(1_500);
      const again = receiveOne(queue, "the message should be delivered again after its timeout");
      expect(again.body, "a redelivered body should be the body that was sent, as it was").toEqual(fresh());
      expect(queue.ack(again.receiptHandle), "ack with the latest handle should return true").toBe(true);
      expect(body, "receive, redelivery and ack should not change the body either").toStrictEqual(fresh());
    });

    test("a frozen body is sent, received and acked like any other", { tags: ["inputs-unchanged"] }, () => {
      const queue = new VisibilityQueue<Readonly<{ order: number }>>();
      const body = Object.freeze({ order: 8 });
      expect(() => queue.send(body), "send should accept a frozen body: it has no reason to write to it").not.toThrow();
      const delivery = receiveOne(queue, "receive should return the frozen body's message");
      expect(delivery.body, "the frozen body should come back as it was sent").toEqual({ order: 8 });
      expect(queue.ack(delivery.receiptHandle), "ack should work for a frozen body's message").toBe(true);
    });

    test("the constructor does not change the options object it is given", { tags: ["inputs-unchanged", "default-timeout"] }, () => {
      const empty: { visibilityTimeoutMs?: number } = {};
      const defaulted = new VisibilityQueue<string>(empty);
      expect(empty, "the constructor should not write the default timeout (or anything else) into the options object").toStrictEqual({});
      const given = { visibilityTimeoutMs: 1_000 };
      new VisibilityQueue<string>(given);
      expect(given, "the constructor should leave the options object as it was").toStrictEqual({ visibilityTimeoutMs: 1_000 });
      expect(() => new VisibilityQueue<string>(Object.freeze({})), "the constructor should accept a frozen options object: it has no reason to write to it").not.toThrow();
      defaulted.send("job");
      receiveOne(defaulted, "receive should return the message");
      advanceClock(29_999);
      expect(defaulted.receive(), "with an empty options object the timeout should still be the 30_000 ms default").toBeNull();
    });
  });

  describe("visibility timeout", () => {
    test("the default visibility timeout is 30 seconds", { tags: ["default-timeout"] }, () => {
      const queues = [new VisibilityQueue<string>(), new VisibilityQueue<string>({})];
      for (const queue of queues) {
        queue.send("job");
        queue.receive();
      }
      advanceClock(29_999);
      expect(queues.map((queue) => queue.receive()), "with no visibilityTimeoutMs, a received message should stay hidden for 30_000 ms").toEqual([null, null]);
      advanceClock(2);
      expect(
        queues.map((queue) => queue.receive()?.body),
        "with no visibilityTimeoutMs, a message should be visible again once 30_000 ms have passed",
      ).toEqual(["job", "job"]);
    });

    test("a message becomes visible again exactly when its timeout ends", { tags: ["instant"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 5_000 });
      queue.send("job");
      receiveOne(queue, "receive should return the message");
      advanceClock(4_999);
      expect(queue.receive(), "a message received at t with timeout T should still be hidden just before t + T").toBeNull();
      advanceClock(1);
      expect(queue.receive()?.body, "a message received at t with timeout T should be visible again at exactly t + T").toBe("job");
    });

    test("a redelivered message keeps its id and body and gets a new receipt handle", { tags: ["ids",  "handles"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      const id = queue.send("job");
      const first = receiveOne(queue, "receive should return the message");
      const firstHandle = first.receiptHandle;
      advanceClock(1_500);
      const second = receiveOne(queue, "a message nobody acked should be delivered again after its timeout ends");
      expect(second.id, "a redelivered message should keep the id send returned").toBe(id);
      expect(second.body, "a redelivered message should keep its body").toBe("job");
      expect(typeof second.receiptHandle, "a receipt handle should be a string").toBe("string");
      expect(second.receiptHandle, "every receive should hand out a new receipt handle").not.toBe(firstHandle);
    });

    test("receiveCount is 1 on the first receive and goes up by one on every receive", { tags: ["receive-count"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      const counts: number[] = [];
      for (let i = 0; i < 5; i++) {
        counts.push(receiveOne(queue, "the unacked message should be delivered again after each timeout").receiveCount);
        advanceClock(1_500);
      }
      expect(counts, "receiveCount should count the receives of that message, starting at 1").toEqual([1, 2, 3, 4, 5]);
    });

    test("receiveCount is counted per message", { tags: ["receive-count"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("a");
      receiveOne(queue, "receive should return the first message");
      advanceClock(1_500);
      receiveOne(queue, "the first message should be delivered again");
      queue.send("b");
      advanceClock(1_500);
      const deliveries = [receiveOne(queue, "both messages should be visible"), receiveOne(queue, "both messages should be visible")];
      const again = deliveries.find((delivery) => delivery.body === "a");
      const other = deliveries.find((delivery) => delivery.body === "b");
      expect(again?.receiveCount, "receiveCount should count the receives of this message only").toBe(3);
      expect(other?.receiveCount, "a message received for the first time should have receiveCount 1, whatever happened to other messages").toBe(1);
    });

    test("every receive gets a receipt handle never used before", { tags: ["handles"] }, () => {
      const queue = new VisibilityQueue<number>({ visibilityTimeoutMs: 1_000 });
      for (let i = 0; i < 20; i++) queue.send(i);
      const handles: string[] = [];
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < 20; i++) handles.push(receiveOne(queue, "every unacked message should be delivered again after its timeout").receiptHandle);
        advanceClock(1_500);
      }
      expect(new Set(handles).size, "receipt handles should be unique across messages and across redeliveries").toBe(100);
    });

    test("a delivery keeps its own receipt handle and receive count after the message is received again", { tags: ["deliveries-fixed"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      const first = receiveOne(queue, "receive should return the message");
      const firstHandle = first.receiptHandle;
      advanceClock(1_500);
      receiveOne(queue, "the message should be delivered again");
      expect(first.receiptHandle, "receiving a message again should not change an earlier delivery's receipt handle").toBe(firstHandle);
      expect(first.receiveCount, "receiving a message again should not change an earlier delivery's receiveCount").toBe(1);
    });

    test("an expired message comes back before messages sent after it", { tags: ["original-place"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("a");
      receiveOne(queue, "receive should return the first message");
      queue.send("b");
      queue.send("c");
      advanceClock(1_500);
      const bodies = [queue.receive()?.body, queue.receive()?.body, queue.receive()?.body];
      expect(bodies, "a message whose timeout ended should return to its original place, ahead of later sends").toEqual(["a", "b", "c"]);
    });

    test("receive always picks the earliest-sent visible message as timeouts end", { tags: ["original-place",  "ties",  "change-visibility"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      for (const body of ["m1", "m2", "m3", "m4"]) queue.send(body);
      const first = receiveOne(queue, "receive should return m1");
      advanceClock(100);
      receiveOne(queue, "receive should return m2");
      advanceClock(100);
      expect(queue.changeVisibility(first.receiptHandle, 2_000), "changeVisibility with a live handle should succeed").toBe(true);
      advanceClock(1_000); // m2's timeout has ended; m1 is still in flight
      const order = [queue.receive()?.body, queue.receive()?.body, queue.receive()?.body, queue.receive()];
      expect(order, "receive should return the visible message sent earliest, skipping ones still in flight").toEqual(["m2", "m3", "m4", null]);
      advanceClock(1_100);
      expect(queue.receive()?.body, "a message should come back when its extended timeout ends").toBe("m1");
    });

    test("two messages that become visible at the same instant come back in the order they were sent", { tags: ["ties"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      for (const body of ["a", "b", "c"]) queue.send(body);
      const a = receiveOne(queue, "receive should return a");
      const b = receiveOne(queue, "receive should return b");
      advanceClock(200);
      // b's new timeout is set first, a's second: both end at the same instant.
      expect(queue.changeVisibility(b.receiptHandle, 500), "changeVisibility with a live handle should succeed").toBe(true);
      expect(queue.changeVisibility(a.receiptHandle, 500), "changeVisibility with a live handle should succeed").toBe(true);
      advanceClock(600);
      const order = [queue.receive()?.body, queue.receive()?.body, queue.receive()?.body];
      expect(order, "messages visible at the same instant should be received in the order they were sent").toEqual(["a", "b", "c"]);
    });

    test("a visibility timeout of 0 leaves received messages visible", { tags: ["zero",  "default-timeout"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 0 });
      queue.send("job");
      const first = receiveOne(queue, "receive should return the message");
      advanceClock(1);
      const second = receiveOne(queue, "with visibilityTimeoutMs 0 a received message should be visible again straight away (0 is not the default)");
      expect(second.id, "the same message should be received again").toBe(first.id);
      expect(second.receiveCount, "receiveCount should count the second receive").toBe(2);
    });

    test("a visibility timeout of 12 hours (43_200_000 ms) is accepted and used", { tags: ["timeout-range"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: TWELVE_HOURS_MS });
      queue.send("job");
      receiveOne(queue, "receive should return the message");
      advanceClock(TWELVE_HOURS_MS - 1);
      expect(queue.receive(), "with a 12-hour timeout the message should stay hidden until 12 hours have passed").toBeNull();
      advanceClock(1_000);
      expect(queue.receive()?.body, "with a 12-hour timeout the message should be visible again once 12 hours have passed").toBe("job");
    });

    test("a fractional visibility timeout is accepted", { tags: ["fractional",  "timeout-range"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_500.5 });
      queue.send("job");
      receiveOne(queue, "receive should return the message");
      advanceClock(1_499);
      expect(queue.receive(), "a message should stay hidden for a fractional timeout such as 1500.5 ms").toBeNull();
      advanceClock(2);
      expect(queue.receive()?.body, "a message should be visible again once a fractional timeout has passed").toBe("job");
    });

    test("a handle works until a fractional timeout ends and not after it", { tags: ["fractional", "live-handle"] }, () => {
      // T = 999.9: hidden at t + 998 (floor(T) - 1), visible at t + 1000 (ceil(T)); t + 999 may go either way and is not looked at.
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 999.9 });
      queue.send("a");
      queue.send("b");
      receiveOne(queue, "receive should return a");
      const b = receiveOne(queue, "receive should return b");
      advanceClock(998);
      expect(counts(queue), "with a fractional timeout T, both messages should still be in flight at t + floor(T) - 1").toEqual({ visible: 0, inFlight: 2 });
      expect(queue.ack(b.receiptHandle), "a handle should still ack at t + floor(T) - 1 with a fractional timeout T").toBe(true);
      advanceClock(2);
      expect(counts(queue), "with a fractional timeout T, the message should count as visible at t + ceil(T)").toEqual({ visible: 1, inFlight: 0 });
      expect(queue.receive()?.body, "with a fractional timeout T, the message should be visible again at t + ceil(T)").toBe("a");
    });

    test("a handle stops working once a fractional timeout has ended", { tags: ["fractional", "live-handle"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 2_000.5 });
      const id = queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      advanceClock(2_001);
      expect(queue.ack(delivery.receiptHandle), "ack at t + ceil(T) should return false: a fractional timeout T has ended by then").toBe(false);
      expect(queue.changeVisibility(delivery.receiptHandle, 5_000), "changeVisibility at t + ceil(T) should return false: the timeout has ended").toBe(false);
      expect(queue.receive()?.id, "a message whose fractional timeout ended should be received again").toBe(id);
    });

    test("timeouts below one millisecond are accepted and over within a millisecond", { tags: ["fractional", "timeout-range"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 0.5 });
      queue.send("job");
      const first = receiveOne(queue, "receive should return the message");
      advanceClock(1);
      const second = receiveOne(queue, "with a 0.5 ms timeout the message should be visible again 1 ms after the receive");
      expect(second.id, "the same message should come back").toBe(first.id);
      expect(queue.changeVisibility(second.receiptHandle, 0.001), "changeVisibility should accept a timeout of 0.001 ms").toBe(true);
      advanceClock(1);
      expect(queue.receive()?.receiveCount, "after changeVisibility(h, 0.001) the message should be visible again 1 ms later").toBe(3);
    });

    test("a visibility timeout of -0 is 0: received messages stay visible", { tags: ["zero", "timeout-range"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: -0 });
      queue.send("job");
      const first = receiveOne(queue, "new VisibilityQueue({ visibilityTimeoutMs: -0 }) should work, and receive should return the message");
      advanceClock(1);
      expect(counts(queue), "with visibilityTimeoutMs -0 (which is 0) a received message should count as visible again").toEqual({ visible: 1, inFlight: 0 });
      const second = receiveOne(queue, "with visibilityTimeoutMs -0 (which is 0) a received message should be visible again straight away");
      expect(second.id, "the same message should be received again").toBe(first.id);
      expect(queue.ack(first.receiptHandle), "with a timeout of -0 the first receive's handle should have expired").toBe(false);
    });
  });

  describe("ack", () => {
    test("ack with the latest receipt handle returns true and deletes the message", { tags: ["ack"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("a");
      queue.send("b");
      const a = receiveOne(queue, "receive should return the first message");
      expect(queue.ack(a.receiptHandle), "ack with the handle of a live receive should return true").toBe(true);
      advanceClock(10_000);
      expect(queue.receive()?.body, "an acked message should never be delivered again").toBe("b");
      advanceClock(10_000);
      expect(queue.receive()?.body, "an acked message should never be delivered again, even long after its timeout").toBe("b");
    });

    test("ack of the same handle twice returns false the second time", { tags: ["live-handle"] }, () => {
      const queue = new VisibilityQueue<string>();
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      expect(queue.ack(delivery.receiptHandle), "the first ack should return true").toBe(true);
      expect(queue.ack(delivery.receiptHandle), "acking a message that is already deleted should return false").toBe(false);
    });

    test("ack of an unknown handle returns false and changes nothing", { tags: ["live-handle"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("a");
      queue.send("b");
      const a = receiveOne(queue, "receive should return the first message");
      expect(queue.ack("no-such-handle"), "ack with a handle the queue never gave out should return false").toBe(false);
      expect(queue.ack(""), "ack with an empty string should return false").toBe(false);
      expect(counts(queue), "a failed ack should not delete or move any message").toEqual({ visible: 1, inFlight: 1 });
      expect(queue.ack(a.receiptHandle), "the real handle should still work after failed acks").toBe(true);
    });

    test("ack just before the timeout ends succeeds", { tags: ["live-handle",  "instant"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      advanceClock(999);
      expect(queue.ack(delivery.receiptHandle), "ack 1 ms before the timeout ends should return true").toBe(true);
      advanceClock(5_000);
      expect(queue.receive(), "a message acked in time should not come back").toBeNull();
    });

    test("ack exactly when the timeout ends returns false and the message stays in the queue", { tags: ["live-handle",  "instant"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      const id = queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      advanceClock(1_000);
      expect(queue.ack(delivery.receiptHandle), "ack at exactly t + T (the instant the timeout ends) should return false").toBe(false);
      expect(queue.receive()?.id, "a failed ack should not delete the message: it is visible again").toBe(id);
    });

    test("ack with an expired handle returns false and the message is delivered again", { tags: ["live-handle"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      const id = queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      advanceClock(1_500);
      expect(queue.ack(delivery.receiptHandle), "ack after the timeout ended should return false, even if nobody received the message since").toBe(false);
      expect(counts(queue), "an expired ack should leave the message visible").toEqual({ visible: 1, inFlight: 0 });
      const again = receiveOne(queue, "a message whose ack came too late should be delivered again");
      expect(again.id, "the redelivered message should be the one whose ack came too late").toBe(id);
    });

    test("ack with a stale handle from an earlier receive returns false and leaves the new receive in flight", { tags: ["live-handle"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      const first = receiveOne(queue, "receive should return the message");
      advanceClock(1_500);
      const second = receiveOne(queue, "the message should be delivered again");
      advanceClock(100);
      expect(queue.ack(first.receiptHandle), "ack with the handle of an earlier receive should return false").toBe(false);
      expect(counts(queue), "a stale ack should not delete the message or end the new receive").toEqual({ visible: 0, inFlight: 1 });
      expect(queue.ack(second.receiptHandle), "the latest handle should still ack after a stale ack was refused").toBe(true);
    });
  });

  describe("changeVisibility", () => {
    test("changeVisibility extends the timeout, counting from now", { tags: ["change-visibility"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      advanceClock(600);
      expect(queue.changeVisibility(delivery.receiptHandle, 1_000), "changeVisibility with a live handle should return true").toBe(true);
      advanceClock(999);
      expect(queue.receive(), "after changeVisibility(h, 1000) at time x, the message should stay hidden until x + 1000").toBeNull();
      advanceClock(51);
      expect(queue.receive()?.body, "after changeVisibility(h, 1000) at time x, the message should be visible again once x + 1000 has passed").toBe("job");
    });

    test("a handle still acks after its timeout was extended past the original end", { tags: ["change-visibility",  "live-handle"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      advanceClock(900);
      expect(queue.changeVisibility(delivery.receiptHandle, 5_000), "changeVisibility with a live handle should return true").toBe(true);
      advanceClock(3_000);
      expect(queue.ack(delivery.receiptHandle), "an extended receive should still be able to ack after its original timeout").toBe(true);
      advanceClock(10_000);
      expect(queue.receive(), "a message acked after an extension should not come back").toBeNull();
    });

    test("changeVisibility can shorten the timeout, counting from now", { tags: ["change-visibility"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 10_000 });
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      advanceClock(2_000);
      expect(queue.changeVisibility(delivery.receiptHandle, 500), "changeVisibility with a live handle should return true").toBe(true);
      advanceClock(499);
      expect(queue.receive(), "after changeVisibility(h, 500) at time x, the message should stay hidden until x + 500").toBeNull();
      advanceClock(51);
      const again = receiveOne(queue, "after changeVisibility(h, 500) at time x, the message should be visible again once x + 500 has passed, before its original timeout");
      expect(again.receiveCount, "the message should be received a second time").toBe(2);
      advanceClock(7_600);
      expect(queue.receive(), "the original timeout should not make the message visible again during its new receive").toBeNull();
    });

    test("heartbeats with changeVisibility keep a long job's message hidden", { tags: ["change-visibility"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 30_000 });
      queue.send("encode video");
      const delivery = receiveOne(queue, "receive should return the message");
      const beats: boolean[] = [];
      for (let i = 0; i < 10; i++) {
        advanceClock(20_000);
        beats.push(queue.changeVisibility(delivery.receiptHandle, 30_000));
        if (queue.receive() !== null) {
          expect.fail(`a message whose timeout is extended every 20 s should stay hidden (it came back after ${(i + 1) * 20} s)`);
        }
      }
      expect(beats.every((beat) => beat), "every heartbeat before the timeout ends should return true").toBe(true);
      expect(queue.ack(delivery.receiptHandle), "the job should still ack after many heartbeats").toBe(true);
    });

    test("changeVisibility(handle, 0) makes the message visible at once", { tags: ["zero"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 10_000 });
      queue.send("a");
      queue.send("b");
      const a = receiveOne(queue, "receive should return the first message");
      advanceClock(100);
      expect(queue.changeVisibility(a.receiptHandle, 0), "changeVisibility(h, 0) with a live handle should return true").toBe(true);
      expect(counts(queue), "after changeVisibility(h, 0) the message should count as visible straight away").toEqual({ visible: 2, inFlight: 0 });
      const again = receiveOne(queue, "after changeVisibility(h, 0) the next receive, without waiting, should get the message");
      expect(again.id, "the released message is still the earliest sent, so it should come back first").toBe(a.id);
      expect(again.receiveCount, "the released message should be received a second time").toBe(2);
    });

    test("after changeVisibility(handle, 0) that handle no longer works", { tags: ["zero",  "live-handle"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 10_000 });
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      expect(queue.changeVisibility(delivery.receiptHandle, 0), "changeVisibility(h, 0) with a live handle should return true").toBe(true);
      expect(queue.ack(delivery.receiptHandle), "a handle whose timeout was set to 0 has expired, so ack should return false").toBe(false);
      expect(queue.changeVisibility(delivery.receiptHandle, 5_000), "a handle whose timeout was set to 0 has expired, so changeVisibility should return false").toBe(false);
      expect(counts(queue), "the released message should stay visible").toEqual({ visible: 1, inFlight: 0 });
    });

    test("changeVisibility with an unknown handle returns false", { tags: ["live-handle"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      receiveOne(queue, "receive should return the message");
      expect(queue.changeVisibility("no-such-handle", 5_000), "changeVisibility with a handle the queue never gave out should return false").toBe(false);
      advanceClock(1_500);
      expect(queue.receive()?.body, "a failed changeVisibility should not change any message's timeout").toBe("job");
    });

    test("changeVisibility with a stale handle returns false and does not change the latest receive", { tags: ["live-handle"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      const first = receiveOne(queue, "receive should return the message");
      advanceClock(1_500);
      const second = receiveOne(queue, "the message should be delivered again");
      expect(queue.changeVisibility(first.receiptHandle, 0), "changeVisibility with the handle of an earlier receive should return false").toBe(false);
      expect(queue.receive(), "a stale changeVisibility(h, 0) should not release the message").toBeNull();
      expect(queue.changeVisibility(first.receiptHandle, 10_000), "changeVisibility with the handle of an earlier receive should return false").toBe(false);
      advanceClock(1_500);
      const third = receiveOne(queue, "a stale changeVisibility should not extend the latest receive's timeout");
      expect(third.receiveCount, "the message should be received a third time").toBe(3);
      expect(queue.ack(second.receiptHandle), "the second receive's handle expired when its timeout ended").toBe(false);
    });

    test("changeVisibility exactly when the timeout ends returns false and the message stays visible", { tags: ["live-handle",  "instant"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      advanceClock(1_000);
      expect(queue.changeVisibility(delivery.receiptHandle, 5_000), "changeVisibility at exactly t + T (the instant the timeout ends) should return false").toBe(false);
      expect(queue.receive()?.body, "a changeVisibility that came too late should not hide the message again").toBe("job");
    });

    test("changeVisibility with an acked handle returns false and does not bring the message back", { tags: ["live-handle"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      expect(queue.ack(delivery.receiptHandle), "ack with a live handle should return true").toBe(true);
      expect(queue.changeVisibility(delivery.receiptHandle, 0), "changeVisibility after ack should return false").toBe(false);
      expect(queue.receive(), "changeVisibility after ack should not bring the deleted message back").toBeNull();
      expect(counts(queue), "a deleted message should stay deleted").toEqual({ visible: 0, inFlight: 0 });
    });

    test("changeVisibility accepts a fractional timeout", { tags: ["fractional",  "timeout-range"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 10_000 });
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      expect(queue.changeVisibility(delivery.receiptHandle, 2_000.25), "changeVisibility should accept a fractional timeout such as 2000.25 ms").toBe(true);
      advanceClock(1_999);
      expect(queue.receive(), "the message should stay hidden for a fractional timeout").toBeNull();
      advanceClock(2);
      expect(queue.receive()?.body, "the message should be visible again once a fractional timeout has passed").toBe("job");
    });

    test("changeVisibility(handle, -0) makes the message visible at once, like 0", { tags: ["zero"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 10_000 });
      queue.send("a");
      queue.send("b");
      const a = receiveOne(queue, "receive should return the first message");
      expect(queue.changeVisibility(a.receiptHandle, -0), "changeVisibility(h, -0) with a live handle should return true: -0 is 0").toBe(true);
      expect(counts(queue), "after changeVisibility(h, -0) the message should count as visible straight away").toEqual({ visible: 2, inFlight: 0 });
      expect(queue.ack(a.receiptHandle), "after changeVisibility(h, -0) the handle should have expired").toBe(false);
      const again = receiveOne(queue, "after changeVisibility(h, -0) the next receive, without waiting, should get the message");
      expect(again.id, "the released message is still the earliest sent, so it should come back first").toBe(a.id);
    });

    test("changeVisibility accepts the 12-hour maximum", { tags: ["timeout-range"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      expect(queue.changeVisibility(delivery.receiptHandle, TWELVE_HOURS_MS), "changeVisibility should accept 43_200_000 ms (12 hours)").toBe(true);
      advanceClock(TWELVE_HOURS_MS - 1);
      expect(queue.receive(), "the message should stay hidden for the full 12 hours").toBeNull();
      advanceClock(1_000);
      expect(queue.receive()?.body, "the message should be visible again once the 12 hours have passed").toBe("job");
    });
  });

  describe("timeouts outside 0 to 43_200_000 ms", () => {
    test("the constructor rejects a negative timeout with a RangeError", { tags: ["timeout-range",  "error-messages"] }, () => {
      expectThrows(() => new VisibilityQueue({ visibilityTimeoutMs: -1 }), RangeError, "new VisibilityQueue({ visibilityTimeoutMs: -1 }) should throw a RangeError");
      expectThrows(() => new VisibilityQueue({ visibilityTimeoutMs: -0.5 }), RangeError, "a negative fractional timeout should throw a RangeError");
    });

    test("the constructor rejects NaN with a RangeError", { tags: ["timeout-range",  "error-messages"] }, () => {
      expectThrows(() => new VisibilityQueue({ visibilityTimeoutMs: Number.NaN }), RangeError, "new VisibilityQueue({ visibilityTimeoutMs: NaN }) should throw a RangeError");
    });

    test("the constructor rejects a timeout above 12 hours with a RangeError", { tags: ["timeout-range",  "error-messages"] }, () => {
      expectThrows(() => new VisibilityQueue({ visibilityTimeoutMs: TWELVE_HOURS_MS + 1 }), RangeError, "a timeout above 43_200_000 ms should throw a RangeError");
      expectThrows(() => new VisibilityQueue({ visibilityTimeoutMs: TWELVE_HOURS_MS + 0.5 }), RangeError, "a timeout just above 43_200_000 ms should throw a RangeError");
      expectThrows(() => new VisibilityQueue({ visibilityTimeoutMs: Number.POSITIVE_INFINITY }), RangeError, "an infinite timeout should throw a RangeError");
    });

    test("changeVisibility rejects a negative timeout with a RangeError", { tags: ["timeout-range",  "error-messages"] }, () => {
      const queue = new VisibilityQueue<string>();
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      expectThrows(() => queue.changeVisibility(delivery.receiptHandle, -1), RangeError, "changeVisibility(h, -1) should throw a RangeError");
    });

    test("changeVisibility rejects NaN with a RangeError", { tags: ["timeout-range",  "error-messages"] }, () => {
      const queue = new VisibilityQueue<string>();
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      expectThrows(() => queue.changeVisibility(delivery.receiptHandle, Number.NaN), RangeError, "changeVisibility(h, NaN) should throw a RangeError");
    });

    test("changeVisibility rejects a timeout above 12 hours with a RangeError", { tags: ["timeout-range",  "error-messages"] }, () => {
      const queue = new VisibilityQueue<string>();
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      expectThrows(() => queue.changeVisibility(delivery.receiptHandle, TWELVE_HOURS_MS + 1), RangeError, "changeVisibility above 43_200_000 ms should throw a RangeError");
      expectThrows(() => queue.changeVisibility(delivery.receiptHandle, Number.POSITIVE_INFINITY), RangeError, "changeVisibility(h, Infinity) should throw a RangeError");
    });

    test("a rejected changeVisibility leaves the message's timeout as it was", { tags: ["timeout-range"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      const attempts = [-1, Number.NaN, TWELVE_HOURS_MS + 1];
      for (const timeoutMs of attempts) {
        try {
          queue.changeVisibility(delivery.receiptHandle, timeoutMs);
        } catch {
          // Expected: the range tests check the error type.
        }
      }
      advanceClock(999);
      expect(queue.receive(), "an invalid changeVisibility should not release the message early").toBeNull();
      expect(queue.ack(delivery.receiptHandle), "after an invalid changeVisibility the handle should still ack before the original timeout").toBe(true);
    });

    test("changeVisibility checks the timeout before the handle", { tags: ["check-order",  "error-messages"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("job");
      const delivery = receiveOne(queue, "receive should return the message");
      advanceClock(1_500);
      expectThrows(() => queue.changeVisibility("no-such-handle", -1), RangeError, "an invalid timeout should throw a RangeError even with an unknown handle");
      expectThrows(() => queue.changeVisibility(delivery.receiptHandle, Number.NaN), RangeError, "an invalid timeout should throw a RangeError even with an expired handle");
    });
  });

  describe("stats", () => {
    test("stats count visible and in-flight messages", { tags: ["stats"] }, () => {
      const queue = new VisibilityQueue<number>({ visibilityTimeoutMs: 1_000 });
      expect(counts(queue), "a new queue should have no visible and no in-flight messages").toEqual({ visible: 0, inFlight: 0 });
      for (let i = 0; i < 5; i++) queue.send(i);
      expect(counts(queue), "sent messages should count as visible").toEqual({ visible: 5, inFlight: 0 });
      queue.receive();
      queue.receive();
      expect(counts(queue), "received messages should move from visible to in flight").toEqual({ visible: 3, inFlight: 2 });
      queue.receive();
      queue.receive();
      queue.receive();
      queue.receive();
      expect(counts(queue), "a receive that returns null should not change the counts").toEqual({ visible: 0, inFlight: 5 });
    });

    test("stats move a message back to visible exactly when its timeout ends", { tags: ["stats",  "instant"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("a");
      queue.send("b");
      queue.receive();
      advanceClock(500);
      queue.receive();
      advanceClock(499);
      expect(counts(queue), "both messages should be in flight just before the first timeout ends").toEqual({ visible: 0, inFlight: 2 });
      advanceClock(1);
      expect(counts(queue), "a message should count as visible at exactly the instant its timeout ends").toEqual({ visible: 1, inFlight: 1 });
      advanceClock(500);
      expect(counts(queue), "every expired message should count as visible").toEqual({ visible: 2, inFlight: 0 });
    });

    test("acked messages count neither as visible nor in flight", { tags: ["stats",  "ack"] }, () => {
      const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 1_000 });
      queue.send("a");
      queue.send("b");
      queue.send("c");
      const a = receiveOne(queue, "receive should return a");
      receiveOne(queue, "receive should return b");
      queue.ack(a.receiptHandle);
      expect(counts(queue), "an acked message should no longer be counted").toEqual({ visible: 1, inFlight: 1 });
      advanceClock(5_000);
      expect(counts(queue), "an acked message should not come back when its old timeout ends").toEqual({ visible: 2, inFlight: 0 });
    });
  });

  describe("memory", () => {
    test("a queue that holds a few messages keeps no memory for the messages sent, received and acked through it", { tags: ["memory"], timeout: 60_000 }, async () => {
      const count = 100_000;
      const result = await runWorkload("visibility-queue-steady", exercise, { count, backlog: 3, budgetMs: 6_000, seed: 303 });
      expect(result.firstWrong, "each message should be received (the earliest visible) and acked with its handle").toBe(-1);
      expect({ visible: result.visible, inFlight: result.inFlight }, "the three messages sent first should still be waiting").toEqual({ visible: 3, inFlight: 0 });
      expect(
        result.retainedBytes,
        `after ${count.toLocaleString("en-US")} messages were sent, received and acked through a queue that never held more than 4, it holds ${megabytes(result.retainedBytes)} more memory than before: ` +
          "something keeps every acked message, handle or timer",
      ).toBeLessThan(2_000_000);
    });

    test("a queue keeps no memory for messages whose leases ran out before they were received again and acked", { tags: ["memory"], timeout: 60_000 }, async () => {
      const count = 40_000;
      const result = await runWorkload("visibility-queue-redeliver", exercise, { count, batch: 16, timeoutMs: 1_000, budgetMs: 6_000, seed: 304 });
      expect(result.firstWrong, "each message should come back after its timeout and after changeVisibility(h, 0), and ack with its latest handle").toBe(-1);
      expect({ visible: result.visible, inFlight: result.inFlight }, "every message should be acked in the end").toEqual({ visible: 0, inFlight: 0 });
      expect(
        result.retainedBytes,
        `after ${count.toLocaleString("en-US")} messages were received, expired or released, received again and acked, 16 at a time, the empty queue holds ${megabytes(result.retainedBytes)} more memory than before: ` +
          "something keeps old receipt handles or acked messages",
      ).toBeLessThan(2_000_000);
    });
  });

  describe("random workloads", () => {
    test("a long random mix of operations matches a simple model", { tags: ["earliest",  "ids",  "handles",  "receive-count",  "original-place",  "ack",  "live-handle",  "change-visibility",  "stats"] }, () => {
      const random = seededRandom(303);
      const timeoutMs = 1_000;
      const queue = new VisibilityQueue<number>({ visibilityTimeoutMs: timeoutMs });
      interface ModelMessage {
        id: string;
        body: number;
        receiveCount: number;
        handle: string | null;
        visibleAt: number;
        acked: boolean;
      }
      const model: ModelMessage[] = [];
      const ids = new Set<string>();
      const handles: string[] = [];
      let now = 0;
      const pick = <V>(values: readonly V[]): V => values[Math.floor(random() * values.length)] as V;
      const pickHandle = (): string => {
        if (handles.length === 0 || random() < 0.05) return "no-such-handle";
        if (random() < 0.8) return handles[Math.max(0, handles.length - 1 - Math.floor(random() * 4))] as string;
        return pick(handles);
      };
      const live = (handle: string) => model.find((m) => !m.acked && m.handle === handle && m.visibleAt > now);

      for (let step = 0; step < 3_000; step++) {
        const roll = random();
        if (roll < 0.22) {
          const id = queue.send(step);
          if (ids.has(id)) expect.fail(`after ${step} random operations, send returned an id it had already used`);
          ids.add(id);
          model.push({ id, body: step, receiveCount: 0, handle: null, visibleAt: -Infinity, acked: false });
        } else if (roll < 0.5) {
          const expected = model.find((m) => !m.acked && m.visibleAt <= now) ?? null;
          const actual = queue.receive();
          if (expected === null) {
            if (actual !== null) expect(actual, `after ${step} random operations, receive should have returned null (nothing visible)`).toBeNull();
            continue;
          }
          const same = actual !== null && actual.id === expected.id && actual.body === expected.body && actual.receiveCount === expected.receiveCount + 1;
          if (!same) expect.fail(`after ${step} random operations, receive returned the wrong message or receiveCount`);
          const handle = (actual as Delivery<number>).receiptHandle;
          if (handles.includes(handle)) expect.fail(`after ${step} random operations, receive reused a receipt handle`);
          handles.push(handle);
          expected.receiveCount += 1;
          expected.handle = handle;
          expected.visibleAt = now + timeoutMs;
        } else if (roll < 0.65) {
          const handle = pickHandle();
          const target = live(handle);
          const result = queue.ack(handle);
          if (result !== Boolean(target)) {
            expect.fail(`after ${step} random operations, ack should return true only for the latest receive's handle before its timeout ends`);
          }
          if (target) target.acked = true;
        } else if (roll < 0.77) {
          const handle = pickHandle();
          const ms = pick([0, 1, 400, 1_000, 2_500]);
          const target = live(handle);
          const result = queue.changeVisibility(handle, ms);
          if (result !== Boolean(target)) {
            expect.fail(`after ${step} random operations, changeVisibility should return true only for the latest receive's handle before its timeout ends`);
          }
          if (target) target.visibleAt = now + ms;
        } else {
          const ms = pick([0, 1, 100, 399, 400, 1_000]);
          advanceClock(ms);
          now += ms;
        }
        if (step % 25 === 0) {
          const inFlight = model.filter((m) => !m.acked && m.visibleAt > now).length;
          const visible = model.filter((m) => !m.acked).length - inFlight;
          const stats = queue.stats();
          if (stats.visible !== visible || stats.inFlight !== inFlight) {
            expect.fail(`after ${step} random operations, stats should count the visible and in-flight messages`);
          }
        }
      }
    });
  });
});

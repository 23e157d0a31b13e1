// Public tests for module 04. Run them with `npm run exercise 04`.
// Each test names, in its tags, the rules it checks (the ids in brackets in the
// lesson and in your stub's doc comment). The hidden tests that grade your work
// check the same rules with more cases, full sizes and a long random run.
import { describe, expect, test } from "vitest";
import * as exercise from "@exercise/04-dead-letter-queue/message-queue";
import { MessageQueue } from "@exercise/04-dead-letter-queue/message-queue";
import { expectThrows } from "../support/errors";
import { megabytes } from "../support/memory";
import { runWorkload } from "../support/workload";

describe("MessageQueue", () => {
  test("a consumed message is in flight until it is acked", { tags: ["publish", "consume", "ack", "size"] }, () => {
    const queue = new MessageQueue<string>();
    const published = queue.publish("send welcome email");
    queue.publish("resize avatar");
    expect(published).toMatchObject({ body: "send welcome email", attempts: 0 });
    expect(typeof published.id).toBe("string");
    expect(queue.size()).toBe(2);

    const delivery = queue.consume();
    expect(delivery).toMatchObject({ id: published.id, body: "send welcome email", attempts: 1 });
    expect(queue.size()).toBe(1);
    expect(queue.consume()?.body).toBe("resize avatar");
    expect(queue.size()).toBe(0);
    expect(queue.consume()).toBeNull();

    expect(queue.ack(published.id)).toBe(true);
    expect(queue.ack(published.id)).toBe(false);
  });

  test("a nacked message goes to the back of the queue and comes back with one more attempt", { tags: ["requeue", "same-id"] }, () => {
    const queue = new MessageQueue<string>();
    const first = queue.publish("resize avatar");
    queue.publish("send invoice");

    queue.consume();
    expect(queue.nack(first.id)).toBe("requeued");
    expect(queue.consume()?.body).toBe("send invoice");
    expect(queue.consume()).toMatchObject({ id: first.id, body: "resize avatar", attempts: 2 });
  });

  test("after maxAttempts failed deliveries a message is dead-lettered", { tags: ["dead-letter"] }, () => {
    const queue = new MessageQueue<string>({ maxAttempts: 2 });
    const message = queue.publish("charge card");

    queue.consume();
    expect(queue.nack(message.id)).toBe("requeued");
    queue.consume();
    expect(queue.nack(message.id, "card declined")).toBe("dead-lettered");

    expect(queue.consume()).toBeNull();
    expect(queue.deadLetters()).toMatchObject([{ id: message.id, body: "charge card", attempts: 2, reason: "card declined" }]);
  });

  test("redrive puts dead letters back in the queue with attempts reset", { tags: ["redrive"] }, () => {
    const queue = new MessageQueue<string>({ maxAttempts: 1 });
    const message = queue.publish("sync contacts");
    queue.consume();
    queue.nack(message.id);
    queue.publish("send digest");

    expect(queue.redrive()).toBe(1);
    expect(queue.deadLetters()).toEqual([]);
    expect(queue.redrive()).toBe(0);
    expect(queue.size()).toBe(2);
    expect(queue.consume()?.body).toBe("send digest");
    expect(queue.consume()).toMatchObject({ id: message.id, body: "sync contacts", attempts: 1 });
  });

  test("maxAttempts defaults to 3", { tags: ["max-attempts"] }, () => {
    const queue = new MessageQueue<string>();
    const message = queue.publish("job");
    const outcomes: Array<string | null> = [];
    for (let delivery = 0; delivery < 3; delivery++) {
      queue.consume();
      outcomes.push(queue.nack(message.id));
    }
    expect(outcomes).toEqual(["requeued", "requeued", "dead-lettered"]);
  });

  test("maxAttempts must be a whole number of at least 1", { tags: ["bad-max-attempts", "error-messages"] }, () => {
    expectThrows(() => new MessageQueue({ maxAttempts: 0 }), RangeError, "maxAttempts 0");
    expectThrows(() => new MessageQueue({ maxAttempts: -2 }), RangeError, "maxAttempts -2");
    expectThrows(() => new MessageQueue({ maxAttempts: 1.5 }), RangeError, "maxAttempts 1.5");
    expectThrows(() => new MessageQueue({ maxAttempts: Number.NaN }), RangeError, "maxAttempts NaN");
    expectThrows(() => new MessageQueue({ maxAttempts: Number.POSITIVE_INFINITY }), RangeError, "maxAttempts Infinity");
  });

  test("every message gets an id of its own, even after others have gone", { tags: ["unique-ids"] }, () => {
    const queue = new MessageQueue<number>({ maxAttempts: 1 });
    const ids = [queue.publish(1).id, queue.publish(2).id, queue.publish(3).id];
    queue.ack(queue.consume()!.id);
    queue.nack(queue.consume()!.id);
    ids.push(queue.publish(4).id, queue.publish(5).id, queue.publish(6).id);
    expect(new Set(ids).size).toBe(6);
  });

  test("ack of a message that is not in flight returns false", { tags: ["ack"] }, () => {
    const queue = new MessageQueue<string>({ maxAttempts: 1 });
    const waiting = queue.publish("waiting");
    expect(queue.ack("no-such-id")).toBe(false);
    expect(queue.ack(waiting.id)).toBe(false);
    expect(queue.size()).toBe(1);

    queue.nack(queue.consume()!.id);
    expect(queue.ack(waiting.id)).toBe(false);
    expect(queue.deadLetters()).toHaveLength(1);
  });

  test("nack of a message that is not in flight returns null", { tags: ["not-in-flight"] }, () => {
    const queue = new MessageQueue<string>();
    const message = queue.publish("job");
    expect(queue.nack("no-such-id")).toBeNull();
    expect(queue.nack(message.id)).toBeNull();

    queue.consume();
    expect(queue.nack(message.id)).toBe("requeued");
    expect(queue.nack(message.id)).toBeNull();
    expect(queue.size()).toBe(1);
    expect(queue.consume()?.attempts).toBe(2);
  });

  test("a dead letter keeps the reason of the nack that dead-lettered it, or \"nack\" when none is given", { tags: ["reason"] }, () => {
    const queue = new MessageQueue<string>({ maxAttempts: 1 });
    const none = queue.publish("no reason");
    const undefinedReason = queue.publish("undefined reason");
    const empty = queue.publish("empty reason");
    queue.consume();
    queue.consume();
    queue.consume();
    queue.nack(none.id);
    queue.nack(undefinedReason.id, undefined);
    queue.nack(empty.id, "");
    expect(queue.deadLetters().map((letter) => letter.reason)).toEqual(["nack", "nack", ""]);
  });

  test("dead letters are listed in the order they were dead-lettered", { tags: ["dead-order"] }, () => {
    const queue = new MessageQueue<string>({ maxAttempts: 1 });
    const a = queue.publish("a");
    const b = queue.publish("b");
    queue.consume();
    queue.consume();
    queue.nack(b.id);
    queue.nack(a.id);
    expect(queue.deadLetters().map((letter) => letter.id)).toEqual([b.id, a.id]);
  });

  test("falsy bodies come back unchanged", { tags: ["falsy"] }, () => {
    const queue = new MessageQueue<unknown>();
    const bodies = [0, "", false, null, undefined];
    for (const body of bodies) queue.publish(body);
    expect(queue.size()).toBe(5);
    expect(bodies.map(() => queue.consume()?.body)).toEqual(bodies);
    expect(queue.consume()).toBeNull();
  });

  test("bodies are passed through as they are, not copied", { tags: ["same-object"] }, () => {
    const queue = new MessageQueue<{ orderId: number }>({ maxAttempts: 1 });
    const body = { orderId: 17 };
    expect(queue.publish(body).body).toBe(body);
    const delivery = queue.consume()!;
    expect(delivery.body).toBe(body);
    queue.nack(delivery.id);
    expect(queue.deadLetters()[0]?.body).toBe(body);
  });

  test("changing what the queue returned does not change the queue", { tags: ["copies"] }, () => {
    const queue = new MessageQueue<string>({ maxAttempts: 2 });
    const published = queue.publish("job");
    // Reflect.set rather than `=`, so a queue that returns frozen copies passes too.
    Reflect.set(published, "attempts", 99);
    Reflect.set(published, "body", "changed");
    const first = queue.consume()!;
    expect(first).toMatchObject({ id: published.id, body: "job", attempts: 1 });
    Reflect.set(first, "attempts", 99);
    const held = first.attempts;
    queue.nack(published.id);
    expect(queue.consume()?.attempts).toBe(2);
    expect(first.attempts).toBe(held);
    queue.nack(published.id, "broken");

    const letters = queue.deadLetters();
    Reflect.set(letters[0]!, "reason", "changed");
    Reflect.set(letters, 1, { id: "fake", body: "fake", attempts: 0, reason: "fake" });
    expect(queue.deadLetters()).toMatchObject([{ id: published.id, body: "job", attempts: 2, reason: "broken" }]);
    expect(queue.deadLetters()).toHaveLength(1);
  });

  test("the queue does not change the body or the options it is given", { tags: ["inputs-unchanged"] }, () => {
    const options = {};
    const queue = new MessageQueue<{ orderId: number }>(options);
    expect(options).toStrictEqual({});

    const body = { orderId: 17 };
    queue.publish(body);
    queue.nack(queue.consume()!.id);
    queue.ack(queue.consume()!.id);
    expect(body).toStrictEqual({ orderId: 17 });
  });

  test("two queues used together keep their messages apart", { tags: ["separate"] }, () => {
    const strict = new MessageQueue<string>({ maxAttempts: 1 });
    const lenient = new MessageQueue<string>({ maxAttempts: 3 });
    const onStrict = strict.publish("strict-only");
    expect(lenient.size()).toBe(0);
    strict.consume();
    expect(lenient.ack(onStrict.id)).toBe(false);
    expect(lenient.nack(onStrict.id)).toBeNull();
    expect(strict.nack(onStrict.id)).toBe("dead-lettered");

    const onLenient = lenient.publish("lenient-only");
    lenient.consume();
    expect(lenient.nack(onLenient.id)).toBe("requeued");
    expect(lenient.deadLetters()).toEqual([]);
    expect(strict.deadLetters().map((letter) => letter.body)).toEqual(["strict-only"]);
  });

  test("consume stays fast with many messages waiting", { tags: ["speed"], timeout: 30_000 }, async () => {
    const count = 150_000;
    const result = await runWorkload("message-queue-drain", exercise, { count, budgetMs: 1_500, seed: 4 });
    expect(result.sizeAfterPublishes).toBe(count);
    expect(result.firstOutOfOrder).toBe(-1);
    expect(result.emptyAfterwards).toBe(true);
  });

  test("memory follows what the queue holds, whatever path the messages take", { tags: ["memory"], timeout: 30_000 }, async () => {
    const bound = 500_000;
    const acked = await runWorkload("message-queue-steady", exercise, { count: 30_000, backlog: 3, budgetMs: 2_000, seed: 4 });
    expect(acked.retainedBytes, `30,000 messages published, consumed and acked left ${megabytes(acked.retainedBytes)} behind`).toBeLessThan(bound);

    const requeued = await runWorkload("message-queue-retry-steady", exercise, { count: 30_000, backlog: 3, budgetMs: 2_000, seed: 4 });
    expect(requeued.firstWrong).toBe(-1);
    expect(requeued.retainedBytes, `30,000 messages nacked once, then acked, left ${megabytes(requeued.retainedBytes)} behind`).toBeLessThan(bound);

    const redriven = await runWorkload("message-queue-redrive-steady", exercise, { count: 10_000, redrives: 2, inFlight: 3, budgetMs: 2_000, seed: 4 });
    expect(redriven.firstWrong).toBe(-1);
    expect(redriven.retainedBytes, `10,000 messages dead-lettered and redriven twice, then acked, left ${megabytes(redriven.retainedBytes)} behind`).toBeLessThan(bound);
  });
});

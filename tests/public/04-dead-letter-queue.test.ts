// Public tests for module 04. Run them with `npm run exercise 04`.
// They show the happy path; the hidden tests that grade your work also check
// bad maxAttempts values, ids that are not in flight, the order of dead letters
// and redriven messages, copies that callers cannot use to corrupt the queue,
// falsy bodies and separate queues.
import { describe, expect, test } from "vitest";
import { MessageQueue } from "@exercise/04-dead-letter-queue/message-queue";

describe("MessageQueue", () => {
  test("a consumed message is in flight until it is acked", () => {
    const queue = new MessageQueue<string>();
    const published = queue.publish("send welcome email");
    expect(published.attempts).toBe(0);

    const delivery = queue.consume();
    expect(delivery).toMatchObject({ id: published.id, body: "send welcome email", attempts: 1 });
    expect(queue.size()).toBe(0);
    expect(queue.consume()).toBeNull();

    expect(queue.ack(published.id)).toBe(true);
    expect(queue.ack(published.id)).toBe(false);
  });

  test("a nacked message goes to the back of the queue and comes back with one more attempt", () => {
    const queue = new MessageQueue<string>();
    const first = queue.publish("resize avatar");
    queue.publish("send invoice");

    queue.consume();
    expect(queue.nack(first.id)).toBe("requeued");
    expect(queue.consume()?.body).toBe("send invoice");
    expect(queue.consume()).toMatchObject({ id: first.id, body: "resize avatar", attempts: 2 });
  });

  test("after maxAttempts failed deliveries a message is dead-lettered", () => {
    const queue = new MessageQueue<string>({ maxAttempts: 2 });
    const message = queue.publish("charge card");

    queue.consume();
    expect(queue.nack(message.id)).toBe("requeued");
    queue.consume();
    expect(queue.nack(message.id, "card declined")).toBe("dead-lettered");

    expect(queue.consume()).toBeNull();
    expect(queue.deadLetters()).toMatchObject([{ id: message.id, body: "charge card", attempts: 2, reason: "card declined" }]);
  });

  test("redrive puts dead letters back in the queue with attempts reset", () => {
    const queue = new MessageQueue<string>({ maxAttempts: 1 });
    const message = queue.publish("sync contacts");
    queue.consume();
    queue.nack(message.id);

    expect(queue.redrive()).toBe(1);
    expect(queue.deadLetters()).toEqual([]);
    expect(queue.size()).toBe(1);
    expect(queue.consume()).toMatchObject({ id: message.id, body: "sync contacts", attempts: 1 });
  });

  test("maxAttempts must be a whole number of at least 1", () => {
    expect(() => new MessageQueue({ maxAttempts: 0 })).toThrow(RangeError);
  });
});

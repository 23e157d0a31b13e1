import { describe, expect, test } from "vitest";
import { expectThrows, thrownBy } from "../support/errors";
import * as exercise from "@exercise/04-dead-letter-queue/message-queue";
import { MessageQueue } from "@exercise/04-dead-letter-queue/message-queue";
import { megabytes } from "../support/memory";
import { seededRandom } from "../support/random";
import { runSteps, type Step } from "../support/steps";
import { runWorkload } from "../support/workload";

// The fields the contract defines, so an implementation that adds its own
// properties to what it returns still passes. `undefined` and `null` pass
// through, so a missing delivery shows up as a mismatch, not a TypeError.
function envelopeFields(envelope: { id: string; body: unknown; attempts: number } | null | undefined) {
  if (envelope === null || envelope === undefined) return envelope;
  return { id: envelope.id, body: envelope.body, attempts: envelope.attempts };
}

function deadLetterFields(letters: Array<{ id: string; body: unknown; attempts: number; reason: string }>) {
  return letters.map((letter) => ({ id: letter.id, body: letter.body, attempts: letter.attempts, reason: letter.reason }));
}

// Delivers the oldest waiting message and nacks it: one failed attempt.
function failNext<T>(queue: MessageQueue<T>, reason?: string): "requeued" | "dead-lettered" | null | "nothing to consume" {
  const delivery = queue.consume();
  if (delivery === null) return "nothing to consume";
  return reason === undefined ? queue.nack(delivery.id) : queue.nack(delivery.id, reason);
}

describe("MessageQueue", () => {
  describe("maxAttempts", () => {
    test("maxAttempts defaults to 3", { tags: ["max-attempts"] }, () => {
      const withoutOptions = new MessageQueue<string>();
      withoutOptions.publish("job");
      const results = [failNext(withoutOptions), failNext(withoutOptions), failNext(withoutOptions)];
      expect(results, "with no options a message should be requeued twice and dead-lettered on its third failed delivery").toEqual([
        "requeued",
        "requeued",
        "dead-lettered",
      ]);

      const withEmptyOptions = new MessageQueue<string>({});
      withEmptyOptions.publish("job");
      const emptyResults = [failNext(withEmptyOptions), failNext(withEmptyOptions), failNext(withEmptyOptions)];
      expect(emptyResults, "with {} as options maxAttempts should also default to 3").toEqual(["requeued", "requeued", "dead-lettered"]);
    });

    test("maxAttempts 1 dead-letters a message on its first nack", { tags: ["max-attempts", "dead-letter"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 1 });
      queue.publish("job");
      expect(failNext(queue), "with maxAttempts 1 the first failed delivery should dead-letter the message").toBe("dead-lettered");
    });

    test("a larger maxAttempts gives a message that many deliveries", { tags: ["max-attempts"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 5 });
      const message = queue.publish("job");
      const attempts: number[] = [];
      const results: Array<string | null> = [];
      for (let i = 0; i < 5; i++) {
        const delivery = queue.consume();
        attempts.push(delivery?.attempts ?? -1);
        results.push(delivery === null ? "nothing to consume" : queue.nack(message.id));
      }
      expect(attempts, "each delivery should count one more attempt, up to maxAttempts").toEqual([1, 2, 3, 4, 5]);
      expect(results, "with maxAttempts 5 a message should be requeued four times and dead-lettered on the fifth failure").toEqual([
        "requeued",
        "requeued",
        "requeued",
        "requeued",
        "dead-lettered",
      ]);
    });

    test("maxAttempts of 0 or a negative number throws a RangeError", { tags: ["bad-max-attempts", "error-messages"] }, () => {
      expectThrows(() => new MessageQueue({ maxAttempts: 0 }), RangeError, "maxAttempts 0 should throw a RangeError");
      expectThrows(() => new MessageQueue({ maxAttempts: -1 }), RangeError, "a negative maxAttempts should throw a RangeError");
      expectThrows(() => new MessageQueue({ maxAttempts: -5 }), RangeError, "a negative maxAttempts should throw a RangeError");
    });

    test("a fractional or NaN maxAttempts throws a RangeError", { tags: ["bad-max-attempts", "error-messages"] }, () => {
      expectThrows(() => new MessageQueue({ maxAttempts: 1.5 }), RangeError, "a fractional maxAttempts should throw a RangeError");
      expectThrows(() => new MessageQueue({ maxAttempts: 0.5 }), RangeError, "a fractional maxAttempts below 1 should throw a RangeError");
      expectThrows(() => new MessageQueue({ maxAttempts: Number.NaN }), RangeError, "a NaN maxAttempts should throw a RangeError");
    });

    test("an infinite maxAttempts throws a RangeError", { tags: ["bad-max-attempts", "error-messages"] }, () => {
      expectThrows(() => new MessageQueue({ maxAttempts: Number.POSITIVE_INFINITY }), RangeError, "Infinity is not a whole number, so it should throw a RangeError");
      expectThrows(() => new MessageQueue({ maxAttempts: Number.NEGATIVE_INFINITY }), RangeError, "-Infinity should throw a RangeError");
    });
  });

  describe("publish", () => {
    test("publish returns the body, attempts 0 and a string id", { tags: ["publish", "same-object"] }, () => {
      const queue = new MessageQueue<{ to: string }>();
      const body = { to: "ada@example.com" };
      const envelope = queue.publish(body);
      expect(typeof envelope.id, "publish should return an envelope whose id is a string").toBe("string");
      expect(envelope.body, "publish should return the very body it was given (bodies are not copied)").toBe(body);
      expect(envelope.attempts, "a message that has not been delivered yet should have attempts 0").toBe(0);
    });

    test("every published message gets a different id", { tags: ["unique-ids"] }, () => {
      const queue = new MessageQueue<number>({ maxAttempts: 1 });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(queue.publish(i).id);
      // Take messages out in every way, then publish more: ids must not be reused.
      const acked = queue.consume();
      if (acked) queue.ack(acked.id);
      const dead = queue.consume();
      if (dead) queue.nack(dead.id);
      queue.consume();
      for (let i = 3; i < 500; i++) ids.push(queue.publish(i).id);
      expect(new Set(ids).size, "no two messages published on one queue should share an id, even after others were consumed").toBe(ids.length);
    });
  });

  describe("consume", () => {
    test("a new queue is empty: size 0, consume null, no dead letters", { tags: ["consume", "size"] }, () => {
      const queue = new MessageQueue<string>();
      expect(queue.size(), "a queue nobody has used should have nothing waiting").toBe(0);
      expect(queue.consume(), "consume on an empty queue should return null, not undefined or a throw").toBeNull();
      expect(queue.deadLetters(), "a queue nobody has used should have no dead letters").toEqual([]);
    });

    test("consume delivers waiting messages oldest first", { tags: ["consume"] }, () => {
      const queue = new MessageQueue<string>();
      const published = ["a", "b", "c", "d"].map((body) => queue.publish(body));
      const delivered = [queue.consume(), queue.consume(), queue.consume(), queue.consume()].map((envelope) => envelope?.id);
      expect(delivered, "consume should deliver the message published earliest first").toEqual(published.map((envelope) => envelope.id));
    });

    test("consume counts the delivery and returns the id publish gave", { tags: ["consume", "same-id"] }, () => {
      const queue = new MessageQueue<string>();
      const published = queue.publish("resize avatar");
      expect(envelopeFields(queue.consume()), "the first delivery should carry the published id and body with attempts 1").toEqual({
        id: published.id,
        body: "resize avatar",
        attempts: 1,
      });
    });

    test("consume returns null when every message is in flight", { tags: ["consume", "size"] }, () => {
      const queue = new MessageQueue<string>();
      queue.publish("a");
      queue.publish("b");
      const first = queue.consume();
      queue.consume();
      expect(queue.consume(), "messages in flight should not be delivered again until they are nacked").toBeNull();
      expect(queue.size(), "messages in flight should not count as waiting").toBe(0);
      if (first) queue.ack(first.id);
      expect(queue.consume(), "acking one in-flight message should not make the other deliverable").toBeNull();
    });

    test("falsy bodies come back unchanged", { tags: ["falsy"] }, () => {
      const queue = new MessageQueue<unknown>();
      const bodies = [0, "", false, null, undefined, "last"];
      for (const body of bodies) queue.publish(body);
      expect(queue.size(), "size should count messages with falsy bodies").toBe(bodies.length);
      const out: unknown[] = [];
      for (let i = 0; i < bodies.length; i++) {
        const delivery = queue.consume();
        out.push(delivery === null ? "no delivery" : delivery.body);
      }
      expect(out, "0, \"\", false, null and undefined are bodies like any other and must be delivered unchanged").toEqual(bodies);
    });

    test("falsy bodies survive dead-lettering and redrive", { tags: ["falsy"] }, () => {
      const queue = new MessageQueue<unknown>({ maxAttempts: 1 });
      const bodies = [0, "", false, null, undefined];
      for (const body of bodies) queue.publish(body);
      for (let i = 0; i < bodies.length; i++) failNext(queue);
      const letters = queue.deadLetters();
      expect(letters.length, "every message with a falsy body should be dead-lettered").toBe(bodies.length);
      expect(
        letters.map((letter) => letter.body),
        "dead letters should keep falsy bodies unchanged",
      ).toEqual(bodies);
      queue.redrive();
      const out: unknown[] = [];
      for (let i = 0; i < bodies.length; i++) {
        const delivery = queue.consume();
        out.push(delivery === null ? "no delivery" : delivery.body);
      }
      expect(out, "redriven messages should keep falsy bodies unchanged").toEqual(bodies);
    });
  });

  describe("ack", () => {
    test("ack of an in-flight message returns true and removes it for good", { tags: ["ack"] }, () => {
      const queue = new MessageQueue<string>();
      const message = queue.publish("job");
      queue.consume();
      expect(queue.ack(message.id), "ack of an in-flight message should return true").toBe(true);
      expect(queue.size(), "an acked message should not be waiting").toBe(0);
      expect(queue.consume(), "an acked message should never be delivered again").toBeNull();
      expect(queue.deadLetters(), "an acked message should not be a dead letter").toEqual([]);
      expect(queue.ack(message.id), "a second ack of the same message should return false").toBe(false);
    });

    test("ack of an id that was never published returns false", { tags: ["ack"] }, () => {
      const queue = new MessageQueue<string>();
      queue.publish("job");
      queue.consume();
      expect(queue.ack("no-such-id"), "ack of an unknown id should return false").toBe(false);
      expect(queue.ack(""), "ack of an empty id should return false").toBe(false);
    });

    test("ack of a waiting message returns false and leaves it waiting", { tags: ["ack"] }, () => {
      const queue = new MessageQueue<string>();
      const first = queue.publish("first");
      const second = queue.publish("second");
      expect(queue.ack(first.id), "ack of a message that was never consumed should return false").toBe(false);
      expect(queue.size(), "a failed ack should leave the message waiting").toBe(2);
      expect(envelopeFields(queue.consume()), "a failed ack should not remove or change the message it named").toEqual({
        id: first.id,
        body: "first",
        attempts: 1,
      });

      // A nacked message is waiting again, so it cannot be acked until it is delivered again.
      queue.nack(first.id);
      expect(queue.ack(first.id), "ack of a message that was nacked and is waiting again should return false").toBe(false);
      expect(queue.size(), "a failed ack should leave the requeued message waiting").toBe(2);
      const deliveries = [queue.consume(), queue.consume()].map(envelopeFields);
      expect(
        deliveries.find((delivery) => delivery?.id === first.id),
        "the requeued message should still be delivered after a failed ack, with its attempts counted",
      ).toEqual({ id: first.id, body: "first", attempts: 2 });
      expect(queue.ack(first.id), "ack should succeed once the requeued message is in flight again").toBe(true);
      expect(queue.ack(second.id), "ack should succeed for the other in-flight message").toBe(true);
    });

    test("ack of a dead-lettered message returns false and leaves it dead", { tags: ["ack"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 1 });
      const message = queue.publish("job");
      failNext(queue);
      expect(queue.ack(message.id), "ack of a dead-lettered message should return false").toBe(false);
      expect(
        queue.deadLetters().map((letter) => letter.id),
        "a failed ack should leave the message in the dead letters",
      ).toEqual([message.id]);
    });
  });

  describe("nack", () => {
    test("nack below the limit requeues the message at the back of the queue", { tags: ["requeue"] }, () => {
      const queue = new MessageQueue<string>();
      const a = queue.publish("a");
      const b = queue.publish("b");
      const c = queue.publish("c");
      queue.consume();
      expect(queue.nack(a.id), "nack of an in-flight message below maxAttempts should requeue it").toBe("requeued");
      expect(queue.size(), "a requeued message should count as waiting again").toBe(3);
      const order = [queue.consume(), queue.consume(), queue.consume()].map((envelope) => envelope?.id);
      expect(order, "a requeued message should go behind the messages already waiting, not in front of them").toEqual([b.id, c.id, a.id]);
    });

    test("requeued messages line up in the order they were nacked", { tags: ["requeue"] }, () => {
      const queue = new MessageQueue<string>();
      const a = queue.publish("a");
      const b = queue.publish("b");
      const c = queue.publish("c");
      queue.consume();
      queue.consume();
      queue.nack(b.id);
      queue.nack(a.id);
      const d = queue.publish("d");
      const order = [queue.consume(), queue.consume(), queue.consume(), queue.consume()].map((envelope) => envelope?.id);
      expect(order, "each nacked message should join the back of the queue at the moment it is nacked").toEqual([c.id, b.id, a.id, d.id]);
    });

    test("a requeued message keeps its id and body and counts its attempts", { tags: ["requeue", "same-id"] }, () => {
      const queue = new MessageQueue<{ n: number }>({ maxAttempts: 4 });
      const body = { n: 1 };
      const message = queue.publish(body);
      const seen: Array<ReturnType<typeof envelopeFields>> = [];
      for (let i = 0; i < 3; i++) {
        const delivery = queue.consume();
        seen.push(envelopeFields(delivery));
        if (delivery) queue.nack(delivery.id);
      }
      expect(seen, "every redelivery should carry the same id and body, with attempts counting up").toEqual([
        { id: message.id, body, attempts: 1 },
        { id: message.id, body, attempts: 2 },
        { id: message.id, body, attempts: 3 },
      ]);
    });

    test("a poison message does not block the messages behind it", { tags: ["requeue"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 10 });
      queue.publish("poison");
      for (const body of ["good-1", "good-2", "good-3"]) queue.publish(body);
      // A worker that fails every delivery of "poison" and finishes everything else.
      const handled: string[] = [];
      for (let i = 0; i < 6; i++) {
        const delivery = queue.consume();
        if (delivery === null) break;
        handled.push(delivery.body);
        if (delivery.body === "poison") queue.nack(delivery.id);
        else queue.ack(delivery.id);
      }
      expect(handled.slice(0, 4), "after the poison message fails once, the good messages behind it should be delivered next").toEqual([
        "poison",
        "good-1",
        "good-2",
        "good-3",
      ]);
    });

    test("nack at the limit dead-letters the message with the reason nack", { tags: ["dead-letter", "reason"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 2 });
      const message = queue.publish("job");
      failNext(queue);
      const delivery = queue.consume();
      expect(delivery?.attempts, "the second delivery should have attempts 2").toBe(2);
      expect(queue.nack(message.id), "nack when attempts has reached maxAttempts should dead-letter the message").toBe("dead-lettered");
      expect(deadLetterFields(queue.deadLetters()), "a nack without a reason should record the reason \"nack\"").toEqual([
        { id: message.id, body: "job", attempts: 2, reason: "nack" },
      ]);
      expect(queue.size(), "a dead-lettered message should not be waiting").toBe(0);
      expect(queue.consume(), "a dead-lettered message should not be delivered").toBeNull();
    });

    test("the reason of the nack that dead-letters a message is kept", { tags: ["reason"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 2 });
      const a = queue.publish("a");
      const b = queue.publish("b");
      failNext(queue, "timeout"); // a: requeued
      failNext(queue); // b: requeued
      failNext(queue); // a: dead, no reason given
      failNext(queue, "bad json"); // b: dead
      const reasons = queue.deadLetters().map((letter) => [letter.id, letter.reason]);
      expect(reasons, "a dead letter should carry the reason given to the nack that dead-lettered it, or \"nack\" when none was given").toEqual([
        [a.id, "nack"],
        [b.id, "bad json"],
      ]);
    });

    test("an empty reason is kept as it is", { tags: ["reason"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 1 });
      queue.publish("job");
      failNext(queue, "");
      expect(
        queue.deadLetters().map((letter) => letter.reason),
        "an empty string is a reason that was given, so it should not be replaced by the default",
      ).toEqual([""]);
    });

    test("an explicit undefined reason counts as no reason", { tags: ["reason"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 1 });
      const message = queue.publish("job");
      queue.consume();
      expect(queue.nack(message.id, undefined), "nack(id, undefined) at the limit should dead-letter the message").toBe("dead-lettered");
      expect(deadLetterFields(queue.deadLetters()), "nack(id, undefined) gives no reason, so the dead letter should carry the default reason").toEqual([
        { id: message.id, body: "job", attempts: 1, reason: "nack" },
      ]);
    });

    test("nack of an unknown or acked id returns null", { tags: ["not-in-flight"] }, () => {
      const queue = new MessageQueue<string>();
      const message = queue.publish("job");
      queue.consume();
      expect(queue.nack("no-such-id"), "nack of an unknown id should return null").toBeNull();
      queue.ack(message.id);
      expect(queue.nack(message.id), "nack of an acked message should return null").toBeNull();
      expect(queue.size(), "nack of an acked message should not bring it back").toBe(0);
      expect(queue.deadLetters(), "nack of an acked message should not dead-letter it").toEqual([]);
    });

    test("nack of a waiting message returns null and changes nothing", { tags: ["not-in-flight"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 2 });
      const a = queue.publish("a");
      const b = queue.publish("b");
      expect(queue.nack(b.id), "nack of a message that was never consumed should return null").toBeNull();

      queue.consume();
      expect(queue.nack(a.id), "nack of an in-flight message should requeue it").toBe("requeued");
      expect(queue.nack(a.id), "a second nack of the same delivery should return null: the message is waiting again").toBeNull();
      expect(queue.size(), "a message nacked twice should be waiting once").toBe(2);

      const deliveries = [queue.consume(), queue.consume()].map(envelopeFields);
      deliveries.sort((x, y) => String(x?.body).localeCompare(String(y?.body)));
      expect(deliveries, "nacks that returned null should not have requeued or counted anything").toEqual([
        { id: a.id, body: "a", attempts: 2 },
        { id: b.id, body: "b", attempts: 1 },
      ]);
      expect(queue.consume(), "each message should be waiting exactly once after nacks that returned null").toBeNull();
    });

    test("nack of a dead-lettered message returns null and leaves the dead letters as they were", { tags: ["not-in-flight"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 1 });
      const message = queue.publish("job");
      failNext(queue, "broken");
      expect(queue.nack(message.id, "again"), "nack of a dead-lettered message should return null").toBeNull();
      expect(deadLetterFields(queue.deadLetters()), "nack of a dead-lettered message should not change the dead letters").toEqual([
        { id: message.id, body: "job", attempts: 1, reason: "broken" },
      ]);
      expect(queue.size(), "nack of a dead-lettered message should not requeue it").toBe(0);
    });
  });

  describe("deadLetters", () => {
    test("deadLetters lists messages in the order they were dead-lettered", { tags: ["dead-order"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 1 });
      const a = queue.publish("a");
      const b = queue.publish("b");
      const c = queue.publish("c");
      queue.consume();
      queue.consume();
      queue.consume();
      queue.nack(c.id);
      queue.nack(a.id);
      queue.nack(b.id);
      expect(
        queue.deadLetters().map((letter) => letter.id),
        "dead letters should be listed earliest dead-lettered first, not in publish order",
      ).toEqual([c.id, a.id, b.id]);
    });

    test("a dead letter carries its id, body, attempts and reason", { tags: ["dead-letter", "same-object"] }, () => {
      const queue = new MessageQueue<{ orderId: number }>({ maxAttempts: 2 });
      const body = { orderId: 42 };
      const message = queue.publish(body);
      failNext(queue);
      failNext(queue, "card declined");
      const [letter] = queue.deadLetters();
      expect(letter?.id, "a dead letter should keep the message's id").toBe(message.id);
      expect(letter?.body, "a dead letter should keep the message's body (the same object, not a copy)").toBe(body);
      expect(letter?.attempts, "a dead letter should record how many deliveries the message had").toBe(2);
      expect(letter?.reason, "a dead letter should record the reason it was dead-lettered").toBe("card declined");
    });

    test("changing the array deadLetters returned does not change the queue", { tags: ["copies"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 1 });
      const message = queue.publish("job");
      failNext(queue);
      const letters = queue.deadLetters();
      // Reflect.set instead of assignment, so a frozen copy is fine too.
      Reflect.set(letters, "length", 0);
      Reflect.set(letters, 0, { id: "fake", body: "fake", attempts: 0, reason: "fake" });
      expect(
        queue.deadLetters().map((letter) => letter.id),
        "deadLetters should return a new array each time, so changing it does not change the dead letters",
      ).toEqual([message.id]);
      expect(queue.redrive(), "changing the returned array should not change what redrive moves").toBe(1);
    });

    test("changing a dead letter deadLetters returned does not change the queue", { tags: ["copies"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 1 });
      const message = queue.publish("job");
      failNext(queue, "broken");
      const [letter] = queue.deadLetters();
      if (letter) {
        // Reflect.set instead of assignment, so a frozen copy is fine too.
        Reflect.set(letter, "id", "fake");
        Reflect.set(letter, "body", "fake");
        Reflect.set(letter, "attempts", 99);
        Reflect.set(letter, "reason", "fake");
      }
      expect(deadLetterFields(queue.deadLetters()), "deadLetters should return copies, so changing one does not change the dead letter").toEqual([
        { id: message.id, body: "job", attempts: 1, reason: "broken" },
      ]);
      queue.redrive();
      const delivery = queue.consume();
      expect(
        { id: delivery?.id, body: delivery?.body },
        "changing a returned dead letter should not change the id or body of the message that is redriven",
      ).toEqual({ id: message.id, body: "job" });
    });
  });

  describe("redrive", () => {
    test("redrive returns how many dead letters it moved and empties the dead letters", { tags: ["redrive"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 1 });
      for (const body of ["a", "b", "c"]) queue.publish(body);
      failNext(queue);
      failNext(queue);
      const waiting = queue.publish("d");
      expect(queue.redrive(), "redrive should return how many dead letters it moved").toBe(2);
      expect(queue.deadLetters(), "after redrive there should be no dead letters").toEqual([]);
      expect(queue.size(), "redriven messages should count as waiting").toBe(4);
      expect(queue.redrive(), "a second redrive should find nothing to move").toBe(0);
      expect(queue.size(), "a redrive with nothing to move should not change what is waiting").toBe(4);
      const order = [queue.consume(), queue.consume()].map((envelope) => envelope?.body);
      expect(order, "a redrive with nothing to move should not reorder the waiting messages").toEqual(["c", waiting.body]);
    });

    test("redrive on a queue with no dead letters returns 0", { tags: ["redrive"] }, () => {
      const queue = new MessageQueue<string>();
      expect(queue.redrive(), "redrive on a new queue should return 0").toBe(0);
      const message = queue.publish("job");
      queue.consume();
      queue.nack(message.id);
      expect(queue.redrive(), "redrive should return 0 when messages were only requeued, not dead-lettered").toBe(0);
      expect(envelopeFields(queue.consume()), "redrive with no dead letters should not reset the attempts of waiting messages").toEqual({
        id: message.id,
        body: "job",
        attempts: 2,
      });
    });

    test("redriven messages start again from attempts 0", { tags: ["redrive"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 3 });
      const message = queue.publish("job");
      failNext(queue);
      failNext(queue);
      failNext(queue);
      queue.redrive();
      const results: Array<string | null> = [];
      const attempts: number[] = [];
      for (let i = 0; i < 3; i++) {
        const delivery = queue.consume();
        attempts.push(delivery?.attempts ?? -1);
        results.push(delivery === null ? "nothing to consume" : queue.nack(message.id));
      }
      expect(attempts, "after a redrive the attempts should count again from 1").toEqual([1, 2, 3]);
      expect(results, "after a redrive a message should get maxAttempts deliveries again before it is dead-lettered").toEqual([
        "requeued",
        "requeued",
        "dead-lettered",
      ]);
      expect(queue.deadLetters()[0]?.attempts, "a message dead-lettered again should record its attempts since the redrive").toBe(3);
    });

    test("redriven messages keep their ids and bodies and can be acked", { tags: ["redrive", "same-id", "same-object"] }, () => {
      const queue = new MessageQueue<{ n: number }>({ maxAttempts: 1 });
      const body = { n: 7 };
      const message = queue.publish(body);
      failNext(queue);
      queue.redrive();
      const delivery = queue.consume();
      expect(delivery?.id, "a redriven message should keep its id").toBe(message.id);
      expect(delivery?.body, "a redriven message should keep its body (the same object, not a copy)").toBe(body);
      expect(queue.ack(message.id), "a redriven message that is in flight should be ackable").toBe(true);
      expect(queue.consume(), "an acked redriven message should not come back").toBeNull();
    });

    test("redriven messages go behind the waiting messages, in dead-letter order", { tags: ["redrive"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 1 });
      const a = queue.publish("a");
      const b = queue.publish("b");
      queue.consume();
      queue.consume();
      queue.nack(b.id);
      queue.nack(a.id);
      const c = queue.publish("c");
      const d = queue.publish("d");
      queue.redrive();
      const e = queue.publish("e");
      const order = [queue.consume(), queue.consume(), queue.consume(), queue.consume(), queue.consume()].map((envelope) => envelope?.id);
      expect(order, "redrive should append the dead letters, in the order they died, behind the messages already waiting").toEqual([
        c.id,
        d.id,
        b.id,
        a.id,
        e.id,
      ]);
    });

    test("redrive leaves in-flight messages in flight", { tags: ["redrive"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 1 });
      const dead = queue.publish("dead");
      const busy = queue.publish("busy");
      failNext(queue);
      queue.consume(); // "busy" is in flight
      expect(queue.redrive(), "redrive should move only the dead letters").toBe(1);
      expect(queue.size(), "an in-flight message should not become waiting because of a redrive").toBe(1);
      expect(queue.consume()?.id, "the redriven message should be the only one waiting").toBe(dead.id);
      expect(queue.ack(busy.id), "a message in flight during a redrive should still be ackable").toBe(true);
    });
  });

  describe("size", () => {
    test("size counts only waiting messages", { tags: ["size"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 2 });
      const sizes: number[] = [];
      const a = queue.publish("a");
      const b = queue.publish("b");
      queue.publish("c");
      sizes.push(queue.size()); // 3 waiting
      queue.consume();
      queue.consume();
      sizes.push(queue.size()); // a, b in flight
      queue.nack(a.id);
      sizes.push(queue.size()); // a requeued
      queue.ack(b.id);
      sizes.push(queue.size()); // b gone; c and a still waiting
      queue.consume(); // c
      queue.consume(); // a, attempt 2
      queue.nack(a.id);
      sizes.push(queue.size()); // a dead, c in flight
      queue.redrive();
      sizes.push(queue.size()); // a waiting again
      expect(sizes, "size should count waiting messages only: not in flight, acked or dead").toEqual([3, 1, 2, 2, 0, 1]);
    });
  });

  describe("returned envelopes", () => {
    test("changing the envelope publish returned does not change the message", { tags: ["copies"] }, () => {
      const queue = new MessageQueue<string>();
      const envelope = queue.publish("job");
      const id = envelope.id;
      // Reflect.set instead of assignment, so a frozen copy is fine too.
      Reflect.set(envelope, "id", "fake");
      Reflect.set(envelope, "body", "fake");
      Reflect.set(envelope, "attempts", 99);
      expect(envelopeFields(queue.consume()), "publish should return a copy, so changing it does not change the message").toEqual({
        id,
        body: "job",
        attempts: 1,
      });
    });

    test("changing or keeping the envelope consume returned does not affect the queue", { tags: ["copies"] }, () => {
      const queue = new MessageQueue<string>({ maxAttempts: 3 });
      const message = queue.publish("job");
      const first = queue.consume();
      if (first) {
        Reflect.set(first, "attempts", 99);
        Reflect.set(first, "body", "fake");
      }
      queue.nack(message.id);
      const second = queue.consume();
      expect(envelopeFields(second), "consume should return a copy, so changing it does not change the message").toEqual({
        id: message.id,
        body: "job",
        attempts: 2,
      });
      const secondAttempts = second?.attempts;
      queue.nack(message.id);
      queue.consume();
      expect(second?.attempts, "an envelope already returned should not change when the message is delivered again").toBe(secondAttempts);
    });
  });

  describe("what the caller passes in", () => {
    test("a body object is left as it was through retries, dead-lettering and redrive", { tags: ["inputs-unchanged"] }, () => {
      const queue = new MessageQueue<{ orderId: number; lines: Array<{ sku: string; quantity: number }> }>({ maxAttempts: 2 });
      const body = { orderId: 17, lines: [{ sku: "A-1", quantity: 2 }] };
      const untouched = structuredClone(body);
      // The only message in its queue, so every step below reaches it whatever order the queue keeps.
      queue.publish(body);
      failNext(queue);
      failNext(queue, "broken");
      queue.deadLetters();
      queue.redrive();
      const last = queue.consume();
      if (last) queue.ack(last.id);
      expect(body, "the queue should write nothing onto a body object it was given (no id, no attempts, no other change)").toStrictEqual(untouched);

      const frozenQueue = new MessageQueue<{ orderId: number }>({ maxAttempts: 1 });
      const frozen = Object.freeze({ orderId: 18 });
      const run = thrownBy(() => {
        frozenQueue.publish(frozen);
        failNext(frozenQueue);
        frozenQueue.redrive();
        frozenQueue.consume();
      });
      expect(run, "a frozen body should be accepted, delivered, dead-lettered and redriven: the queue only passes it along").toBeUndefined();
    });

    test("the constructor leaves its options object as it was", { tags: ["inputs-unchanged"] }, () => {
      const empty = {};
      new MessageQueue(empty);
      expect(empty, "the constructor should not write a default maxAttempts into the options object it was given").toStrictEqual({});
      const given = { maxAttempts: 2 };
      new MessageQueue(given);
      expect(given, "the constructor should leave the options object it was given as it was").toStrictEqual({ maxAttempts: 2 });
      expect(thrownBy(() => new MessageQueue(Object.freeze({}))), "a frozen options object should be accepted: the constructor only reads it").toBeUndefined();
    });
  });

  describe("speed and memory", () => {
    test("consume takes constant time however many messages wait: 300,000 published, then consumed and acked", { tags: ["speed"], timeout: 30_000 }, async () => {
      const count = 300_000;
      const result = await runWorkload("message-queue-drain", exercise, { count, budgetMs: 3_000, seed: 41 });
      expect(result.sizeAfterPublishes, "size after 300,000 publishes").toBe(count);
      expect(result.firstOutOfOrder, "300,000 messages should be consumed in the order they were published").toBe(-1);
      expect(result.emptyAfterwards, "consume should return null once every message was consumed").toBe(true);
    });

    test("a queue that stays short does not keep memory for the messages that have passed through it", { tags: ["memory"], timeout: 30_000 }, async () => {
      const count = 500_000;
      const result = await runWorkload("message-queue-steady", exercise, { count, backlog: 3, budgetMs: 4_000, seed: 43 });
      expect(result.firstOutOfOrder, "messages should be consumed in the order they were published").toBe(-1);
      expect(result.size, "three messages should still be waiting").toBe(3);
      expect(
        result.retainedBytes,
        `after 500,000 messages were published, consumed and acked through a queue that never held more than 4, it holds ${megabytes(result.retainedBytes)} more memory than before: ` +
          "something keeps every message, id or slot it has finished with",
      ).toBeLessThan(count * 2);
    });

    test("messages nacked and requeued before they are acked leave no memory behind", { tags: ["memory"], timeout: 30_000 }, async () => {
      const count = 200_000;
      const backlog = 3;
      const result = await runWorkload("message-queue-retry-steady", exercise, { count, backlog, budgetMs: 4_000, seed: 47 });
      expect(result.firstWrong, "with maxAttempts 2, nack of a first delivery should requeue the message and ack of its second delivery should succeed").toBe(-1);
      expect(result.deadLetters, "messages nacked only once with maxAttempts 2 should never be dead-lettered").toBe(0);
      expect(result.acked + result.size, "every message should be either acked or still waiting").toBe(count + backlog);
      expect(
        result.retainedBytes,
        `after 200,000 messages were each nacked once, requeued and then acked through a queue that never held more than a few, it holds ${megabytes(result.retainedBytes)} more memory than before: ` +
          "something keeps every message, id or count of a message that was requeued",
      ).toBeLessThan(1_000_000);
    });

    test("messages dead-lettered and redriven again and again leave no memory behind once acked", { tags: ["memory"], timeout: 30_000 }, async () => {
      const count = 60_000;
      const result = await runWorkload("message-queue-redrive-steady", exercise, { count, redrives: 3, inFlight: 3, budgetMs: 4_000, seed: 53 });
      expect(result.firstWrong, "with maxAttempts 1, each message should be dead-lettered by its nack, moved back by redrive, and acked on its last delivery").toBe(-1);
      expect(result.deadLetters, "every dead letter should have been redriven").toBe(0);
      expect(
        result.retainedBytes,
        `after 60,000 messages were each dead-lettered and redriven three times, then acked, it holds ${megabytes(result.retainedBytes)} more memory than before: ` +
          "something keeps every dead letter, redrive or id it has finished with",
      ).toBeLessThan(1_000_000);
    });
  });

  describe("separate queues", () => {
    test("two queues share no messages, dead letters or maxAttempts", { tags: ["separate"] }, () => {
      const strict = new MessageQueue<string>({ maxAttempts: 1 });
      const lenient = new MessageQueue<string>({ maxAttempts: 3 });
      const onStrict = strict.publish("strict-only");
      expect(lenient.size(), "a message published on one queue should not appear in another").toBe(0);
      expect(lenient.consume(), "a message published on one queue should not be delivered by another").toBeNull();

      const onLenient = lenient.publish("lenient-only");
      strict.consume();
      lenient.consume();
      expect(strict.nack(onStrict.id), "each queue should use its own maxAttempts").toBe("dead-lettered");
      expect(lenient.nack(onLenient.id), "each queue should use its own maxAttempts").toBe("requeued");
      expect(lenient.deadLetters(), "a message dead-lettered on one queue should not appear in another's dead letters").toEqual([]);
      expect(lenient.redrive(), "redrive on one queue should not move another queue's dead letters").toBe(0);
      expect(
        strict.deadLetters().map((letter) => letter.body),
        "a queue should keep its own dead letters",
      ).toEqual(["strict-only"]);
    });

    test("two queues used together, interleaved, answer exactly as each does on its own", { tags: ["separate"] }, () => {
      // Each queue's answers when it is used alone are compared with its
      // answers when the two are used together, step by step, so only what
      // one queue does to the other can make them differ.
      const alone = { a: runSeparately("a"), b: runSeparately("b") };
      const together = runInterleaved();
      // The first step, in the order they ran together, where a queue answered otherwise than alone.
      const differences = (["a", "b"] as const).flatMap((who) => {
        const index = together[who].findIndex((answer, at) => JSON.stringify(answer) !== JSON.stringify(alone[who][at]));
        return index < 0 ? [] : [{ who, index, ranAt: stepsOf(who)[index] ?? 0 }];
      });
      const first = differences.sort((x, y) => x.ranAt - y.ranAt)[0];
      if (first) {
        const { who, index } = first;
        expect(together[who][index], `queue ${who.toUpperCase()}, used together with another queue, should answer ${stepLabel(who, index)} as it does on its own`).toEqual(
          alone[who][index],
        );
      }
    });
  });

  describe("long runs", () => {
    test("long random runs behave like a simple model of the queue", { tags: ["publish", "unique-ids", "consume", "ack", "requeue", "dead-letter", "reason", "not-in-flight", "dead-order", "redrive", "size", "same-id", "copies"] }, () => {
      for (const [seed, maxAttempts] of [
        [11, 1],
        [22, 2],
        [33, 4],
      ] as const) {
        runAgainstModel(seed, maxAttempts);
      }
    });
  });
});

interface ModelMessage {
  /** Known once the round that published it has run. */
  id: string | undefined;
  body: number;
  attempts: number;
}

/** What the model expects of one step, checked once its round has run. */
type Expectation =
  | { kind: "publish"; message: ModelMessage }
  | { kind: "consume"; message: ModelMessage | null; attempts: number }
  | { kind: "ack"; result: boolean }
  | { kind: "nack"; result: "requeued" | "dead-lettered" | null }
  | { kind: "redrive"; result: number }
  | { kind: "size"; result: number }
  | { kind: "deadLetters"; letters: Array<{ message: ModelMessage; attempts: number; reason: string }> };

/**
 * Drives a queue with a seeded mix of every operation and checks each result
 * against a plain model: a waiting array, an in-flight set and a dead list.
 * The steps go in rounds of 100, each round one script (runSteps): a round's
 * steps are built from the model alone, and ack and nack name only ids the
 * queue handed out in earlier rounds (or ids it never issued).
 */
function runAgainstModel(seed: number, maxAttempts: number): void {
  const random = seededRandom(seed);
  const queue = new MessageQueue<number>({ maxAttempts });
  const waiting: ModelMessage[] = [];
  const inFlight = new Set<ModelMessage>();
  let dead: Array<{ message: ModelMessage; attempts: number; reason: string }> = [];
  const byId = new Map<string, ModelMessage>();
  const everyId: string[] = [];
  const label = `maxAttempts ${maxAttempts}, seed ${seed}`;
  const fields = (message: ModelMessage, attempts: number) => ({ id: message.id, body: message.body, attempts });

  const pickId = (): string => {
    const roll = random();
    const flying = [...inFlight].filter((message) => message.id !== undefined);
    if (roll < 0.7 && flying.length > 0) return flying[Math.floor(random() * flying.length)]?.id as string;
    if (roll < 0.95 && everyId.length > 0) return everyId[Math.floor(random() * everyId.length)] as string;
    return `unknown-${Math.floor(random() * 1000)}`;
  };

  for (let first = 0; first < 4_000; first += 100) {
    const steps: Step<MessageQueue<number>>[] = [];
    const expected: Expectation[] = [];
    const numbers: number[] = [];
    for (let step = first; step < first + 100; step++) {
      const roll = random();
      numbers.push(step);
      if (roll < 0.25) {
        const message: ModelMessage = { id: undefined, body: step, attempts: 0 };
        waiting.push(message);
        steps.push(["publish", step]);
        expected.push({ kind: "publish", message });
      } else if (roll < 0.55) {
        const next = waiting.shift() ?? null;
        if (next) {
          next.attempts += 1;
          inFlight.add(next);
        }
        steps.push(["consume"]);
        expected.push({ kind: "consume", message: next, attempts: next?.attempts ?? 0 });
      } else if (roll < 0.67) {
        const id = pickId();
        const message = byId.get(id);
        const result = message !== undefined && inFlight.delete(message);
        steps.push(["ack", id]);
        expected.push({ kind: "ack", result });
      } else if (roll < 0.97) {
        const id = pickId();
        const reason = random() < 0.5 ? undefined : `reason-${step}`;
        const message = byId.get(id);
        let result: "requeued" | "dead-lettered" | null = null;
        if (message !== undefined && inFlight.delete(message)) {
          if (message.attempts >= maxAttempts) {
            dead.push({ message, attempts: message.attempts, reason: reason ?? "nack" });
            result = "dead-lettered";
          } else {
            waiting.push(message);
            result = "requeued";
          }
        }
        steps.push(reason === undefined ? ["nack", id] : ["nack", id, reason]);
        expected.push({ kind: "nack", result });
      } else {
        const result = dead.length;
        for (const letter of dead) {
          letter.message.attempts = 0;
          waiting.push(letter.message);
        }
        dead = [];
        steps.push(["redrive"]);
        expected.push({ kind: "redrive", result });
      }
      if (step % 50 === 0) {
        steps.push(["size"], ["deadLetters"]);
        expected.push({ kind: "size", result: waiting.length }, { kind: "deadLetters", letters: [...dead] });
        numbers.push(step, step);
      }
    }

    const answers = runSteps(queue, steps);
    expected.forEach((expectation, index) => {
      const answer = answers[index];
      const step = numbers[index];
      if (expectation.kind === "publish") {
        const envelope = envelopeFields(answer as Envelope);
        const fresh = envelope !== null && envelope !== undefined && typeof envelope.id === "string" && !byId.has(envelope.id);
        if (!fresh || envelope.attempts !== 0 || envelope.body !== expectation.message.body) {
          expect(envelope, `${label}, step ${step}: publish returned a wrong envelope or reused an id (or the envelope it returned changed later)`).toEqual({ id: "a new id", body: expectation.message.body, attempts: 0 });
        }
        expectation.message.id = envelope?.id;
        byId.set(envelope?.id as string, expectation.message);
        everyId.push(envelope?.id as string);
      } else if (expectation.kind === "consume") {
        const want = expectation.message === null ? null : fields(expectation.message, expectation.attempts);
        const actual = envelopeFields(answer as Envelope | null);
        if (JSON.stringify(actual) !== JSON.stringify(want)) {
          expect(actual, `${label}, step ${step}: consume delivered the wrong message or attempts (or the envelope it returned changed later)`).toEqual(want);
        }
      } else if (expectation.kind === "deadLetters") {
        const letters = JSON.stringify(deadLetterFields(answer as Array<Envelope & { reason: string }>));
        const want = JSON.stringify(expectation.letters.map((letter) => ({ ...fields(letter.message, letter.attempts), reason: letter.reason })));
        if (letters !== want) {
          expect(letters, `${label}, step ${step}: deadLetters should list every dead letter in the order they died`).toBe(want);
        }
      } else if (answer !== expectation.result) {
        const what = {
          ack: "ack should return true exactly for in-flight ids",
          nack: "nack returned the wrong outcome",
          redrive: "redrive should return how many dead letters it moved",
          size: "size should count the waiting messages",
        }[expectation.kind];
        expect(answer, `${label}, step ${step}: ${what}`).toBe(expectation.result);
      }
    });
  }
}

type Envelope = { id: string; body: unknown; attempts: number };

/**
 * Two queues' steps, in the order they are interleaved: a publish's body, a
 * consume, an ack or nack of this queue's own n-th published message, or of
 * the message the other queue delivered last ("foreign"). Ids need only be
 * unique within a queue, so a foreign id may also name a message of this
 * queue: it is used only when this queue never issued it, and then the queue
 * must answer as for any id it never issued.
 */
type SeparateStep =
  | ["publish", string]
  | ["consume"]
  | ["ack", number]
  | ["nack", number, string?]
  | ["ack-foreign"]
  | ["nack-foreign"]
  | ["size"]
  | ["deadLetters"]
  | ["redrive"];

const separateSteps: Array<["a" | "b", SeparateStep]> = [
  ["a", ["publish", "a1"]],
  ["b", ["publish", "b1"]],
  ["a", ["publish", "a2"]],
  ["b", ["publish", "b2"]],
  ["a", ["size"]],
  ["b", ["size"]],
  ["a", ["consume"]],
  ["b", ["ack-foreign"]],
  ["b", ["nack-foreign"]],
  ["b", ["consume"]],
  ["a", ["nack", 0, "a-retry"]],
  ["a", ["size"]],
  ["b", ["size"]],
  ["a", ["consume"]],
  ["a", ["ack", 1]],
  ["a", ["consume"]],
  ["a", ["nack", 0, "a-broken"]],
  ["b", ["deadLetters"]],
  ["b", ["ack", 0]],
  ["b", ["consume"]],
  ["a", ["ack-foreign"]],
  ["b", ["nack", 1]],
  ["b", ["consume"]],
  ["b", ["nack", 1, "b-retry"]],
  ["b", ["consume"]],
  ["b", ["nack", 1, "b-broken"]],
  ["a", ["deadLetters"]],
  ["b", ["deadLetters"]],
  ["b", ["redrive"]],
  ["a", ["size"]],
  ["a", ["deadLetters"]],
  ["b", ["size"]],
  ["a", ["consume"]],
  ["b", ["consume"]],
  ["a", ["redrive"]],
  ["a", ["consume"]],
];

/** Where each of a queue's steps comes in the interleaved order. */
function stepsOf(who: "a" | "b"): number[] {
  return separateSteps.flatMap(([owner], at) => (owner === who ? [at] : []));
}

function stepLabel(who: "a" | "b", index: number): string {
  const step = separateSteps.filter(([owner]) => owner === who)[index]?.[1] ?? ["?"];
  const [op, ...args] = step;
  const what: Record<string, string> = {
    publish: `publish(${JSON.stringify(args[0])})`,
    consume: "consume()",
    ack: `ack(id of its message ${JSON.stringify(`${who}${Number(args[0]) + 1}`)})`,
    nack: `nack(id of its message ${JSON.stringify(`${who}${Number(args[0]) + 1}`)}${args[1] === undefined ? "" : `, ${JSON.stringify(args[1])}`})`,
    "ack-foreign": "ack(id of a message the other queue has in flight)",
    "nack-foreign": "nack(id of a message the other queue has in flight)",
    size: "size()",
    deadLetters: "deadLetters()",
    redrive: "redrive()",
  };
  return `step ${index + 1}, ${what[op] ?? op}`;
}

/** One queue's view while the steps run: its queue, the ids it issued, and its answers. */
interface SeparateRun {
  queue: MessageQueue<string>;
  ids: string[];
  answers: unknown[];
}

const neverIssued = "an id no queue issued";

/** Queue A gives a message 2 deliveries, queue B 3. */
function newSeparateRun(who: "a" | "b"): SeparateRun {
  return { queue: new MessageQueue<string>({ maxAttempts: who === "a" ? 2 : 3 }), ids: [], answers: [] };
}

function answerStep(run: SeparateRun, step: SeparateStep, foreignId: string): { delivered?: string } {
  const own = (id: string) => {
    const index = run.ids.indexOf(id);
    return index < 0 ? "not one of this queue's ids" : index;
  };
  const envelope = (value: { id: string; body: string; attempts: number } | null) => (value === null ? null : { id: own(value.id), body: value.body, attempts: value.attempts });
  const [op] = step;
  if (op === "publish") {
    const published = run.queue.publish(step[1]);
    run.ids.push(published.id);
    run.answers.push(envelope(published));
  } else if (op === "consume") {
    const delivery = run.queue.consume();
    run.answers.push(envelope(delivery));
    if (delivery) return { delivered: delivery.id };
  } else if (op === "ack" || op === "ack-foreign") {
    const id = op === "ack" ? (run.ids[step[1]] ?? "missing") : run.ids.includes(foreignId) ? neverIssued : foreignId;
    run.answers.push(run.queue.ack(id));
  } else if (op === "nack" || op === "nack-foreign") {
    const id = op === "nack" ? (run.ids[step[1]] ?? "missing") : run.ids.includes(foreignId) ? neverIssued : foreignId;
    run.answers.push(op === "nack" && step[2] !== undefined ? run.queue.nack(id, step[2]) : run.queue.nack(id));
  } else if (op === "size") {
    run.answers.push(run.queue.size());
  } else if (op === "deadLetters") {
    run.answers.push(run.queue.deadLetters().map((letter) => ({ ...envelope(letter), reason: letter.reason })));
  } else {
    run.answers.push(run.queue.redrive());
  }
  return {};
}

/** One queue's steps with no other queue in use: a foreign id is one no queue issued. */
function runSeparately(who: "a" | "b"): unknown[] {
  const run = newSeparateRun(who);
  for (const [owner, step] of separateSteps) if (owner === who) answerStep(run, step, neverIssued);
  return run.answers;
}

/** Both queues' steps, interleaved: a foreign id is the one the other queue delivered last. */
function runInterleaved(): { a: unknown[]; b: unknown[] } {
  const runs = { a: newSeparateRun("a"), b: newSeparateRun("b") };
  const lastDelivered = { a: "nothing delivered yet", b: "nothing delivered yet" };
  for (const [owner, step] of separateSteps) {
    const other = owner === "a" ? "b" : "a";
    const { delivered } = answerStep(runs[owner], step, lastDelivered[other]);
    if (delivered !== undefined) lastDelivered[owner] = delivered;
  }
  return { a: runs.a.answers, b: runs.b.answers };
}

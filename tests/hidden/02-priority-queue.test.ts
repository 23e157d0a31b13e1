import { describe, expect, test } from "vitest";
import { expectThrows } from "../support/errors";
import * as exercise from "@exercise/02-priority-queue/priority-queue";
import { PriorityQueue } from "@exercise/02-priority-queue/priority-queue";
import { runWorkload } from "../support/workload";
import { seededRandom } from "../support/random";
import { runSteps, type Step } from "../support/steps";
import { megabytes } from "../support/memory";

/** Dequeues until the queue is empty (at most `limit` times, so a broken queue cannot loop forever). */
function drain<T>(queue: PriorityQueue<T>, limit = 1_000): Array<T | null> {
  const out: Array<T | null> = [];
  while (queue.size() > 0 && out.length < limit) out.push(queue.dequeue());
  return out;
}

/**
 * Each timed phase gets this much CPU time. A binary heap needs about a second at most
 * for a few hundred thousand operations, even on a slow and busy machine; an
 * O(n) queue needs tens of seconds, so it fails as soon as the budget runs out.
 */
const SPEED_BUDGET_MS = 4_000;

/** A queue that holds a few items keeps far less than this; one that keeps a bucket per priority, tens of MB. */
const MEMORY_BOUND_BYTES = 1_000_000;

describe("PriorityQueue", () => {
  describe("serving order", () => {
    test("a higher priority is served before a lower one", { tags: ["highest-first"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("low", 1);
      queue.enqueue("high", 9);
      queue.enqueue("middle", 5);
      queue.enqueue("highest", 12);
      expect(drain(queue), "dequeue should return the item with the highest priority number first").toEqual(["highest", "high", "middle", "low"]);
    });

    test("items with equal priority come out in arrival order", { tags: ["fifo-ties"] }, () => {
      const queue = new PriorityQueue<string>();
      const names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
      for (const name of names) queue.enqueue(name, 4);
      expect(drain(queue), "items with the same priority should come out first in, first out").toEqual(names);
    });

    test("ties stay in arrival order when several priorities are mixed", { tags: ["fifo-ties", "highest-first"] }, () => {
      const queue = new PriorityQueue<string>();
      const entries: Array<{ name: string; priority: number }> = [];
      for (let index = 0; index < 40; index++) {
        const entry = { name: `item-${index}`, priority: (index * 7) % 4 };
        entries.push(entry);
        queue.enqueue(entry.name, entry.priority);
      }
      // Array.prototype.sort is stable, so this is "highest priority first, arrival order among equals".
      const expected = [...entries].sort((a, b) => b.priority - a.priority).map((entry) => entry.name);
      expect(drain(queue), "equal priorities should keep their arrival order however they are mixed with others").toEqual(expected);
    });

    test("ties stay in arrival order while other items come and go", { tags: ["fifo-ties"] }, () => {
      const queue = new PriorityQueue<string>();
      const out: Array<string | null> = [];
      for (let index = 0; index < 12; index++) {
        queue.enqueue(`steady-${index}`, 2);
        queue.enqueue(`urgent-${index}`, 7);
        if (index % 3 === 0) out.push(queue.dequeue());
      }
      queue.enqueue("background", -1);
      out.push(...drain(queue));
      const expected = [
        ...Array.from({ length: 12 }, (_, index) => `urgent-${index}`),
        ...Array.from({ length: 12 }, (_, index) => `steady-${index}`),
        "background",
      ];
      expect(out, "items of one priority should keep their arrival order even as other items are added and removed").toEqual(expected);
    });

    test("a later item with a higher priority jumps ahead of waiting items", { tags: ["highest-first"] }, () => {
      const queue = new PriorityQueue<string>();
      const out: Array<string | null> = [];
      queue.enqueue("a", 1);
      queue.enqueue("b", 1);
      out.push(queue.dequeue());
      queue.enqueue("urgent", 5);
      out.push(queue.dequeue());
      queue.enqueue("c", 1);
      out.push(queue.dequeue(), queue.dequeue(), queue.dequeue());
      expect(out, "an urgent item enqueued later should be served before items already waiting").toEqual(["a", "urgent", "b", "c", null]);
    });
  });

  describe("priorities", () => {
    test("an item without a priority is served as priority 0", { tags: ["default-zero"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("negative", -1);
      queue.enqueue("no priority");
      queue.enqueue("positive", 1);
      expect(drain(queue), "an item enqueued without a priority should rank between -1 and 1 (the default is 0)").toEqual([
        "positive",
        "no priority",
        "negative",
      ]);
    });

    test("an item without a priority ties with priority 0 in arrival order", { tags: ["default-zero"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("default first");
      queue.enqueue("explicit zero", 0);
      queue.enqueue("default last");
      queue.enqueue("just below zero", -0.001);
      queue.enqueue("just above zero", 0.001);
      expect(drain(queue), "the default priority should be exactly 0, tying with an explicit 0 in arrival order").toEqual([
        "just above zero",
        "default first",
        "explicit zero",
        "default last",
        "just below zero",
      ]);
    });

    test("negative priorities are served after 0, the most negative last", { tags: ["any-finite"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("minus one", -1);
      queue.enqueue("minus ten", -10);
      queue.enqueue("zero", 0);
      queue.enqueue("minus two and a half", -2.5);
      expect(drain(queue), "negative priorities should be allowed and ordered like any other numbers").toEqual([
        "zero",
        "minus one",
        "minus two and a half",
        "minus ten",
      ]);
    });

    test("fractional priorities are ordered by their exact value", { tags: ["any-finite"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("1.25", 1.25);
      queue.enqueue("1.5", 1.5);
      queue.enqueue("1", 1);
      queue.enqueue("1.75", 1.75);
      queue.enqueue("1.2", 1.2);
      queue.enqueue("2", 2);
      expect(drain(queue), "fractional priorities should not be rounded: 1.5 outranks 1.25").toEqual(["2", "1.75", "1.5", "1.25", "1.2", "1"]);
    });

    test("-0 and 0 are the same priority, tied in arrival order", { tags: ["negative-zero"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("zero first", 0);
      queue.enqueue("minus zero", -0);
      queue.enqueue("no priority");
      queue.enqueue("minus zero again", -0);
      queue.enqueue("zero last", 0);
      queue.enqueue("below", -0.001);
      queue.enqueue("above", 0.001);
      expect(drain(queue), "an item at -0 should tie with items at 0 and without a priority, in arrival order").toEqual([
        "above",
        "zero first",
        "minus zero",
        "no priority",
        "minus zero again",
        "zero last",
        "below",
      ]);
    });

    test("-0 and 0 tie however the items arrive", { tags: ["negative-zero"] }, () => {
      const queue = new PriorityQueue<number>();
      const steps: Array<Step<PriorityQueue<number>>> = [];
      // Twenty items, each at 0, at -0 or without a priority, in a seeded order; a dequeue after every fourth.
      const random = seededRandom(77);
      for (let item = 0; item < 20; item++) {
        const roll = random();
        steps.push(roll < 0.4 ? ["enqueue", item, -0] : roll < 0.8 ? ["enqueue", item, 0] : ["enqueue", item]);
        if (item % 4 === 3) steps.push(["dequeue"]);
      }
      for (let index = 0; index < 15; index++) steps.push(["dequeue"]);
      const out = runSteps(queue, steps).filter((_, index) => steps[index]?.[0] === "dequeue");
      expect(out, "items at 0, at -0 and without a priority should all come out in arrival order").toEqual(Array.from({ length: 20 }, (_, index) => index));
    });

    test("priorities that differ beyond float32 precision are ordered exactly", { tags: ["any-finite"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("one", 1);
      queue.enqueue("one and a tiny bit", 1 + 2 ** -40);
      queue.enqueue("2^24", 16_777_216);
      queue.enqueue("2^24 + 1", 16_777_217);
      queue.enqueue("a tenth", 0.1);
      queue.enqueue("a tenth and a tiny bit", 0.1 + 2 ** -50);
      queue.enqueue("big", 2 ** 60);
      queue.enqueue("big plus 2^8", 2 ** 60 + 2 ** 8);
      expect(drain(queue), "priorities should be compared as the exact numbers they are, not rounded to fewer bits").toEqual([
        "big plus 2^8",
        "big",
        "2^24 + 1",
        "2^24",
        "one and a tiny bit",
        "one",
        "a tenth and a tiny bit",
        "a tenth",
      ]);
    });

    test("the largest and smallest finite numbers are valid priorities", { tags: ["any-finite"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("min value", Number.MIN_VALUE);
      queue.enqueue("most negative", -Number.MAX_VALUE);
      queue.enqueue("max safe integer", Number.MAX_SAFE_INTEGER);
      queue.enqueue("zero", 0);
      queue.enqueue("max value", Number.MAX_VALUE);
      queue.enqueue("minus epsilon", -Number.EPSILON);
      expect(drain(queue), "every finite number, however large or small, should be accepted and ordered").toEqual([
        "max value",
        "max safe integer",
        "min value",
        "zero",
        "minus epsilon",
        "most negative",
      ]);
    });
  });

  describe("invalid priorities", () => {
    test("NaN as a priority throws a RangeError", { tags: ["invalid-priority", "error-message"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("valid", 1);
      expectThrows(() => queue.enqueue("not a number", Number.NaN), RangeError, "enqueue with a NaN priority should throw a RangeError");
    });

    test("Infinity and -Infinity as priorities throw a RangeError", { tags: ["invalid-priority", "error-message"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("valid", 1);
      expectThrows(() => queue.enqueue("too high", Number.POSITIVE_INFINITY), RangeError, "enqueue with an Infinity priority should throw a RangeError");
      expectThrows(() => queue.enqueue("too low", Number.NEGATIVE_INFINITY), RangeError, "enqueue with a -Infinity priority should throw a RangeError");
    });

    test("an item with an invalid priority is not added", { tags: ["invalid-priority"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("kept", 1);
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        try {
          queue.enqueue("rejected", bad);
        } catch {
          // The error itself is checked by the tests above.
        }
      }
      expect(queue.size(), "a rejected enqueue should not change size").toBe(1);
      expect(queue.dequeue(), "a rejected enqueue should not change which item comes out").toBe("kept");
      expect(queue.dequeue(), "a rejected item should never come out of the queue").toBeNull();
    });
  });

  describe("peek", () => {
    test("peek returns what dequeue would return, without removing it", { tags: ["peek"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("low", 1);
      queue.enqueue("high", 3);
      queue.enqueue("middle", 2);
      expect(queue.peek(), "peek should return the highest-priority item").toBe("high");
      expect(queue.peek(), "peeking twice should return the same item").toBe("high");
      expect(queue.size(), "peek should not change size").toBe(3);
      expect(queue.dequeue(), "dequeue after peek should return the peeked item").toBe("high");
      expect(queue.peek(), "after a dequeue, peek should show the new highest-priority item").toBe("middle");
    });

    test("peek returns the oldest of the items sharing the top priority", { tags: ["peek", "fifo-ties"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("background", 1);
      queue.enqueue("first urgent", 5);
      queue.enqueue("second urgent", 5);
      queue.enqueue("third urgent", 5);
      expect(queue.peek(), "peek should follow arrival order among equal priorities").toBe("first urgent");
      queue.dequeue();
      expect(queue.peek(), "after a dequeue, peek should show the next item in arrival order").toBe("second urgent");
    });

    test("peek on an empty queue returns null", { tags: ["peek", "empty-null"] }, () => {
      const queue = new PriorityQueue<string>();
      expect(queue.peek(), "peek on a new queue should return null, not undefined or a throw").toBeNull();
      queue.enqueue("only", 1);
      queue.dequeue();
      expect(queue.peek(), "peek on an emptied queue should return null").toBeNull();
    });
  });

  describe("empty queues and size", () => {
    test("dequeue on a new queue returns null", { tags: ["empty-null"] }, () => {
      const queue = new PriorityQueue<number>();
      expect(queue.dequeue(), "dequeue on an empty queue should return null, not undefined or a throw").toBeNull();
    });

    test("dequeue returns null once every item has been taken", { tags: ["empty-null", "size"] }, () => {
      const queue = new PriorityQueue<string>();
      queue.enqueue("only", 1);
      expect(queue.dequeue(), "the only item should come out").toBe("only");
      expect(queue.dequeue(), "dequeue on an emptied queue should return null").toBeNull();
      expect(queue.size(), "an emptied queue should have size 0").toBe(0);
      queue.enqueue("again", 2);
      expect(queue.dequeue(), "an emptied queue should keep working").toBe("again");
    });

    test("a new queue has size 0", { tags: ["size"] }, () => {
      expect(new PriorityQueue().size(), "a queue nobody has used yet holds no items").toBe(0);
    });

    test("size counts the waiting items as they come and go", { tags: ["size"] }, () => {
      const queue = new PriorityQueue<number>();
      const sizes: number[] = [];
      queue.enqueue(1, 1);
      queue.enqueue(2, 5);
      queue.enqueue(3);
      sizes.push(queue.size());
      queue.dequeue();
      sizes.push(queue.size());
      queue.peek();
      sizes.push(queue.size());
      queue.dequeue();
      queue.dequeue();
      queue.dequeue();
      sizes.push(queue.size());
      expect(sizes, "size should go up on enqueue, down on dequeue, stay put on peek and never go below 0").toEqual([3, 2, 2, 0]);
    });
  });

  describe("items", () => {
    test("falsy items (0, empty string, false) come back out unchanged", { tags: ["falsy"] }, () => {
      const queue = new PriorityQueue<unknown>();
      queue.enqueue(0, 3);
      queue.enqueue("", 2);
      queue.enqueue(false, 1);
      queue.enqueue("last", 0);
      expect(drain(queue), "0, \"\" and false are items like any other and must not be skipped or turned into null").toEqual([0, "", false, "last"]);
    });

    test("peek returns falsy items unchanged", { tags: ["falsy", "peek"] }, () => {
      const queue = new PriorityQueue<unknown>();
      queue.enqueue(0, 1);
      expect(queue.peek(), "peek should return a waiting 0, not null").toBe(0);
      queue.dequeue();
      queue.enqueue("", 1);
      expect(queue.peek(), "peek should return a waiting empty string, not null").toBe("");
      queue.dequeue();
      queue.enqueue(false, 1);
      expect(queue.peek(), "peek should return a waiting false, not null").toBe(false);
    });

    test("falsy items count towards size", { tags: ["falsy", "size"] }, () => {
      const queue = new PriorityQueue<unknown>();
      queue.enqueue(0);
      queue.enqueue("", 1);
      queue.enqueue(false, -1);
      expect(queue.size(), "size should count falsy items").toBe(3);
    });

    test("items come back as the same objects, not copies", { tags: ["same-object"] }, () => {
      const queue = new PriorityQueue<{ id: number }>();
      const first = { id: 1 };
      const second = { id: 2 };
      queue.enqueue(first, 1);
      queue.enqueue(second, 2);
      expect(queue.peek(), "peek should return the very object that was enqueued").toBe(second);
      expect(queue.dequeue(), "dequeue should return the very object that was enqueued").toBe(second);
      expect(queue.dequeue(), "dequeue should return the very object that was enqueued").toBe(first);
    });

    test("an item object is not changed by the queue", { tags: ["inputs-unchanged"] }, () => {
      const queue = new PriorityQueue<object>();
      const email = { to: "ada@example.com", template: "password-reset", meta: { attempts: 1 }, tags: ["urgent"] };
      const list = ["newsletter", "receipt"];
      queue.enqueue(email, 10);
      queue.enqueue(list);
      queue.enqueue({ other: true }, 5);
      expect(queue.peek(), "peek should show the item object itself").toBe(email);
      expect(queue.dequeue(), "the item object should come out first, as the same object").toBe(email);
      queue.dequeue();
      expect(queue.dequeue(), "the array item should come out last, as the same array").toBe(list);
      expect(email, "the queue should not add, change or remove any field of an item object").toStrictEqual({
        to: "ada@example.com",
        template: "password-reset",
        meta: { attempts: 1 },
        tags: ["urgent"],
      });
      expect(list, "the queue should not change an array item").toStrictEqual(["newsletter", "receipt"]);
    });

    test("a frozen item can be enqueued, peeked and dequeued", { tags: ["inputs-unchanged"] }, () => {
      const queue = new PriorityQueue<object>();
      const urgent = Object.freeze({ kind: "reset" });
      const later = Object.freeze({ kind: "newsletter" });
      expect(() => queue.enqueue(later, 1), "enqueue should accept a frozen item (it has no reason to write to it)").not.toThrow();
      expect(() => queue.enqueue(urgent, 9), "enqueue should accept a frozen item (it has no reason to write to it)").not.toThrow();
      expect(queue.peek(), "peek should show the frozen item with the higher priority").toBe(urgent);
      expect(queue.dequeue(), "the frozen item with the higher priority should come out first").toBe(urgent);
      expect(queue.dequeue(), "the other frozen item should come out next").toBe(later);
    });

    test("two queues used together, interleaved, never share items", { tags: ["separate"] }, () => {
      const first = new PriorityQueue<string>();
      const second = new PriorityQueue<string>();
      const out: Array<string | null> = [];
      const sizes: number[] = [];
      // Both use the same priorities, take turns, and each empties while the other still holds items.
      first.enqueue("a1", 5);
      second.enqueue("b1", 5);
      first.enqueue("a2", 1);
      second.enqueue("b2", 1);
      second.enqueue("b3", 5);
      sizes.push(first.size(), second.size());
      out.push(first.peek(), second.peek());
      out.push(second.dequeue(), first.dequeue(), second.dequeue(), first.dequeue(), first.dequeue());
      first.enqueue("a3", 1);
      sizes.push(first.size(), second.size());
      out.push(second.dequeue(), second.dequeue(), first.peek(), first.dequeue(), first.dequeue());
      sizes.push(first.size(), second.size());
      expect(out, "each queue should hand out only its own items, in its own order").toEqual(["a1", "b1", "b1", "a1", "b3", "a2", null, "b2", null, "a3", "a3", null]);
      expect(sizes, "each queue's size should count only its own items").toEqual([2, 3, 1, 1, 0, 0]);
    });

    test("two queues never share items", { tags: ["separate"] }, () => {
      const first = new PriorityQueue<string>();
      const second = new PriorityQueue<string>();
      first.enqueue("first-only", 5);
      second.enqueue("second-only", 1);
      expect(second.size(), "an item enqueued on one queue should not appear in another").toBe(1);
      expect(second.peek(), "peek should only see items of its own queue").toBe("second-only");
      expect(second.dequeue(), "an item enqueued on one queue should not be dequeued from another").toBe("second-only");
      expect(second.dequeue(), "a queue should be empty once its own items are taken").toBeNull();
      expect(first.dequeue(), "the item should still be in the queue it was enqueued on").toBe("first-only");
    });
  });

  describe("model check", () => {
    test("long random mixes of enqueue, dequeue and peek match a simple reference", { tags: ["highest-first", "fifo-ties", "default-zero", "negative-zero", "any-finite", "peek", "empty-null", "size"] }, () => {
      const random = seededRandom(2025);
      const queue = new PriorityQueue<number>();
      // The reference: an unsorted list, scanned for the best item on every dequeue.
      const model: Array<{ item: number; priority: number }> = [];
      const bestIndex = (): number => {
        let best = -1;
        for (let index = 0; index < model.length; index++) {
          // Strictly greater keeps the earliest arrival among equal priorities.
          if (best < 0 || (model[index] as { priority: number }).priority > (model[best] as { priority: number }).priority) best = index;
        }
        return best;
      };
      const choices = [-3, -1, -0.5, -0, 0, 0, 0.25, 1, 1, 1 + 2 ** -40, 2, 7.5];
      // The steps first, with the same random draws as one loop would make; then every answer against the reference.
      const steps: Array<Step<PriorityQueue<number>>> = [];
      const stepOf: number[] = [];
      for (let step = 0; step < 20_000; step++) {
        const roll = random();
        if (roll < 0.5) {
          const priority = choices[Math.floor(random() * choices.length)] as number;
          const item = step + 1;
          steps.push(priority === 0 && random() < 0.5 ? ["enqueue", item] : ["enqueue", item, priority]);
        } else steps.push(roll < 0.9 ? ["dequeue"] : ["peek"]);
        stepOf.push(step);
        if (step % 97 === 0) {
          steps.push(["size"]);
          stepOf.push(step);
        }
      }
      const answers = runSteps(queue, steps);
      for (let index = 0; index < steps.length; index++) {
        const [name, item, priority] = steps[index] as [string, number?, number?];
        const step = stepOf[index] as number;
        const actual = answers[index];
        if (name === "enqueue") {
          model.push({ item: item as number, priority: priority ?? 0 });
        } else if (name === "dequeue") {
          const best = bestIndex();
          const expected = best < 0 ? null : (model.splice(best, 1)[0] as { item: number }).item;
          if (actual !== expected) expect(actual, `after ${step} random operations, dequeue returned the wrong item`).toBe(expected);
        } else if (name === "peek") {
          const best = bestIndex();
          const expected = best < 0 ? null : (model[best] as { item: number }).item;
          if (actual !== expected) expect(actual, `after ${step} random operations, peek returned the wrong item`).toBe(expected);
        } else if (actual !== model.length) {
          expect(actual, `after ${step} random operations, size is wrong`).toBe(model.length);
        }
      }
    });
  });

  describe("speed", () => {
    // Sorted arrays hide their O(n) cost well: `splice` and `shift` move
    // memory very fast. They are slowest when every insert lands at the front,
    // so each test feeds priorities in the order that is worst for one way of
    // sorting the array. A heap does O(log n) work per item in every order.
    test("500,000 enqueues with falling priorities take O(log n) each", { tags: ["speed"], timeout: 30_000 }, async () => {
      const count = 500_000;
      const result = await runWorkload("priority-queue-enqueues", exercise, { count, order: "falling", budgetMs: SPEED_BUDGET_MS, seed: 3 });
      expect(result.size, "size after 500,000 enqueues").toBe(count);
      expect(result.peekedIndex, "after enqueues with falling priorities, peek should show the first item").toBe(0);
    });

    test("400,000 enqueues with rising priorities take O(log n) each", { tags: ["speed"], timeout: 30_000 }, async () => {
      const count = 400_000;
      const result = await runWorkload("priority-queue-enqueues", exercise, { count, order: "rising", budgetMs: SPEED_BUDGET_MS, seed: 4 });
      expect(result.size, "size after 400,000 enqueues").toBe(count);
      expect(result.peekedIndex, "after enqueues with rising priorities, peek should show the last item").toBe(count - 1);
    });

    test("150,000 dequeues from 500,000 waiting items take O(log n) each", { tags: ["speed"], timeout: 30_000 }, async () => {
      const waiting = 500_000;
      const result = await runWorkload("priority-queue-dequeues", exercise, { waiting, dequeues: 150_000, budgetMs: SPEED_BUDGET_MS, seed: 5 });
      expect(result.firstWrong, "items should come out highest priority first, and in arrival order among equal priorities").toBe(-1);
      expect(result.size, "size after 150,000 of 500,000 items were dequeued").toBe(waiting - 150_000);
    });

    test("enqueue and dequeue stay O(log n) when interleaved with 500,000 items waiting", { tags: ["speed"], timeout: 30_000 }, async () => {
      const waiting = 500_000;
      const result = await runWorkload("priority-queue-interleaved", exercise, { waiting, rounds: 100_000, budgetMs: SPEED_BUDGET_MS, seed: 9 });
      expect(result.size, "size after interleaved enqueues and dequeues").toBe(waiting);
      expect(result.bestIndex, "interleaved dequeues should return the highest-priority items").toBe(0);
    });
  });
  describe("memory", () => {
    test("a queue that stays short keeps no memory for items with many different priorities", { tags: ["memory"], timeout: 30_000 }, async () => {
      const count = 200_000;
      const result = await runWorkload("priority-queue-steady", exercise, { count, backlog: 3, budgetMs: SPEED_BUDGET_MS, seed: 31 });
      expect(result.firstOutOfOrder, "each new item, with the highest priority waiting, should come out next").toBe(-1);
      expect(result.size, "three items should still be waiting").toBe(3);
      expect(
        result.retainedBytes,
        `after 200,000 items, each with a priority of its own, passed through a queue that never held more than 4, it holds ${megabytes(result.retainedBytes)} more memory than before: ` +
          "something is kept for every priority ever used (drop a priority's bucket once it is empty)",
      ).toBeLessThan(MEMORY_BOUND_BYTES);
    });
  });
});

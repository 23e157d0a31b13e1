// Public tests for module 02. Run them with `npm run exercise 02`.
// Each test names the rules it checks (its tags are the rule ids in your
// stub). The hidden tests that grade your work check the same rules with more
// cases, long random runs and hundreds of thousands of items.
import { describe, expect, test } from "vitest";
import * as exercise from "@exercise/02-priority-queue/priority-queue";
import { PriorityQueue } from "@exercise/02-priority-queue/priority-queue";
import { expectThrows } from "../support/errors";
import { seededRandom } from "../support/random";
import { runSteps, type Step } from "../support/steps";
import { runWorkload } from "../support/workload";

/** Dequeues until the queue is empty (at most `limit` times, so a broken queue cannot loop forever). */
function drain<T>(queue: PriorityQueue<T>, limit = 1_000): Array<T | null> {
  const out: Array<T | null> = [];
  while (queue.size() > 0 && out.length < limit) out.push(queue.dequeue());
  return out;
}

describe("PriorityQueue", () => {
  test("a higher priority is served first", { tags: ["highest-first"] }, () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue("send newsletter", 1);
    queue.enqueue("reset password", 10);
    queue.enqueue("resize avatar", 5);
    expect(queue.dequeue()).toBe("reset password");
    expect(queue.dequeue()).toBe("resize avatar");
    expect(queue.dequeue()).toBe("send newsletter");
  });

  test("equal priorities are served in arrival order", { tags: ["fifo-ties"] }, () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue("first", 3);
    queue.enqueue("second", 3);
    queue.enqueue("urgent", 7);
    queue.enqueue("third", 3);
    expect(drain(queue)).toEqual(["urgent", "first", "second", "third"]);
  });

  test("an item without a priority is served as priority 0", { tags: ["default-zero"] }, () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue("default first");
    queue.enqueue("below", -0.001);
    queue.enqueue("explicit zero", 0);
    queue.enqueue("above", 0.001);
    expect(drain(queue)).toEqual(["above", "default first", "explicit zero", "below"]);
  });

  test("-0 is the same priority as 0", { tags: ["negative-zero"] }, () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue("zero", 0);
    queue.enqueue("minus zero", -0);
    queue.enqueue("default");
    expect(drain(queue)).toEqual(["zero", "minus zero", "default"]);
  });

  test("any finite priority is compared exactly", { tags: ["any-finite"] }, () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue("one", 1);
    queue.enqueue("minus two and a half", -2.5);
    queue.enqueue("one and a tiny bit", 1 + 2 ** -40);
    queue.enqueue("2^24", 16_777_216);
    queue.enqueue("2^24 + 1", 16_777_217);
    queue.enqueue("max value", Number.MAX_VALUE);
    queue.enqueue("min value", Number.MIN_VALUE);
    expect(drain(queue)).toEqual(["max value", "2^24 + 1", "2^24", "one and a tiny bit", "one", "min value", "minus two and a half"]);
  });

  test("NaN and infinite priorities throw a RangeError and add nothing", { tags: ["invalid-priority", "error-message"] }, () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue("kept", 1);
    expectThrows(() => queue.enqueue("not a number", Number.NaN), RangeError, "enqueue with a NaN priority");
    expectThrows(() => queue.enqueue("too high", Number.POSITIVE_INFINITY), RangeError, "enqueue with an Infinity priority");
    expectThrows(() => queue.enqueue("too low", Number.NEGATIVE_INFINITY), RangeError, "enqueue with a -Infinity priority");
    expect(queue.size()).toBe(1);
    expect(drain(queue)).toEqual(["kept"]);
  });

  test("peek shows the next item without removing it", { tags: ["peek"] }, () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue("later", 1);
    queue.enqueue("now", 2);
    expect(queue.peek()).toBe("now");
    expect(queue.peek()).toBe("now");
    expect(queue.size()).toBe(2);
    expect(queue.dequeue()).toBe("now");
    expect(queue.peek()).toBe("later");
  });

  test("an empty queue gives null", { tags: ["empty-null"] }, () => {
    const queue = new PriorityQueue<string>();
    expect(queue.dequeue()).toBeNull();
    expect(queue.peek()).toBeNull();
    queue.enqueue("only", 1);
    queue.dequeue();
    expect(queue.dequeue()).toBeNull();
    expect(queue.peek()).toBeNull();
  });

  test("falsy items come out unchanged and count in size", { tags: ["falsy"] }, () => {
    const queue = new PriorityQueue<unknown>();
    queue.enqueue(0, 3);
    queue.enqueue("", 2);
    queue.enqueue(false);
    expect(queue.size()).toBe(3);
    expect(queue.peek()).toBe(0);
    expect(drain(queue)).toEqual([0, "", false]);
  });

  test("an item comes out as the very object that went in", { tags: ["same-object"] }, () => {
    const queue = new PriorityQueue<{ id: number }>();
    const item = { id: 1 };
    queue.enqueue(item, 2);
    expect(queue.peek()).toBe(item);
    expect(queue.dequeue()).toBe(item);
  });

  test("the queue does not change an item object", { tags: ["inputs-unchanged"] }, () => {
    const queue = new PriorityQueue<object>();
    const email = { to: "ada@example.com", template: "password-reset" };
    const frozen = Object.freeze({ to: "bob@example.com", template: "newsletter" });
    queue.enqueue(email, 10);
    queue.enqueue(frozen, 1);
    expect(queue.dequeue()).toBe(email);
    expect(queue.dequeue()).toBe(frozen);
    expect(email).toStrictEqual({ to: "ada@example.com", template: "password-reset" });
  });

  test("size counts the items waiting", { tags: ["size"] }, () => {
    const queue = new PriorityQueue<string>();
    expect(queue.size()).toBe(0);
    queue.enqueue("a", 1);
    queue.enqueue("b");
    expect(queue.size()).toBe(2);
    queue.peek();
    queue.dequeue();
    expect(queue.size()).toBe(1);
  });

  test("two queues used together never share items", { tags: ["separate"] }, () => {
    const first = new PriorityQueue<string>();
    const second = new PriorityQueue<string>();
    first.enqueue("a1", 5);
    second.enqueue("b1", 5);
    expect(second.dequeue()).toBe("b1");
    second.enqueue("b2", 5);
    expect(first.size()).toBe(1);
    expect(first.dequeue()).toBe("a1");
    expect(first.dequeue()).toBeNull();
    first.enqueue("a2", 1);
    expect(first.peek()).toBe("a2");
    expect(second.peek()).toBe("b2");
    expect(second.size()).toBe(1);
  });

  test("a random mix of calls matches a simple reference", { tags: ["highest-first", "fifo-ties", "peek"] }, () => {
    const random = seededRandom(11);
    const queue = new PriorityQueue<number>();
    const priorities = [-2, -0, 0, 0.5, 1, 1, 3];
    const steps: Array<Step<PriorityQueue<number>>> = [];
    for (let step = 0; step < 2_000; step++) {
      const roll = random();
      if (roll < 0.5) steps.push(["enqueue", step, priorities[Math.floor(random() * priorities.length)] as number]);
      else steps.push(roll < 0.9 ? ["dequeue"] : ["peek"]);
    }
    const answers = runSteps(queue, steps);
    // The reference: an unsorted list, scanned for the best item; strictly greater keeps the oldest among equals.
    const model: Array<{ item: number; priority: number }> = [];
    const best = (): number => model.reduce((found, entry, index) => (found < 0 || entry.priority > (model[found]?.priority ?? 0) ? index : found), -1);
    const wrong: number[] = [];
    steps.forEach(([name, item, priority], index) => {
      if (name === "enqueue") return void model.push({ item: item as number, priority: priority as number });
      const at = best();
      const expected = at < 0 ? null : (model[at]?.item ?? null);
      if (name === "dequeue" && at >= 0) model.splice(at, 1);
      if (answers[index] !== expected) wrong.push(index);
    });
    expect(wrong.slice(0, 1)).toEqual([]);
  });

  test("enqueue and dequeue stay fast with many items waiting", { tags: ["speed"], timeout: 20_000 }, async () => {
    const waiting = 120_000;
    const result = await runWorkload("priority-queue-interleaved", exercise, { waiting, rounds: 30_000, budgetMs: 1_000, seed: 9 });
    expect(result.size).toBe(waiting);
    expect(result.bestIndex).toBe(0);
  });

  test("memory follows what the queue holds", { tags: ["memory"], timeout: 20_000 }, async () => {
    const result = await runWorkload("priority-queue-steady", exercise, { count: 40_000, backlog: 3, budgetMs: 1_000, seed: 13 });
    expect(result.firstOutOfOrder).toBe(-1);
    expect(result.retainedBytes).toBeLessThan(1_000_000);
  });
});

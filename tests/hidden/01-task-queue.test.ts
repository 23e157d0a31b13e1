import { describe, expect, test } from "vitest";
import * as exercise from "@exercise/01-task-queue/task-queue";
import { TaskQueue } from "@exercise/01-task-queue/task-queue";
import { runWorkload } from "../support/workload";
import { seededRandom } from "../support/random";
import { runSteps, type Step } from "../support/steps";
import { megabytes } from "../support/memory";

/**
 * Takes the queue up or down to each size in turn (enqueues of 0, 1, 2, …, or
 * dequeues), as one script, and returns what the dequeues returned. Partial
 * drains followed by refills make a ring buffer wrap around, then grow or
 * shrink while wrapped.
 */
function throughSizes(queue: TaskQueue<number>, sizes: number[]): Array<number | null> {
  const steps: Array<Step<TaskQueue<number>>> = [];
  let waiting = 0;
  let next = 0;
  for (const size of sizes) {
    for (; waiting < size; waiting++) steps.push(["enqueue", next++]);
    for (; waiting > size; waiting--) steps.push(["dequeue"]);
  }
  steps.push(["dequeue"]);
  return runSteps(queue, steps).filter((_, index) => steps[index]?.[0] === "dequeue") as Array<number | null>;
}

/** The index of the first dequeue that did not return 0, 1, 2, … in turn (the last one must be null), or -1. */
function firstOutOfOrder(out: Array<number | null>, waitingAtEnd: number): number {
  const expectedLast = waitingAtEnd > 0 ? out.length - 1 : null;
  for (let index = 0; index < out.length - 1; index++) if (out[index] !== index) return index;
  return out[out.length - 1] === expectedLast ? -1 : out.length - 1;
}

describe("TaskQueue", () => {
  test("dequeue returns tasks in the order they were enqueued", { tags: ["fifo"] }, () => {
    const queue = new TaskQueue<string>();
    for (const task of ["a", "b", "c", "d"]) queue.enqueue(task);
    const out = [queue.dequeue(), queue.dequeue(), queue.dequeue(), queue.dequeue()];
    expect(out, "dequeue should return the oldest task first (first in, first out)").toEqual(["a", "b", "c", "d"]);
  });

  test("dequeue on a new queue returns null", { tags: ["empty-null"] }, () => {
    const queue = new TaskQueue<number>();
    expect(queue.dequeue(), "dequeue on an empty queue should return null, not undefined or a throw").toBeNull();
  });

  test("dequeue returns null once every task has been taken", { tags: ["empty-null"] }, () => {
    const queue = new TaskQueue<number>();
    queue.enqueue(1);
    queue.enqueue(2);
    queue.dequeue();
    queue.dequeue();
    expect(queue.dequeue(), "dequeue on an emptied queue should return null").toBeNull();
    expect(queue.dequeue(), "dequeue should keep returning null while the queue is empty").toBeNull();
  });

  test("falsy tasks (0, empty string, false) come back out unchanged", { tags: ["falsy"] }, () => {
    const queue = new TaskQueue<unknown>();
    queue.enqueue(0);
    queue.enqueue("");
    queue.enqueue(false);
    queue.enqueue("last");
    const out = [queue.dequeue(), queue.dequeue(), queue.dequeue(), queue.dequeue()];
    expect(out, "0, \"\" and false are tasks like any other and must not be skipped or turned into null").toEqual([0, "", false, "last"]);
  });

  test("falsy tasks count towards size", { tags: ["falsy", "size"] }, () => {
    const queue = new TaskQueue<unknown>();
    queue.enqueue(0);
    queue.enqueue("");
    queue.enqueue(false);
    expect(queue.size(), "size should count falsy tasks").toBe(3);
  });

  test("a new queue has size 0", { tags: ["size"] }, () => {
    expect(new TaskQueue().size(), "a queue nobody has used yet holds no tasks").toBe(0);
  });

  test("size counts the waiting tasks as they come and go", { tags: ["size"] }, () => {
    const queue = new TaskQueue<number>();
    const sizes: number[] = [];
    queue.enqueue(1);
    queue.enqueue(2);
    queue.enqueue(3);
    sizes.push(queue.size());
    queue.dequeue();
    sizes.push(queue.size());
    queue.enqueue(4);
    sizes.push(queue.size());
    queue.dequeue();
    queue.dequeue();
    queue.dequeue();
    sizes.push(queue.size());
    expect(sizes, "size should go up on enqueue and down on dequeue").toEqual([3, 2, 3, 0]);
  });

  test("dequeue on an empty queue leaves size at 0", { tags: ["empty-null", "size"] }, () => {
    const queue = new TaskQueue<number>();
    queue.dequeue();
    queue.dequeue();
    expect(queue.size(), "dequeuing from an empty queue must not make size negative").toBe(0);
    queue.enqueue(7);
    expect(queue.size(), "a task enqueued after empty dequeues should count once").toBe(1);
    expect(queue.dequeue(), "the task enqueued after empty dequeues should come out").toBe(7);
  });

  test("enqueue and dequeue can be interleaved", { tags: ["fifo"] }, () => {
    const queue = new TaskQueue<number>();
    const out: Array<number | null> = [];
    queue.enqueue(1);
    queue.enqueue(2);
    out.push(queue.dequeue());
    queue.enqueue(3);
    out.push(queue.dequeue());
    queue.enqueue(4);
    queue.enqueue(5);
    out.push(queue.dequeue(), queue.dequeue(), queue.dequeue(), queue.dequeue());
    expect(out, "tasks enqueued between dequeues should still come out oldest first").toEqual([1, 2, 3, 4, 5, null]);
  });

  test("two queues never share tasks", { tags: ["separate"] }, () => {
    const first = new TaskQueue<string>();
    const second = new TaskQueue<string>();
    first.enqueue("first-only");
    expect(second.size(), "a task enqueued on one queue should not appear in another").toBe(0);
    expect(second.dequeue(), "a task enqueued on one queue should not be dequeued from another").toBeNull();
    expect(first.dequeue(), "the task should still be in the queue it was enqueued on").toBe("first-only");
  });

  test("tasks come back as the same objects, not copies", { tags: ["same-object"] }, () => {
    const queue = new TaskQueue<{ id: number }>();
    const task = { id: 1 };
    queue.enqueue(task);
    expect(queue.dequeue(), "dequeue should return the very object that was enqueued").toBe(task);
  });

  test("an array task comes out as the same array, not spread into its elements", { tags: ["any-value"] }, () => {
    const queue = new TaskQueue<unknown>();
    const batch = ["resize", "crop"];
    const empty: unknown[] = [];
    const nested = [[1, 2], [3]];
    queue.enqueue(batch);
    queue.enqueue(empty);
    queue.enqueue(nested);
    queue.enqueue("after the arrays");
    expect(queue.size(), "each array enqueued should count as one task").toBe(4);
    expect(queue.dequeue(), "dequeue should return the very array that was enqueued").toBe(batch);
    expect(queue.dequeue(), "an empty array is a task too, returned as the same array").toBe(empty);
    expect(queue.dequeue(), "an array of arrays should come out as the same array").toBe(nested);
    expect(queue.dequeue(), "the task after the arrays should come out next").toBe("after the arrays");
    expect(batch, "the array task should keep its elements").toStrictEqual(["resize", "crop"]);
  });

  test("undefined is a task like any other", { tags: ["any-value"] }, () => {
    const queue = new TaskQueue<unknown>();
    queue.enqueue("before");
    queue.enqueue(undefined);
    queue.enqueue("after");
    expect(queue.size(), "undefined should count as a waiting task").toBe(3);
    const out = [queue.dequeue(), queue.dequeue(), queue.dequeue(), queue.dequeue()];
    expect(out, "undefined should come out in its turn, as undefined, and null only once the queue is empty").toStrictEqual(["before", undefined, "after", null]);
    expect(queue.size(), "the queue should be empty after the undefined task has been taken").toBe(0);
  });

  test("a function task comes out as the same function", { tags: ["any-value"] }, () => {
    const queue = new TaskQueue<unknown>();
    const first = () => "first";
    const second = function namedTask() {
      return "second";
    };
    queue.enqueue(first);
    queue.enqueue(second);
    expect(queue.size(), "functions should count as waiting tasks").toBe(2);
    expect(queue.dequeue(), "dequeue should return the very function that was enqueued").toBe(first);
    expect(queue.dequeue(), "dequeue should return the very function that was enqueued").toBe(second);
  });

  test("tasks of every kind keep their order and identity", { tags: ["any-value", "same-object", "fifo"] }, () => {
    const queue = new TaskQueue<unknown>();
    const tasks: unknown[] = [{ id: 1 }, [1, 2, 3], undefined, () => 0, "text", 0, [], { nested: { deep: true } }, false, 12n, null];
    for (const task of tasks) queue.enqueue(task);
    expect(queue.size(), "size should count every task, whatever its kind").toBe(tasks.length);
    const out = tasks.map(() => queue.dequeue());
    const wrong = out.findIndex((task, index) => !Object.is(task, tasks[index]));
    expect(wrong, "every task should come out in its turn as the very value that went in (first wrong position)").toBe(-1);
  });

  test("a task object is not changed by enqueue or dequeue", { tags: ["inputs-unchanged"] }, () => {
    const queue = new TaskQueue<unknown>();
    const task = { type: "order-paid", orderId: 1042, customer: { email: "ada@example.com" }, lines: [{ sku: "A-1", quantity: 2 }] };
    const list = ["order-placed", "order-paid"];
    queue.enqueue(task);
    queue.enqueue(list);
    queue.enqueue({ type: "other" });
    expect(queue.dequeue(), "the task object should come out first, as the same object").toBe(task);
    expect(queue.dequeue(), "the array task should come out next, as the same array").toBe(list);
    queue.dequeue();
    expect(task, "the queue should not add, change or remove any field of a task object").toStrictEqual({
      type: "order-paid",
      orderId: 1042,
      customer: { email: "ada@example.com" },
      lines: [{ sku: "A-1", quantity: 2 }],
    });
    expect(list, "the queue should not change an array task").toStrictEqual(["order-placed", "order-paid"]);
  });

  test("a frozen task can be enqueued and dequeued", { tags: ["inputs-unchanged"] }, () => {
    const queue = new TaskQueue<unknown>();
    const task = Object.freeze({ type: "order-shipped", orderId: 7 });
    const list = Object.freeze(["a", "b"]);
    expect(() => queue.enqueue(task), "enqueue should accept a frozen task (it has no reason to write to it)").not.toThrow();
    expect(() => queue.enqueue(list), "enqueue should accept a frozen array task").not.toThrow();
    expect(queue.dequeue(), "the frozen task should come out unchanged").toBe(task);
    expect(queue.dequeue(), "the frozen array should come out unchanged").toBe(list);
  });

  test("two queues used together, interleaved, never share tasks", { tags: ["separate"] }, () => {
    const first = new TaskQueue<string>();
    const second = new TaskQueue<string>();
    const out: Array<string | null> = [];
    const sizes: number[] = [];
    // Both fill, both empty, then each is used while the other sits empty.
    first.enqueue("a1");
    second.enqueue("b1");
    first.enqueue("a2");
    out.push(second.dequeue(), first.dequeue(), first.dequeue(), second.dequeue());
    first.enqueue("a3");
    sizes.push(first.size(), second.size());
    out.push(second.dequeue());
    second.enqueue("b2");
    second.enqueue("b3");
    sizes.push(first.size(), second.size());
    out.push(first.dequeue(), first.dequeue(), second.dequeue());
    first.enqueue("a4");
    out.push(second.dequeue(), second.dequeue(), first.dequeue(), first.dequeue());
    sizes.push(first.size(), second.size());
    expect(out, "each queue should hand out only its own tasks, in its own order").toEqual(["b1", "a1", "a2", null, null, "a3", null, "b2", "b3", null, "a4", null]);
    expect(sizes, "each queue's size should count only its own tasks").toEqual([1, 0, 1, 2, 0, 0]);
  });

  test("the order holds while the storage wraps around, grows and shrinks", { tags: ["fifo"] }, () => {
    const queue = new TaskQueue<number>();
    // Fill to a power of two, drain to just above a fraction of it, refill a
    // little (so a ring buffer wraps around its end), then drain: whatever the
    // buffer's thresholds, it grows and shrinks while its tasks wrap around.
    const sizes = [7, 2, 13, 1, 40, 3, 100, 20, 600, 5, 1_500, 0];
    for (const capacity of [8, 16, 32, 64, 256, 1_024, 4_096]) {
      for (const fraction of [2, 3, 4, 8]) {
        const above = Math.floor(capacity / fraction) + 1;
        sizes.push(capacity, above, above + Math.max(2, capacity / 16), 1);
      }
    }
    sizes.push(3);
    const out = throughSizes(queue, sizes);
    expect(firstOutOfOrder(out, 3), "after filling, partly draining and refilling, tasks should still come out first in, first out (first wrong dequeue)").toBe(-1);
    expect(queue.size(), "size after the last dequeue").toBe(2);
  });

  test("random fills and drains keep first-in, first-out order", { tags: ["fifo"] }, () => {
    const random = seededRandom(4242);
    const queue = new TaskQueue<number>();
    // A random walk of sizes: each a random multiple (a fifth to twice) of the one before.
    const sizes: number[] = [];
    let size = 10;
    for (let round = 0; round < 400; round++) {
      size = Math.min(3_000, Math.max(0, Math.round(size * (0.2 + random() * 1.8) + random() * 6 - 2)));
      sizes.push(size);
    }
    sizes.push(0);
    const out = throughSizes(queue, sizes);
    expect(firstOutOfOrder(out, 0), "filling and draining to random sizes should keep first-in, first-out order (first wrong dequeue)").toBe(-1);
    expect(queue.size(), "a queue drained to empty should have size 0").toBe(0);
  });

  test("a queue keeps working after it has been emptied many times", { tags: ["fifo", "empty-null"] }, () => {
    const queue = new TaskQueue<number>();
    const out: Array<number | null> = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < round % 7 + 1; i++) queue.enqueue(next++);
      for (let i = 0; i < round % 7 + 1; i++) out.push(queue.dequeue());
      out.push(queue.dequeue());
    }
    const expected: Array<number | null> = [];
    let value = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < round % 7 + 1; i++) expected.push(value++);
      expected.push(null);
    }
    expect(out, "filling and emptying the queue repeatedly should keep first-in, first-out order").toEqual(expected);
    expect(queue.size(), "an emptied queue should have size 0").toBe(0);
  });

  test("long random mixes of enqueue and dequeue keep first-in, first-out order", { tags: ["fifo", "size"] }, () => {
    const random = seededRandom(2024);
    const queue = new TaskQueue<number>();
    // The steps first (a dequeue or an enqueue of the step's number, and size now and then), then every answer against the model.
    const steps: Array<Step<TaskQueue<number>>> = [];
    const stepOf: number[] = [];
    for (let step = 0; step < 20_000; step++) {
      steps.push(random() < 0.55 ? ["enqueue", step] : ["dequeue"]);
      stepOf.push(step);
      if (step % 97 === 0) {
        steps.push(["size"]);
        stepOf.push(step);
      }
    }
    const answers = runSteps(queue, steps);
    const model: number[] = [];
    let modelHead = 0;
    for (let index = 0; index < steps.length; index++) {
      const [name, task] = steps[index] as [string, number?];
      const step = stepOf[index] as number;
      if (name === "enqueue") {
        model.push(task as number);
      } else if (name === "dequeue") {
        const expected = modelHead < model.length ? (model[modelHead++] as number) : null;
        if (answers[index] !== expected) {
          expect(answers[index], `after ${step} random operations, dequeue returned the wrong task`).toBe(expected);
        }
      } else {
        expect(answers[index], `after ${step} random operations, size is wrong`).toBe(model.length - modelHead);
      }
    }
  });

  test("a million enqueues then a million dequeues take constant time each", { tags: ["speed"], timeout: 30_000 }, async () => {
    const count = 1_000_000;
    const result = await runWorkload("task-queue-drain", exercise, { count, budgetMs: 3_000, seed: 17 });
    expect(result.sizeAfterEnqueues, "size after a million enqueues").toBe(count);
    expect(result.firstOutOfOrder, "a million tasks should come out in the order they went in").toBe(-1);
    expect(result.emptyAfterwards, "the queue should be empty after a million dequeues").toBe(true);
  });

  test("a queue that stays short does not keep memory for the tasks that have passed through it", { tags: ["memory"], timeout: 30_000 }, async () => {
    const count = 2_000_000;
    const result = await runWorkload("task-queue-steady", exercise, { count, backlog: 3, budgetMs: 3_000, seed: 23 });
    expect(result.firstOutOfOrder, "tasks should come out in the order they went in").toBe(-1);
    expect(result.size, "three tasks should still be waiting").toBe(3);
    expect(
      result.retainedBytes,
      `after 2 million tasks passed through a queue that never held more than 4, it holds ${megabytes(result.retainedBytes)} more memory than before: ` +
        "the slots of dequeued tasks are never given back (compact the array once more than half of it is dead)",
    ).toBeLessThan(count * 2);
  });

  test("a queue emptied by dequeues alone keeps no hold on the tasks it handed out", { tags: ["memory"], timeout: 30_000 }, async () => {
    const count = 20_000;
    const result = await runWorkload("task-queue-lets-go", exercise, { count, payload: 500, budgetMs: 3_000, seed: 29 });
    expect(result.firstOutOfOrder, "tasks should come out in the order they went in").toBe(-1);
    expect(result.size, "the queue should be empty after as many dequeues as enqueues").toBe(0);
    expect(
      result.retainedBytes,
      `after 20,000 tasks of about 2 KB each were enqueued and then all dequeued, the empty queue holds ${megabytes(result.retainedBytes)} more memory than when it was new: ` +
        "it still refers to tasks it has handed out (clear a task's slot when it leaves, or compact on dequeue too, not only on enqueue)",
    ).toBeLessThan(8_000_000);
  });
});

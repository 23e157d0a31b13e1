// Public tests for module 01. Run them with `npm run exercise 01`.
// Each test names the rules it checks (its tags are the rule ids in your
// stub). The hidden tests that grade your work check the same rules with more
// cases, long random runs and a million tasks.
import { describe, expect, test } from "vitest";
import * as exercise from "@exercise/01-task-queue/task-queue";
import { TaskQueue } from "@exercise/01-task-queue/task-queue";
import { runWorkload } from "../support/workload";
import { runSteps, type Step } from "../support/steps";

describe("TaskQueue", () => {
  test("tasks come out in the order they went in", { tags: ["fifo"] }, () => {
    const queue = new TaskQueue<string>();
    queue.enqueue("send welcome email");
    queue.enqueue("resize avatar");
    expect(queue.dequeue()).toBe("send welcome email");
    queue.enqueue("charge card");
    expect(queue.dequeue()).toBe("resize avatar");
    expect(queue.dequeue()).toBe("charge card");
  });

  test("the order holds while the queue fills, drains part way and fills again", { tags: ["fifo"] }, () => {
    // Sizes the queue goes up or down to, one after the other: the partial
    // drains and refills make a ring buffer wrap around, then grow and shrink.
    const sizes = [7, 2, 13, 1, 40, 3, 100, 10, 300, 2, 70, 0];
    for (const capacity of [16, 64]) {
      for (const fraction of [2, 4]) sizes.push(capacity, capacity / fraction + 1, capacity / fraction + 5, 1);
    }
    const queue = new TaskQueue<number>();
    const steps: Array<Step<TaskQueue<number>>> = [];
    let waiting = 0;
    let next = 0;
    for (const size of sizes) {
      for (; waiting < size; waiting++) steps.push(["enqueue", next++]);
      for (; waiting > size; waiting--) steps.push(["dequeue"]);
    }
    const out = runSteps(queue, steps).filter((_, index) => steps[index]?.[0] === "dequeue");
    expect(out).toEqual(Array.from({ length: out.length }, (_, index) => index));
    expect(queue.size()).toBe(1);
  });

  test("an empty queue gives null", { tags: ["empty-null"] }, () => {
    const queue = new TaskQueue<string>();
    expect(queue.dequeue()).toBeNull();
    queue.enqueue("only");
    queue.dequeue();
    expect(queue.dequeue()).toBeNull();
    expect(queue.size()).toBe(0);
  });

  test("size counts the tasks waiting", { tags: ["size"] }, () => {
    const queue = new TaskQueue<number>();
    expect(queue.size()).toBe(0);
    queue.enqueue(1);
    queue.enqueue(2);
    expect(queue.size()).toBe(2);
    queue.dequeue();
    expect(queue.size()).toBe(1);
  });

  test("falsy tasks come out unchanged and count in size", { tags: ["falsy"] }, () => {
    const queue = new TaskQueue<unknown>();
    queue.enqueue(0);
    queue.enqueue("");
    queue.enqueue(false);
    expect(queue.size()).toBe(3);
    expect([queue.dequeue(), queue.dequeue(), queue.dequeue()]).toEqual([0, "", false]);
  });

  test("a task comes out as the very object that went in", { tags: ["same-object"] }, () => {
    const queue = new TaskQueue<{ id: number }>();
    const task = { id: 1 };
    queue.enqueue(task);
    expect(queue.dequeue()).toBe(task);
  });

  test("arrays, functions and undefined are tasks too", { tags: ["any-value"] }, () => {
    const queue = new TaskQueue<unknown>();
    const batch = ["a", "b"];
    const callback = () => "done";
    queue.enqueue(batch);
    queue.enqueue(undefined);
    queue.enqueue(callback);
    expect(queue.size()).toBe(3);
    expect(queue.dequeue()).toBe(batch);
    expect(queue.dequeue()).toBeUndefined();
    expect(queue.dequeue()).toBe(callback);
    expect(queue.dequeue()).toBeNull();
  });

  test("the queue does not change a task object", { tags: ["inputs-unchanged"] }, () => {
    const queue = new TaskQueue<object>();
    const task = { type: "order-paid", orderId: 1042 };
    const frozen = Object.freeze({ type: "order-shipped", orderId: 1042 });
    queue.enqueue(task);
    queue.enqueue(frozen);
    expect(queue.dequeue()).toBe(task);
    expect(queue.dequeue()).toBe(frozen);
    expect(task).toStrictEqual({ type: "order-paid", orderId: 1042 });
  });

  test("two queues used together never share tasks", { tags: ["separate"] }, () => {
    const first = new TaskQueue<string>();
    const second = new TaskQueue<string>();
    first.enqueue("a1");
    second.enqueue("b1");
    expect(first.dequeue()).toBe("a1");
    expect(second.dequeue()).toBe("b1");
    first.enqueue("a2");
    expect(second.size()).toBe(0);
    expect(second.dequeue()).toBeNull();
    second.enqueue("b2");
    expect(first.dequeue()).toBe("a2");
    expect(first.dequeue()).toBeNull();
    expect(second.dequeue()).toBe("b2");
  });

  test("dequeue stays fast with many tasks waiting", { tags: ["speed"], timeout: 20_000 }, async () => {
    const count = 300_000;
    const result = await runWorkload("task-queue-drain", exercise, { count, budgetMs: 1_000, seed: 7 });
    expect(result.firstOutOfOrder).toBe(-1);
    expect(result.emptyAfterwards).toBe(true);
  });

  test("memory follows what the queue holds", { tags: ["memory"], timeout: 20_000 }, async () => {
    const count = 300_000;
    // Tasks pass through a queue that holds three: memory must not grow with them.
    const steady = await runWorkload("task-queue-steady", exercise, { count, backlog: 3, budgetMs: 1_000, seed: 11 });
    expect(steady.firstOutOfOrder).toBe(-1);
    expect(steady.retainedBytes).toBeLessThan(count * 2);
    // A queue filled with tasks of about 2 KB each, then emptied by dequeues alone: it must not keep them alive.
    const emptied = await runWorkload("task-queue-lets-go", exercise, { count: 5_000, payload: 500, budgetMs: 1_000, seed: 13 });
    expect(emptied.firstOutOfOrder).toBe(-1);
    expect(emptied.retainedBytes).toBeLessThan(2_500_000);
  });
});

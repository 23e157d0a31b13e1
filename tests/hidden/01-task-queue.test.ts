import { describe, expect, test } from "vitest";
import * as exercise from "@exercise/01-task-queue/task-queue";
import { TaskQueue } from "@exercise/01-task-queue/task-queue";
import { runWorkload } from "../support/workload";
import { seededRandom } from "../support/random";
import { runSteps, type Step } from "../support/steps";
import { megabytes } from "../support/memory";

describe("TaskQueue", () => {
  test("dequeue returns tasks in the order they were enqueued", () => {
    const queue = new TaskQueue<string>();
    for (const task of ["a", "b", "c", "d"]) queue.enqueue(task);
    const out = [queue.dequeue(), queue.dequeue(), queue.dequeue(), queue.dequeue()];
    expect(out, "dequeue should return the oldest task first (first in, first out)").toEqual(["a", "b", "c", "d"]);
  });

  test("dequeue on a new queue returns null", () => {
    const queue = new TaskQueue<number>();
    expect(queue.dequeue(), "dequeue on an empty queue should return null, not undefined or a throw").toBeNull();
  });

  test("dequeue returns null once every task has been taken", () => {
    const queue = new TaskQueue<number>();
    queue.enqueue(1);
    queue.enqueue(2);
    queue.dequeue();
    queue.dequeue();
    expect(queue.dequeue(), "dequeue on an emptied queue should return null").toBeNull();
    expect(queue.dequeue(), "dequeue should keep returning null while the queue is empty").toBeNull();
  });

  test("falsy tasks (0, empty string, false) come back out unchanged", () => {
    const queue = new TaskQueue<unknown>();
    queue.enqueue(0);
    queue.enqueue("");
    queue.enqueue(false);
    queue.enqueue("last");
    const out = [queue.dequeue(), queue.dequeue(), queue.dequeue(), queue.dequeue()];
    expect(out, "0, \"\" and false are tasks like any other and must not be skipped or turned into null").toEqual([0, "", false, "last"]);
  });

  test("falsy tasks count towards size", () => {
    const queue = new TaskQueue<unknown>();
    queue.enqueue(0);
    queue.enqueue("");
    queue.enqueue(false);
    expect(queue.size(), "size should count falsy tasks").toBe(3);
  });

  test("a new queue has size 0", () => {
    expect(new TaskQueue().size(), "a queue nobody has used yet holds no tasks").toBe(0);
  });

  test("size counts the waiting tasks as they come and go", () => {
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

  test("dequeue on an empty queue leaves size at 0", () => {
    const queue = new TaskQueue<number>();
    queue.dequeue();
    queue.dequeue();
    expect(queue.size(), "dequeuing from an empty queue must not make size negative").toBe(0);
    queue.enqueue(7);
    expect(queue.size(), "a task enqueued after empty dequeues should count once").toBe(1);
    expect(queue.dequeue(), "the task enqueued after empty dequeues should come out").toBe(7);
  });

  test("enqueue and dequeue can be interleaved", () => {
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

  test("two queues never share tasks", () => {
    const first = new TaskQueue<string>();
    const second = new TaskQueue<string>();
    first.enqueue("first-only");
    expect(second.size(), "a task enqueued on one queue should not appear in another").toBe(0);
    expect(second.dequeue(), "a task enqueued on one queue should not be dequeued from another").toBeNull();
    expect(first.dequeue(), "the task should still be in the queue it was enqueued on").toBe("first-only");
  });

  test("tasks come back as the same objects, not copies", () => {
    const queue = new TaskQueue<{ id: number }>();
    const task = { id: 1 };
    queue.enqueue(task);
    expect(queue.dequeue(), "dequeue should return the very object that was enqueued").toBe(task);
  });

  test("a queue keeps working after it has been emptied many times", () => {
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

  test("long random mixes of enqueue and dequeue keep first-in, first-out order", () => {
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

  test("a million enqueues then a million dequeues take constant time each", { timeout: 30_000 }, async () => {
    const count = 1_000_000;
    const result = await runWorkload("task-queue-drain", exercise, { count, budgetMs: 3_000, seed: 17 });
    expect(result.sizeAfterEnqueues, "size after a million enqueues").toBe(count);
    expect(result.firstOutOfOrder, "a million tasks should come out in the order they went in").toBe(-1);
    expect(result.emptyAfterwards, "the queue should be empty after a million dequeues").toBe(true);
  });

  test("a queue that stays short does not keep memory for the tasks that have passed through it", { timeout: 30_000 }, async () => {
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
});

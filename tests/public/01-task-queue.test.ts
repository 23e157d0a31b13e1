// Public tests for module 01. Run them with `npm run exercise 01`.
// They show the happy path; the hidden tests that grade your work also check
// edge cases such as falsy tasks, separate queues and speed on a million tasks.
import { describe, expect, test } from "vitest";
import { TaskQueue } from "@exercise/01-task-queue/task-queue";

describe("TaskQueue", () => {
  test("tasks come out in the order they went in", () => {
    const queue = new TaskQueue<string>();
    queue.enqueue("send welcome email");
    queue.enqueue("resize avatar");
    expect(queue.dequeue()).toBe("send welcome email");
    expect(queue.dequeue()).toBe("resize avatar");
  });

  test("an empty queue gives null", () => {
    const queue = new TaskQueue<string>();
    expect(queue.dequeue()).toBeNull();
  });

  test("size counts the tasks waiting", () => {
    const queue = new TaskQueue<number>();
    queue.enqueue(1);
    queue.enqueue(2);
    expect(queue.size()).toBe(2);
    queue.dequeue();
    expect(queue.size()).toBe(1);
  });
});

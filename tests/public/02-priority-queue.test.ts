// Public tests for module 02. Run them with `npm run exercise 02`.
// They show the happy path; the hidden tests that grade your work also check
// ties, the default priority, negative and fractional priorities, invalid
// priorities, falsy items, separate queues and speed with hundreds of
// thousands of items.
import { describe, expect, test } from "vitest";
import { PriorityQueue } from "@exercise/02-priority-queue/priority-queue";

describe("PriorityQueue", () => {
  test("a higher priority is served first", () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue("send newsletter", 1);
    queue.enqueue("reset password", 10);
    queue.enqueue("resize avatar", 5);
    expect(queue.dequeue()).toBe("reset password");
    expect(queue.dequeue()).toBe("resize avatar");
    expect(queue.dequeue()).toBe("send newsletter");
  });

  test("equal priorities are served in arrival order", () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue("first", 3);
    queue.enqueue("second", 3);
    queue.enqueue("third", 3);
    expect(queue.dequeue()).toBe("first");
    expect(queue.dequeue()).toBe("second");
    expect(queue.dequeue()).toBe("third");
  });

  test("peek shows the next item without removing it", () => {
    const queue = new PriorityQueue<string>();
    queue.enqueue("later", 1);
    queue.enqueue("now", 2);
    expect(queue.peek()).toBe("now");
    expect(queue.size()).toBe(2);
    expect(queue.dequeue()).toBe("now");
  });

  test("an empty queue gives null", () => {
    const queue = new PriorityQueue<string>();
    expect(queue.dequeue()).toBeNull();
    expect(queue.peek()).toBeNull();
  });
});

import { instructorTodo } from "./code.ts";
import type { ModuleNames } from "./names.ts";

// The suites of the starter exercise. Each test names the rules it checks in
// its tags; the public suite checks every rule once, the hidden suite checks
// each with more cases and runs every line and branch of the solution. Hidden
// loops go through runSteps, so under the grader they cross to the
// submission's process in one round trip.

/** The public suite: one test per rule, so a student sees every rule fail before the hidden suite grades it. */
export function publicSuite({ id, number, file, className }: ModuleNames): string {
  const module = `@exercise/${id}/${file.replace(/\.ts$/, "")}`;
  return `// Public tests for module ${number}. Run them with \`npm run exercise ${number}\`.
// Each test names the rules it checks (its tags are the rule ids in your
// stub). The hidden tests that grade your work check the same rules with more
// cases and long random runs.
// ${instructorTodo}: the starter exercise's public tests; replace them with this module's, one or more per rule.
import { describe, expect, test } from "vitest";
import { ${className} } from "${module}";

describe("${className}", () => {
  test("items come out oldest first", { tags: ["fifo"] }, () => {
    const buffer = new ${className}<string>(3);
    buffer.put("first");
    buffer.put("second");
    expect(buffer.take()).toBe("first");
    buffer.put("third");
    buffer.put("fourth");
    expect([buffer.take(), buffer.take(), buffer.take()]).toEqual(["second", "third", "fourth"]);
  });

  test("a full buffer refuses a put with false and keeps what it holds", { tags: ["full"] }, () => {
    const buffer = new ${className}<string>(2);
    expect(buffer.put("a")).toBe(true);
    expect(buffer.put("b")).toBe(true);
    expect(buffer.put("c")).toBe(false);
    expect(buffer.size()).toBe(2);
    expect([buffer.take(), buffer.take()]).toEqual(["a", "b"]);
  });

  test("an empty buffer gives null", { tags: ["empty-null"] }, () => {
    const buffer = new ${className}<string>(1);
    expect(buffer.take()).toBeNull();
    buffer.put("only");
    buffer.take();
    expect(buffer.take()).toBeNull();
  });

  test("size counts the items held", { tags: ["size"] }, () => {
    const buffer = new ${className}<number>(2);
    expect(buffer.size()).toBe(0);
    buffer.put(1);
    buffer.put(2);
    buffer.put(3);
    expect(buffer.size()).toBe(2);
    buffer.take();
    expect(buffer.size()).toBe(1);
  });

  test("a capacity that is not a whole number of at least 1 throws a RangeError", { tags: ["capacity"] }, () => {
    for (const capacity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new ${className}(capacity), \`capacity \${capacity}\`).toThrow(RangeError);
    }
    expect(new ${className}(1).put("fits")).toBe(true);
  });

  test("falsy values and objects come out as they went in", { tags: ["any-value"] }, () => {
    const buffer = new ${className}<unknown>(5);
    const order = { id: 1042 };
    for (const item of [0, "", false, undefined, order]) buffer.put(item);
    expect(buffer.size()).toBe(5);
    expect([buffer.take(), buffer.take(), buffer.take(), buffer.take()]).toEqual([0, "", false, undefined]);
    expect(buffer.take()).toBe(order);
  });

  test("two buffers keep their own items", { tags: ["separate"] }, () => {
    const first = new ${className}<string>(1);
    const second = new ${className}<string>(1);
    first.put("one");
    expect(second.size()).toBe(0);
    expect(second.put("two")).toBe(true);
    expect(first.take()).toBe("one");
    expect(second.take()).toBe("two");
  });
});
`;
}

/** The hidden suite: every rule with more cases, a message on every assertion, and every line and branch of the solution run. */
export function hiddenSuite({ id, file, className }: ModuleNames): string {
  const module = `@exercise/${id}/${file.replace(/\.ts$/, "")}`;
  const C = className;
  return `// ${instructorTodo}: the starter exercise's hidden tests; replace them with this module's. Every expect
// carries a message naming the behaviour, which is what a student sees instead of the expected value.
import { describe, expect, test } from "vitest";
import { ${C} } from "${module}";
import { expectThrows } from "../support/errors";
import { seededRandom } from "../support/random";
import { runSteps, type Step } from "../support/steps";

/** Puts 0, 1, 2, … and takes, as one script, following the sizes in turn; returns what every call returned. */
function throughSizes(ring: ${C}<number>, sizes: number[]): unknown[] {
  const steps: Array<Step<${C}<number>>> = [];
  let held = 0;
  let next = 0;
  for (const size of sizes) {
    for (; held < size; held++) steps.push(["put", next++]);
    for (; held > size; held--) steps.push(["take"]);
  }
  return runSteps(ring, steps);
}

describe("${C}", () => {
  test("take hands items out in the order they were put", { tags: ["fifo"] }, () => {
    const ring = new ${C}<string>(4);
    for (const item of ["w", "x", "y", "z"]) ring.put(item);
    const out = [ring.take(), ring.take(), ring.take(), ring.take()];
    expect(out, "take should return the item put earliest first").toEqual(["w", "x", "y", "z"]);
  });

  test("the order holds while the ring wraps around many times", { tags: ["fifo"] }, () => {
    const ring = new ${C}<number>(3);
    const answers = throughSizes(ring, [3, 1, 3, 0, 2, 1, 3, 2, 3, 0, 3, 1, 2, 0]);
    const taken = answers.filter((answer) => typeof answer === "number");
    expect(taken, "items should come out in the order they went in, however the storage wraps").toEqual(taken.map((_, index) => index));
    expect(ring.size(), "every item should have been taken").toBe(0);
  });

  test("a long random mix of puts and takes matches a simple model", { tags: ["fifo", "full", "empty-null", "size"] }, () => {
    const random = seededRandom(1907);
    const capacity = 5;
    const ring = new ${C}<number>(capacity);
    const steps: Array<Step<${C}<number>>> = [];
    for (let step = 0; step < 3_000; step++) steps.push(random() < 0.5 ? ["put", step] : random() < 0.8 ? ["take"] : ["size"]);
    const answers = runSteps(ring, steps);
    const model: number[] = [];
    steps.forEach((step, index) => {
      const where = \`after \${index} random calls\`;
      if (step[0] === "put") {
        const fits = model.length < capacity;
        if (fits) model.push(step[1]);
        expect(answers[index], \`\${where}, put should return \${fits} (true while there is room, false when full)\`).toBe(fits);
      } else if (step[0] === "take") {
        expect(answers[index], \`\${where}, take should return the oldest item, or null when empty\`).toBe(model.shift() ?? null);
      } else {
        expect(answers[index], \`\${where}, size should count the items held\`).toBe(model.length);
      }
    });
  });

  test("take on a buffer that never held anything returns null", { tags: ["empty-null"] }, () => {
    expect(new ${C}<number>(2).take(), "an empty buffer should give null, not undefined or a throw").toBeNull();
  });

  test("take keeps returning null once the buffer is emptied, and size stays 0", { tags: ["empty-null", "size"] }, () => {
    const ring = new ${C}<number>(2);
    ring.put(7);
    ring.take();
    expect([ring.take(), ring.take()], "take should keep returning null while the buffer is empty").toEqual([null, null]);
    expect(ring.size(), "a take from an empty buffer must not make size negative").toBe(0);
    expect(ring.put(8), "a put after empty takes should be stored").toBe(true);
    expect(ring.take(), "the item put after empty takes should come out next").toBe(8);
  });

  test("put on a full buffer returns false and stores nothing", { tags: ["full"] }, () => {
    const ring = new ${C}<string>(2);
    ring.put("kept-1");
    ring.put("kept-2");
    expect(ring.put("refused"), "put on a full buffer should return false").toBe(false);
    expect(ring.size(), "a refused item should not count").toBe(2);
    expect([ring.take(), ring.take(), ring.take()], "a refused item should never come out").toEqual(["kept-1", "kept-2", null]);
  });

  test("a full buffer takes items again once one is taken", { tags: ["full", "fifo"] }, () => {
    const ring = new ${C}<string>(2);
    ring.put("a");
    ring.put("b");
    ring.take();
    expect(ring.put("c"), "after a take, a full buffer should have room for one more").toBe(true);
    expect(ring.put("d"), "the buffer should be full again").toBe(false);
    expect([ring.take(), ring.take()], "the item put after the take should come out behind the older one").toEqual(["b", "c"]);
  });

  test("a capacity of 1 holds one item at a time", { tags: ["capacity", "full"] }, () => {
    const ring = new ${C}<string>(1);
    expect(ring.put("one"), "a buffer of capacity 1 should take one item").toBe(true);
    expect(ring.put("two"), "a buffer of capacity 1 should refuse a second item").toBe(false);
    expect(ring.take(), "the one item held should come out").toBe("one");
    expect(ring.put("three"), "once emptied, a buffer of capacity 1 should take an item again").toBe(true);
  });

  test("capacities that are not whole numbers of at least 1 throw a RangeError", { tags: ["capacity"] }, () => {
    expectThrows(() => new ${C}(0), RangeError, "capacity 0 should throw a RangeError");
    expectThrows(() => new ${C}(-1), RangeError, "a negative capacity should throw a RangeError");
    expectThrows(() => new ${C}(1.5), RangeError, "a fractional capacity should throw a RangeError");
    expectThrows(() => new ${C}(Number.NaN), RangeError, "a NaN capacity should throw a RangeError");
    expectThrows(() => new ${C}(Number.POSITIVE_INFINITY), RangeError, "capacity Infinity should throw a RangeError");
  });

  test("a large capacity is accepted and filled to the brim", { tags: ["capacity", "full"] }, () => {
    const ring = new ${C}<number>(1_000);
    const answers = throughSizes(ring, [1_000]);
    expect(answers.every((answer) => answer === true), "every put up to the capacity should return true").toBe(true);
    expect(ring.put(1_000), "the put after the capacity is reached should return false").toBe(false);
    expect(ring.size(), "size should be the capacity").toBe(1_000);
  });

  test("size counts the items held as they come and go", { tags: ["size"] }, () => {
    const ring = new ${C}<number>(3);
    const sizes = [ring.size()];
    ring.put(1);
    ring.put(2);
    sizes.push(ring.size());
    ring.take();
    sizes.push(ring.size());
    ring.put(3);
    ring.put(4);
    ring.put(5);
    sizes.push(ring.size());
    expect(sizes, "size should start at 0, go up with each stored item and down with each take").toEqual([0, 2, 1, 3]);
  });

  test("falsy values and undefined are items, counted and returned unchanged", { tags: ["any-value", "size"] }, () => {
    const ring = new ${C}<unknown>(4);
    for (const item of [0, "", false, undefined]) ring.put(item);
    expect(ring.size(), "0, an empty string, false and undefined should each count as an item").toBe(4);
    const out = [ring.take(), ring.take(), ring.take(), ring.take()];
    expect(out, "falsy items should come out unchanged, in order").toEqual([0, "", false, undefined]);
    expect(ring.take(), "after the falsy items, the buffer should be empty").toBeNull();
  });

  test("objects come out as the very same objects, unchanged", { tags: ["any-value"] }, () => {
    const ring = new ${C}<object>(2);
    const order = { type: "order-paid", orderId: 1042 };
    const frozen = Object.freeze({ type: "order-shipped", orderId: 1042 });
    ring.put(order);
    ring.put(frozen);
    expect(ring.take(), "take should return the very object that was put, not a copy").toBe(order);
    expect(ring.take(), "a frozen object should be stored and returned too").toBe(frozen);
    expect(order, "the buffer should not change an item").toStrictEqual({ type: "order-paid", orderId: 1042 });
  });

  test("two buffers used together, interleaved, keep their own items and counts", { tags: ["separate", "full"] }, () => {
    const left = new ${C}<string>(1);
    const right = new ${C}<string>(2);
    left.put("L1");
    expect(right.size(), "an item put in one buffer should not count in another").toBe(0);
    expect(right.put("R1"), "another buffer's fullness should not matter").toBe(true);
    expect(left.put("L2"), "the first buffer should be full on its own").toBe(false);
    expect(right.put("R2"), "the second buffer should still have room").toBe(true);
    expect([left.take(), right.take(), left.take(), right.take()], "each buffer should hand out its own items").toEqual(["L1", "R1", null, "R2"]);
  });
});
`;
}

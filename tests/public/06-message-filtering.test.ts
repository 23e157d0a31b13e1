// Public tests for module 06. Run them with `npm run exercise 06`.
// Each test names, in its tags, the rules of the stub it checks. The hidden
// tests that grade your work check the same rules with more cases: every kind
// of condition, random policies, malformed policies of every shape, and more
// subscribers coming and going.
import { describe, expect, test } from "vitest";
import * as exercise from "@exercise/06-message-filtering/topic";
import { matchesPolicy, Topic, type Attributes, type FilterPolicy, type Message } from "@exercise/06-message-filtering/topic";
import { thrownBy } from "../support/errors";
import { runWorkload } from "../support/workload";

/** Malformed policies do not type-check, which is the point: cast them. */
const malformed = (policy: unknown): FilterPolicy => policy as FilterPolicy;

/** `run` must throw a TypeError whose message contains each of `words`. */
function expectTypeError(run: () => unknown, ...words: string[]): void {
  const thrown = thrownBy(run);
  expect(thrown).toBeInstanceOf(TypeError);
  for (const word of words) expect(String((thrown as Error).message)).toContain(word);
}

describe("matchesPolicy", () => {
  test("every key must match, and any value of a key will do", { tags: ["and-or"] }, () => {
    const policy: FilterPolicy = { customer_interests: ["rugby", "football"], store: ["example_corp"] };
    expect(matchesPolicy(policy, { customer_interests: "football", store: "example_corp" })).toBe(true);
    expect(matchesPolicy(policy, { customer_interests: "rugby", store: "example_corp", extra: 1 })).toBe(true);
    expect(matchesPolicy(policy, { customer_interests: "football", store: "other_corp" })).toBe(false);
    expect(matchesPolicy(policy, { customer_interests: "tennis", store: "example_corp" })).toBe(false);
    expect(matchesPolicy({}, {})).toBe(true);
    expect(matchesPolicy({}, { store: "example_corp" })).toBe(true);
  });

  test("plain values match only the same value of the same type", { tags: ["exact-type"] }, () => {
    expect(matchesPolicy({ price_usd: [100] }, { price_usd: 100 })).toBe(true);
    expect(matchesPolicy({ price_usd: ["100"] }, { price_usd: 100 })).toBe(false);
    expect(matchesPolicy({ price_usd: [100] }, { price_usd: "100" })).toBe(false);
    expect(matchesPolicy({ gift: ["true"] }, { gift: true })).toBe(false);
    expect(matchesPolicy({ flag: [1] }, { flag: true })).toBe(false);
    expect(matchesPolicy({ store: ["example_corp"] }, { store: "Example_Corp" })).toBe(false);
  });

  test("0 and -0 are the same number", { tags: ["negative-zero"] }, () => {
    expect(matchesPolicy({ n: [0] }, { n: -0 })).toBe(true);
    expect(matchesPolicy({ n: [-0] }, { n: 0 })).toBe(true);
    expect(matchesPolicy({ n: [{ "anything-but": 0 }] }, { n: -0 })).toBe(false);
    expect(matchesPolicy({ n: [{ numeric: ["=", 0] }] }, { n: -0 })).toBe(true);
  });

  test("only orders over $100", { tags: ["numeric"] }, () => {
    const policy: FilterPolicy = { price_usd: [{ numeric: [">", 100] }] };
    expect(matchesPolicy(policy, { price_usd: 210.75 })).toBe(true);
    expect(matchesPolicy(policy, { price_usd: 100 })).toBe(false);
    expect(matchesPolicy(policy, { price_usd: 42 })).toBe(false);
    expect(matchesPolicy(policy, { price_usd: "150" })).toBe(false);
    const range: FilterPolicy = { price_usd: [{ numeric: [">", 0, "<=", 150] }] };
    expect(matchesPolicy(range, { price_usd: 150 })).toBe(true);
    expect(matchesPolicy(range, { price_usd: 0 })).toBe(false);
    expect(matchesPolicy({ n: [{ numeric: ["<", 10] }] }, { n: 9.5 })).toBe(true);
    expect(matchesPolicy({ n: [{ numeric: ["<", 10] }] }, { n: 10 })).toBe(false);
    expect(matchesPolicy({ n: [{ numeric: [">=", 10] }] }, { n: 10 })).toBe(true);
    expect(matchesPolicy({ n: [{ numeric: [">=", 10] }] }, { n: 9.5 })).toBe(false);
    expect(matchesPolicy({ n: [{ numeric: ["<=", 10] }] }, { n: 10.5 })).toBe(false);
    expect(matchesPolicy({ n: [{ numeric: ["=", 10] }] }, { n: 10.5 })).toBe(false);
  });

  test("prefix matches strings that start with it", { tags: ["prefix"] }, () => {
    expect(matchesPolicy({ region: [{ prefix: "eu-" }] }, { region: "eu-west-1" })).toBe(true);
    expect(matchesPolicy({ region: [{ prefix: "eu-" }] }, { region: "us-east-1" })).toBe(false);
    expect(matchesPolicy({ code: [{ prefix: "12" }] }, { code: 1234 })).toBe(false);
  });

  test("anything-but needs a present attribute that is none of the values", { tags: ["anything-but", "missing"] }, () => {
    const policy: FilterPolicy = { state: [{ "anything-but": ["cancelled", "refunded"] }] };
    expect(matchesPolicy(policy, { state: "paid" })).toBe(true);
    expect(matchesPolicy(policy, { state: "refunded" })).toBe(false);
    expect(matchesPolicy(policy, {})).toBe(false);
    expect(matchesPolicy({ price: [{ "anything-but": "100" }] }, { price: 100 })).toBe(true);
  });

  test("exists, and a missing attribute", { tags: ["exists", "missing", "no-attributes"] }, () => {
    expect(matchesPolicy({ coupon: [{ exists: true }] }, { coupon: "SPRING10" })).toBe(true);
    expect(matchesPolicy({ coupon: [{ exists: true }] }, { other: "x" })).toBe(false);
    expect(matchesPolicy({ coupon: [{ exists: false }] }, { other: "x" })).toBe(true);
    expect(matchesPolicy({ coupon: [{ exists: false }] }, {})).toBe(true);
    expect(matchesPolicy({ coupon: [{ exists: false }] }, { coupon: "SPRING10" })).toBe(false);
    expect(matchesPolicy({ coupon: ["SPRING10"] }, {})).toBe(false);
  });

  test("0, empty string and false are present values", { tags: ["falsy-present"] }, () => {
    expect(matchesPolicy({ count: [0] }, { count: 0 })).toBe(true);
    expect(matchesPolicy({ note: [""] }, { note: "" })).toBe(true);
    expect(matchesPolicy({ gift: [false] }, { gift: false })).toBe(true);
    expect(matchesPolicy({ gift: [{ exists: false }] }, { gift: false })).toBe(false);
  });

  test("names like constructor are attributes only when the message has them", { tags: ["own-keys"] }, () => {
    expect(matchesPolicy({ constructor: [{ exists: false }] }, {})).toBe(true);
    expect(matchesPolicy({ toString: [{ exists: true }] }, { store: "fans" })).toBe(false);
    expect(matchesPolicy({ toString: ["x"] }, { toString: "x" })).toBe(true);
  });

  test("unknown operators are malformed, and the TypeError names the key and the operator", { tags: ["malformed-operator", "error-names-key"] }, () => {
    expectTypeError(() => matchesPolicy(malformed({ region: [{ prefx: "us-" }] }), { region: "us-east-1" }), "region", "prefx");
    expectTypeError(() => matchesPolicy(malformed({ price_usd: [{ numeric: ["!=", 5] }] }), { price_usd: 6 }), "price_usd", "!=");
    expectTypeError(() => matchesPolicy(malformed({ store: [{ "": 5 }] }), { store: "fans" }), "store");
    expectTypeError(() => matchesPolicy(malformed({ store: [{ toString: "fans" }] }), { store: "fans" }), "store", "toString");
  });

  test("bad condition lists, conditions and policies throw a TypeError", { tags: ["malformed-list", "malformed-shape", "malformed-policy", "error-names-key"] }, () => {
    expectTypeError(() => matchesPolicy(malformed({ store: [] }), { store: "fans" }), "store");
    expectTypeError(() => matchesPolicy(malformed({ store: "fans" }), { store: "fans" }), "store");
    expectTypeError(() => matchesPolicy(malformed({ price_usd: [{ numeric: [">", "100"] }] }), { price_usd: 500 }), "price_usd", "numeric");
    expectTypeError(() => matchesPolicy(malformed({ region: [{ prefix: "us-", exists: true }] }), { region: "us-east-1" }), "region");
    expectTypeError(() => matchesPolicy(malformed({ price_usd: [{ numeric: [">"] }] }), { price_usd: 5 }), "price_usd", "numeric");
    expectTypeError(() => matchesPolicy(malformed({ region: [{ prefix: 5 }] }), { region: "5" }), "region", "prefix");
    expectTypeError(() => matchesPolicy(malformed({ store: [{ exists: "yes" }] }), { store: "fans" }), "store", "exists");
    expectTypeError(() => matchesPolicy(malformed({ store: [{ "anything-but": ["a", null] }] }), { store: "fans" }), "store", "anything-but");
    expectTypeError(() => matchesPolicy(malformed({ store: [null] }), { store: "fans" }), "store");
    expectTypeError(() => matchesPolicy(malformed({ store: [["fans"]] }), { store: "fans" }), "store");
    expectTypeError(() => matchesPolicy(malformed(null), { store: "fans" }));
    expectTypeError(() => matchesPolicy(malformed(42), { store: "fans" }));
    expectTypeError(() => matchesPolicy(malformed([{ store: ["fans"] }]), { store: "fans" }));
  });

  test("an empty anything-but list is malformed", { tags: ["empty-anything-but"] }, () => {
    expectTypeError(() => matchesPolicy(malformed({ state: [{ "anything-but": [] }] }), { state: "paid" }), "state", "anything-but");
  });

  test("a numeric range is lower bound first, and NaN is never a value", { tags: ["malformed-range", "malformed-nan"] }, () => {
    expectTypeError(() => matchesPolicy(malformed({ price_usd: [{ numeric: ["<", 10, ">", 0] }] }), { price_usd: 5 }), "price_usd");
    expectTypeError(() => matchesPolicy(malformed({ price_usd: [{ numeric: [">", 0, "=", 10] }] }), { price_usd: 5 }), "price_usd");
    expectTypeError(() => matchesPolicy({ price_usd: [{ numeric: [">", Number.NaN] }] }, { price_usd: 5 }), "price_usd");
    expectTypeError(() => matchesPolicy({ price_usd: [Number.NaN] }, { price_usd: 5 }), "price_usd");
    expectTypeError(() => matchesPolicy({ price_usd: [{ "anything-but": [Number.NaN] }] }, { price_usd: 5 }), "price_usd");
  });

  test("a malformed policy throws whatever the attributes are", { tags: ["whole-policy"] }, () => {
    const typoLater = malformed({ store: ["example_corp"], region: [{ prefx: "us-" }] });
    expectTypeError(() => matchesPolicy(typoLater, { store: "other_corp" }), "region");
    expectTypeError(() => matchesPolicy(malformed({ store: ["fans", { suffix: "s" }] }), { store: "fans" }), "store");
  });
});

describe("Topic", () => {
  test("each subscriber receives the messages its filter matches", { tags: ["subscribe", "publish"] }, () => {
    const topic = new Topic<string>();
    const everything: string[] = [];
    const bigOrders: string[] = [];
    topic.subscribe((message) => everything.push(message.body));
    topic.subscribe((message) => bigOrders.push(message.body), { price_usd: [{ numeric: [">", 100] }] });

    expect(topic.publish("order 1", { price_usd: 35 })).toBe(1);
    expect(topic.publish("order 2", { price_usd: 250 })).toBe(2);
    expect(everything).toEqual(["order 1", "order 2"]);
    expect(bigOrders).toEqual(["order 2"]);
  });

  test("a predicate filter decides from the whole message", { tags: ["subscribe"] }, () => {
    const topic = new Topic<{ items: string[] }>();
    const received: string[][] = [];
    topic.subscribe(
      (message) => received.push(message.body.items),
      (message) => message.body.items.includes("gift card"),
    );
    expect(topic.publish({ items: ["book"] })).toBe(0);
    expect(topic.publish({ items: ["gift card"] })).toBe(1);
    expect(received).toEqual([["gift card"]]);
  });

  test("handlers run at once, in subscription order, with body and attributes", { tags: ["publish"] }, () => {
    const topic = new Topic<string>();
    const calls: string[] = [];
    const messages: Array<Message<string>> = [];
    topic.subscribe((message) => {
      calls.push("first");
      messages.push(message);
    });
    topic.subscribe(() => calls.push("second"));
    topic.subscribe(() => calls.push("third"));
    topic.publish("hello", { region: "eu-west-1" });
    topic.publish("bye");
    expect(calls).toEqual(["first", "second", "third", "first", "second", "third"]);
    expect(messages[0]?.body).toBe("hello");
    expect(messages[0]?.attributes).toEqual({ region: "eu-west-1" });
    expect(messages[1]?.attributes).toEqual({});
  });

  test("subscribe throws at once on a malformed policy and adds nothing", { tags: ["subscribe-rejects"] }, () => {
    const topic = new Topic<string>();
    const received: string[] = [];
    expectTypeError(() => topic.subscribe((message) => received.push(message.body), malformed({ region: [{ suffix: "-1" }] })), "region");
    expect(topic.publish("m", { region: "eu-west-1" })).toBe(0);
    expect(received).toEqual([]);
  });

  test("unsubscribe stops delivery", { tags: ["unsubscribe"] }, () => {
    const topic = new Topic<string>();
    const received: string[] = [];
    const unsubscribe = topic.subscribe((message) => received.push(message.body));
    topic.subscribe(() => undefined);
    topic.publish("before");
    unsubscribe();
    expect(topic.publish("after")).toBe(1);
    expect(received).toEqual(["before"]);
  });

  test("one handler subscribed twice is two subscriptions", { tags: ["same-handler-twice"] }, () => {
    const topic = new Topic<string>();
    const received: string[] = [];
    const handler = (message: Message<string>) => received.push(message.body);
    topic.subscribe(handler);
    const unsubscribeSecond = topic.subscribe(handler);
    expect(topic.publish("a")).toBe(2);
    unsubscribeSecond();
    expect(topic.publish("b")).toBe(1);
    expect(received).toEqual(["a", "a", "b"]);
  });

  test("a second call to unsubscribe changes nothing", { tags: ["unsubscribe-twice"] }, () => {
    const topic = new Topic<string>();
    const handler = () => undefined;
    const unsubscribeFirst = topic.subscribe(handler);
    topic.subscribe(handler);
    unsubscribeFirst();
    unsubscribeFirst();
    expect(topic.publish("m")).toBe(1);
  });

  test("a failing handler does not stop the others, and publish throws an AggregateError afterwards", { tags: ["handler-errors"] }, () => {
    const topic = new Topic<string>();
    const failure = new Error("billing is down");
    const received: string[] = [];
    topic.subscribe(() => {
      throw failure;
    });
    topic.subscribe((message) => received.push(message.body));
    const thrown = thrownBy(() => topic.publish("m"));
    expect(received).toEqual(["m"]);
    expect(thrown).toBeInstanceOf(AggregateError);
    expect((thrown as AggregateError).errors).toEqual([failure]);
    expect((thrown as AggregateError).errors[0]).toBe(failure);
  });

  test("a throwing predicate counts as its subscriber's failure, in subscription order", { tags: ["predicate-errors"] }, () => {
    const topic = new Topic<string>();
    const handlerError = new Error("handler failed");
    const predicateError = new Error("predicate failed");
    const calls: string[] = [];
    topic.subscribe(() => {
      throw handlerError;
    });
    topic.subscribe(
      () => calls.push("guarded"),
      () => {
        throw predicateError;
      },
    );
    topic.subscribe(() => calls.push("last"));
    const thrown = thrownBy(() => topic.publish("m"));
    expect(calls).toEqual(["last"]);
    expect(thrown).toBeInstanceOf(AggregateError);
    expect((thrown as AggregateError).errors).toEqual([handlerError, predicateError]);
  });

  test("the subscribers are fixed when publish starts", { tags: ["snapshot"] }, () => {
    const topic = new Topic<string>();
    const log: string[] = [];
    let unsubscribeSecond: () => void = () => undefined;
    let added = false;
    topic.subscribe((message) => {
      log.push(`first:${message.body}`);
      unsubscribeSecond();
      if (!added) {
        added = true;
        topic.subscribe((later) => log.push(`late:${later.body}`));
      }
    });
    unsubscribeSecond = topic.subscribe((message) => log.push(`second:${message.body}`));
    expect(topic.publish("one")).toBe(2);
    expect(topic.publish("two")).toBe(2);
    expect(log).toEqual(["first:one", "second:one", "first:two", "late:two"]);
  });

  test("a publish from a handler is delivered at once, and each publish keeps its own count and errors", { tags: ["reentrant"] }, () => {
    const topic = new Topic<string>();
    const log: string[] = [];
    const failure = new Error("inner failure");
    let innerCount = -1;
    let innerError: unknown;
    topic.subscribe((message) => {
      log.push(`A:${message.body}`);
      if (message.body !== "outer") return;
      topic.subscribe((later) => log.push(`C:${later.body}`));
      innerError = thrownBy(() => (innerCount = topic.publish("inner")));
    });
    topic.subscribe((message) => {
      log.push(`B:${message.body}`);
      if (message.body === "inner") throw failure;
    });
    const outerCount = topic.publish("outer");
    expect(log).toEqual(["A:outer", "A:inner", "B:inner", "C:inner", "B:outer"]);
    expect(outerCount).toBe(2);
    expect(innerCount).toBe(-1);
    expect(innerError).toBeInstanceOf(AggregateError);
    expect((innerError as AggregateError).errors).toEqual([failure]);
  });

  test("the policy, the attributes and the body stay as they were given", { tags: ["inputs-unchanged"] }, () => {
    const makePolicy = (): FilterPolicy => ({ state: [{ "anything-but": "cancelled" }], price_usd: [{ numeric: [">", 0, "<=", 150] }] });
    const makeAttributes = (): Attributes => ({ state: "paid", price_usd: 20 });
    const policy = makePolicy();
    const attributes = makeAttributes();
    const body = { orderId: 7, items: ["book"] };
    expect(matchesPolicy(policy, attributes)).toBe(true);
    const topic = new Topic<typeof body>();
    topic.subscribe(() => undefined, policy);
    topic.subscribe(() => undefined, { coupon: [{ exists: true }] });
    expect(topic.publish(body, attributes)).toBe(1);
    expect(policy).toStrictEqual(makePolicy());
    expect(attributes).toStrictEqual(makeAttributes());
    expect(body).toStrictEqual({ orderId: 7, items: ["book"] });
    // Still the caller's own object, not frozen: it can change it and publish it again.
    attributes["coupon"] = "SPRING10";
    expect(topic.publish(body, attributes)).toBe(2);
  });

  test("two topics used together keep their own subscribers", { tags: ["separate"] }, () => {
    const orders = new Topic<string>();
    const refunds = new Topic<string>();
    const log: string[] = [];
    orders.subscribe((message) => log.push(`orders:${message.body}`));
    refunds.subscribe((message) => log.push(`refunds:${message.body}`));
    expect(orders.publish("o1")).toBe(1);
    expect(refunds.publish("r1")).toBe(1);
    expect(log).toEqual(["orders:o1", "refunds:r1"]);
  });

  test("a topic lets go of subscriptions once they are unsubscribed, and of messages once published", { tags: ["memory"] }, async () => {
    const count = 20_000;
    const result = await runWorkload("topic-churn", exercise, { count, subscribers: 3, publishEvery: 10, budgetMs: 2_000, seed: 6 });
    expect(result.firstWrongCount).toBe(-1);
    expect(result.finalCount).toBe(3);
    // A topic that keeps what it has let go holds megabytes more; a correct one, next to nothing.
    expect(result.retainedBytes).toBeLessThan(1_000_000);
  });
});

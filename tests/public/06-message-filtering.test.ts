// Public tests for module 06. Run them with `npm run exercise 06`.
// They show the happy path; the hidden tests that grade your work also check
// every kind of condition, missing attributes, types ("100" is not 100),
// malformed policies, unsubscribing, and handlers that throw.
import { describe, expect, test } from "vitest";
import { matchesPolicy, Topic, type FilterPolicy } from "@exercise/06-message-filtering/topic";

describe("matchesPolicy", () => {
  test("only orders over $100", () => {
    const policy: FilterPolicy = { price_usd: [{ numeric: [">", 100] }] };
    expect(matchesPolicy(policy, { price_usd: 210.75 })).toBe(true);
    expect(matchesPolicy(policy, { price_usd: 100 })).toBe(false);
    expect(matchesPolicy(policy, { price_usd: 42 })).toBe(false);
  });

  test("every key must match, and any value of a key will do", () => {
    const policy: FilterPolicy = { customer_interests: ["rugby", "football"], store: ["example_corp"] };
    expect(matchesPolicy(policy, { customer_interests: "football", store: "example_corp" })).toBe(true);
    expect(matchesPolicy(policy, { customer_interests: "football", store: "other_corp" })).toBe(false);
    expect(matchesPolicy(policy, { customer_interests: "tennis", store: "example_corp" })).toBe(false);
  });

  test("a malformed policy throws a TypeError", () => {
    const typo = { region: [{ prefx: "us-" }] } as unknown as FilterPolicy;
    expect(() => matchesPolicy(typo, { region: "us-east-1" })).toThrow(TypeError);
  });
});

describe("Topic", () => {
  test("each subscriber receives the messages its filter matches", () => {
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

  test("unsubscribe stops delivery", () => {
    const topic = new Topic<string>();
    const received: string[] = [];
    const unsubscribe = topic.subscribe((message) => received.push(message.body));
    topic.publish("before");
    unsubscribe();
    expect(topic.publish("after")).toBe(0);
    expect(received).toEqual(["before"]);
  });
});

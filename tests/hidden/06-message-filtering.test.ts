import { describe, expect, test } from "vitest";
import { expectThrows, thrownBy } from "../support/errors";
import * as exercise from "@exercise/06-message-filtering/topic";
import { matchesPolicy, Topic, type Attributes, type AttributeValue, type FilterPolicy, type Message } from "@exercise/06-message-filtering/topic";
import { seededRandom } from "../support/random";
import { callEach } from "../support/steps";
import { runWorkload } from "../support/workload";
import { megabytes } from "../support/memory";

/** Malformed policies do not type-check, which is the point: cast them. */
const malformed = (policy: unknown): FilterPolicy => policy as FilterPolicy;

/** Runs `run` and returns what it threw, or undefined. */
/**
 * Checks that `run` throws a TypeError whose message names the bad key and,
 * when one is at fault, the operator (the lesson and stub ask for both, so a
 * long policy is easy to fix).
 */
function expectTypeErrorNaming(run: () => unknown, key: string, what: string, operator?: string): void {
  const thrown = expectThrows(run, TypeError, `${what} should throw a TypeError`);
  expect(String(thrown.message), `${what}: the TypeError's message should contain the bad key "${key}"`).toContain(key);
  if (operator !== undefined) expect(String(thrown.message), `${what}: the TypeError's message should name the operator "${operator}"`).toContain(operator);
}

function check(policy: FilterPolicy, attributes: Attributes): boolean {
  return matchesPolicy(policy, attributes);
}

describe("matchesPolicy", () => {
  describe("exact values", () => {
    test("a plain value matches an equal value of the same type, and strings are case-sensitive", { tags: ["exact-type"] }, () => {
      expect(check({ store: ["example_corp"] }, { store: "example_corp" }), "a string condition should match the same string").toBe(true);
      expect(check({ store: ["example_corp"] }, { store: "example" }), "a string condition should not match a different string").toBe(false);
      expect(check({ store: ["example_corp"] }, { store: "Example_Corp" }), "string matching should be case-sensitive").toBe(false);
      expect(check({ quantity: [3] }, { quantity: 3 }), "a number condition should match an equal number").toBe(true);
      expect(check({ quantity: [3] }, { quantity: 4 }), "a number condition should not match a different number").toBe(false);
      expect(check({ gift: [true] }, { gift: true }), "a boolean condition should match the same boolean").toBe(true);
      expect(check({ gift: [true] }, { gift: false }), "a boolean condition should not match the other boolean").toBe(false);
    });

    test("\"100\" does not equal 100 and \"true\" does not equal true", { tags: ["exact-type"] }, () => {
      expect(check({ price_usd: ["100"] }, { price_usd: 100 }), "the string \"100\" should not match the number 100").toBe(false);
      expect(check({ price_usd: [100] }, { price_usd: "100" }), "the number 100 should not match the string \"100\"").toBe(false);
      expect(check({ gift: ["true"] }, { gift: true }), "the string \"true\" should not match the boolean true").toBe(false);
      expect(check({ gift: [true] }, { gift: "true" }), "the boolean true should not match the string \"true\"").toBe(false);
      expect(check({ flag: [1] }, { flag: true }), "the number 1 should not match the boolean true").toBe(false);
      expect(check({ flag: [0] }, { flag: false }), "the number 0 should not match the boolean false").toBe(false);
      expect(check({ note: [""] }, { note: 0 }), "an empty string should not match the number 0").toBe(false);
    });

    test("falsy attribute values (0, empty string, false) are present and can match", { tags: ["falsy-present"] }, () => {
      expect(check({ count: [0] }, { count: 0 }), "the condition 0 should match the attribute 0").toBe(true);
      expect(check({ note: [""] }, { note: "" }), "the condition \"\" should match the attribute \"\"").toBe(true);
      expect(check({ gift: [false] }, { gift: false }), "the condition false should match the attribute false").toBe(true);
      expect(check({ count: [{ numeric: ["=", 0] }] }, { count: 0 }), "numeric = 0 should match the attribute 0").toBe(true);
      expect(check({ count: [{ exists: true }] }, { count: 0 }), "exists true should count 0 as present").toBe(true);
      expect(check({ note: [{ exists: true }] }, { note: "" }), "exists true should count \"\" as present").toBe(true);
      expect(check({ gift: [{ exists: false }] }, { gift: false }), "exists false should not match an attribute whose value is false").toBe(false);
    });
  });

  describe("combining conditions", () => {
    test("one matching condition in a key's list is enough (OR within a key)", { tags: ["and-or"] }, () => {
      const policy: FilterPolicy = { customer_interests: ["rugby", "football", "baseball"] };
      expect(check(policy, { customer_interests: "rugby" }), "the first value in the list should match").toBe(true);
      expect(check(policy, { customer_interests: "baseball" }), "the last value in the list should match").toBe(true);
      expect(check(policy, { customer_interests: "tennis" }), "a value in none of the conditions should not match").toBe(false);
      const mixed: FilterPolicy = { region: ["ap-south-1", { prefix: "eu-" }, { numeric: ["<", 0] }] };
      expect(check(mixed, { region: "eu-west-1" }), "a list may mix kinds of condition, and the prefix one should match").toBe(true);
      expect(check(mixed, { region: -5 }), "a list may mix kinds of condition, and the numeric one should match").toBe(true);
      expect(check(mixed, { region: "us-east-1" }), "a value no condition of the list accepts should not match").toBe(false);
    });

    test("every key in the policy must match (AND across keys)", { tags: ["and-or", "missing"] }, () => {
      const policy: FilterPolicy = { customer_interests: ["rugby"], price_usd: [{ numeric: [">", 100] }] };
      expect(check(policy, { customer_interests: "rugby", price_usd: 210.75 }), "a message matching both keys should match").toBe(true);
      expect(check(policy, { customer_interests: "rugby", price_usd: 50 }), "a message failing the second key should not match").toBe(false);
      expect(check(policy, { customer_interests: "soccer", price_usd: 210.75 }), "a message failing the first key should not match").toBe(false);
      expect(check(policy, { customer_interests: "rugby" }), "a message missing one of the keys should not match").toBe(false);
    });

    test("the empty policy matches everything, and attributes the policy does not name are ignored", { tags: ["and-or"] }, () => {
      expect(check({}, {}), "the empty policy should match a message without attributes").toBe(true);
      expect(check({}, { store: "example_corp", price_usd: 5 }), "the empty policy should match a message with attributes").toBe(true);
      expect(
        check({ store: ["example_corp"] }, { store: "example_corp", event: "order_placed", price_usd: 5, gift: false }),
        "attributes that the policy does not name should not stop a match",
      ).toBe(true);
    });
  });

  describe("numeric conditions", () => {
    test("a single comparison supports =, <, <=, > and >= with exact boundaries", { tags: ["numeric"] }, () => {
      expect(check({ p: [{ numeric: [">", 100] }] }, { p: 100 }), "> 100 should not match 100").toBe(false);
      expect(check({ p: [{ numeric: [">", 100] }] }, { p: 100.01 }), "> 100 should match 100.01").toBe(true);
      expect(check({ p: [{ numeric: [">=", 100] }] }, { p: 100 }), ">= 100 should match 100").toBe(true);
      expect(check({ p: [{ numeric: [">=", 100] }] }, { p: 99.99 }), ">= 100 should not match 99.99").toBe(false);
      expect(check({ p: [{ numeric: ["<", 0] }] }, { p: 0 }), "< 0 should not match 0").toBe(false);
      expect(check({ p: [{ numeric: ["<", 0] }] }, { p: -1 }), "< 0 should match -1").toBe(true);
      expect(check({ p: [{ numeric: ["<=", 0] }] }, { p: 0 }), "<= 0 should match 0").toBe(true);
      expect(check({ p: [{ numeric: ["<=", 0] }] }, { p: 0.5 }), "<= 0 should not match 0.5").toBe(false);
      expect(check({ p: [{ numeric: ["=", 301.5] }] }, { p: 3.015e2 }), "= 301.5 should match 301.5").toBe(true);
      expect(check({ p: [{ numeric: ["=", 301.5] }] }, { p: 301 }), "= 301.5 should not match 301").toBe(false);
    });

    test("a range of two comparisons matches only numbers that satisfy both", { tags: ["numeric"] }, () => {
      const range: FilterPolicy = { p: [{ numeric: [">", 0, "<=", 150] }] };
      expect(check(range, { p: 0 }), "(0, 150] should not match 0").toBe(false);
      expect(check(range, { p: 0.001 }), "(0, 150] should match 0.001").toBe(true);
      expect(check(range, { p: 75 }), "(0, 150] should match 75").toBe(true);
      expect(check(range, { p: 150 }), "(0, 150] should match 150").toBe(true);
      expect(check(range, { p: 150.5 }), "(0, 150] should not match 150.5").toBe(false);
      expect(check(range, { p: -20 }), "(0, 150] should not match -20").toBe(false);
      const halfOpen: FilterPolicy = { p: [{ numeric: [">=", 10, "<", 20] }] };
      expect(check(halfOpen, { p: 10 }), "[10, 20) should match 10").toBe(true);
      expect(check(halfOpen, { p: 20 }), "[10, 20) should not match 20").toBe(false);
    });

    test("numeric conditions match only number attributes", { tags: ["numeric"] }, () => {
      expect(check({ p: [{ numeric: [">", 100] }] }, { p: "150" }), "numeric > 100 should not match the string \"150\"").toBe(false);
      expect(check({ p: [{ numeric: [">", 0] }] }, { p: true }), "numeric > 0 should not match the boolean true").toBe(false);
      expect(check({ p: [{ numeric: ["=", 0] }] }, { p: false }), "numeric = 0 should not match the boolean false").toBe(false);
      expect(check({ p: [{ numeric: ["<", 10] }] }, { p: "" }), "numeric < 10 should not match an empty string").toBe(false);
      expect(check({ p: [{ numeric: [">=", 0, "<", 10] }] }, { p: "5" }), "a numeric range should not match the string \"5\"").toBe(false);
    });
  });

  describe("prefix conditions", () => {
    test("prefix matches only string attributes that start with it, case-sensitively", { tags: ["prefix"] }, () => {
      const policy: FilterPolicy = { region: [{ prefix: "us-" }] };
      expect(check(policy, { region: "us-east-1" }), "prefix us- should match us-east-1").toBe(true);
      expect(check(policy, { region: "us-" }), "a string equal to the prefix starts with it").toBe(true);
      expect(check(policy, { region: "eu-west-1" }), "prefix us- should not match eu-west-1").toBe(false);
      expect(check(policy, { region: "US-EAST-1" }), "prefix matching should be case-sensitive").toBe(false);
      expect(check(policy, { region: "virginia-us-east" }), "prefix should only match at the start of the string").toBe(false);
      expect(check({ code: [{ prefix: "12" }] }, { code: 1234 }), "prefix should not match a number attribute").toBe(false);
      expect(check({ gift: [{ prefix: "tr" }] }, { gift: true }), "prefix should not match a boolean attribute").toBe(false);
    });
  });

  describe("anything-but conditions", () => {
    test("anything-but matches a present value that is none of the listed ones", { tags: ["anything-but"] }, () => {
      expect(check({ state: [{ "anything-but": "cancelled" }] }, { state: "paid" }), "anything-but a single value should match another value").toBe(true);
      expect(check({ state: [{ "anything-but": "cancelled" }] }, { state: "cancelled" }), "anything-but a single value should not match that value").toBe(false);
      const list: FilterPolicy = { state: [{ "anything-but": ["cancelled", "refunded"] }] };
      expect(check(list, { state: "paid" }), "anything-but a list should match a value not in the list").toBe(true);
      expect(check(list, { state: "refunded" }), "anything-but a list should not match a value in the list").toBe(false);
      const numbers: FilterPolicy = { price: [{ "anything-but": [100, 500] }] };
      expect(check(numbers, { price: 100.1 }), "anything-but [100, 500] should match 100.1").toBe(true);
      expect(check(numbers, { price: 500 }), "anything-but [100, 500] should not match 500").toBe(false);
    });

    test("anything-but compares type as well as value", { tags: ["anything-but"] }, () => {
      expect(check({ price: [{ "anything-but": ["100"] }] }, { price: 100 }), "anything-but \"100\" should match the number 100, which is not \"100\"").toBe(true);
      expect(check({ price: [{ "anything-but": [100] }] }, { price: "100" }), "anything-but 100 should match the string \"100\"").toBe(true);
      expect(check({ gift: [{ "anything-but": "true" }] }, { gift: true }), "anything-but \"true\" should match the boolean true").toBe(true);
      expect(check({ gift: [{ "anything-but": true }] }, { gift: true }), "anything-but true should not match the boolean true").toBe(false);
    });

    test("anything-but does not match a missing attribute", { tags: ["anything-but", "missing"] }, () => {
      expect(check({ state: [{ "anything-but": "cancelled" }] }, {}), "anything-but needs the attribute to be present").toBe(false);
      expect(
        check({ state: [{ "anything-but": ["cancelled"] }] }, { other: "cancelled" }),
        "anything-but needs the attribute itself to be present, not just other attributes",
      ).toBe(false);
      expect(
        check({ state: [{ "anything-but": "cancelled" }, { exists: false }] }, {}),
        "to also accept a missing attribute, a policy adds exists false to the list",
      ).toBe(true);
    });
  });

  describe("exists and missing attributes", () => {
    test("a missing attribute fails every condition except exists false", { tags: ["missing", "exists"] }, () => {
      const missing: Attributes = { unrelated: "x" };
      expect(check({ store: ["example_corp"] }, missing), "a string condition should not match a missing attribute").toBe(false);
      expect(check({ count: [0] }, missing), "the condition 0 should not match a missing attribute").toBe(false);
      expect(check({ gift: [false] }, missing), "the condition false should not match a missing attribute").toBe(false);
      expect(check({ store: [""] }, missing), "the condition \"\" should not match a missing attribute").toBe(false);
      expect(check({ p: [{ numeric: ["<", 100] }] }, missing), "a numeric condition should not match a missing attribute").toBe(false);
      expect(check({ region: [{ prefix: "us-" }] }, missing), "a prefix condition should not match a missing attribute").toBe(false);
      expect(check({ store: [{ exists: true }] }, missing), "exists true should not match a missing attribute").toBe(false);
      expect(check({ store: [{ exists: false }] }, missing), "exists false should match a missing attribute").toBe(true);
    });

    test("exists true matches any present value and exists false only a missing one", { tags: ["exists", "no-attributes"] }, () => {
      for (const value of ["fans", 7, true] as AttributeValue[]) {
        expect(check({ store: [{ exists: true }] }, { store: value }), `exists true should match the present value ${JSON.stringify(value)}`).toBe(true);
        expect(check({ store: [{ exists: false }] }, { store: value }), `exists false should not match the present value ${JSON.stringify(value)}`).toBe(false);
      }
      expect(check({ store: [{ exists: false }] }, {}), "exists false should match when the message has no attributes at all").toBe(true);
      const eitherWay: FilterPolicy = { store: [{ exists: false }, "fans"] };
      expect(check(eitherWay, {}), "[exists false, \"fans\"] should match a missing store").toBe(true);
      expect(check(eitherWay, { store: "fans" }), "[exists false, \"fans\"] should match store \"fans\"").toBe(true);
      expect(check(eitherWay, { store: "other" }), "[exists false, \"fans\"] should not match another store").toBe(false);
    });
  });

  describe("values at the edges", () => {
    test("-0 and 0 are the same number for plain values, anything-but and numeric conditions", { tags: ["negative-zero"] }, () => {
      expect(check({ n: [0] }, { n: -0 }), "the condition 0 should match the attribute -0").toBe(true);
      expect(check({ n: [-0] }, { n: 0 }), "the condition -0 should match the attribute 0").toBe(true);
      expect(check({ n: [1, 0] }, { n: -0 }), "the condition 0 later in a list should match the attribute -0").toBe(true);
      expect(check({ n: [{ "anything-but": 0 }] }, { n: -0 }), "anything-but 0 should not match the attribute -0").toBe(false);
      expect(check({ n: [{ "anything-but": [-0] }] }, { n: 0 }), "anything-but [-0] should not match the attribute 0").toBe(false);
      expect(check({ n: [{ "anything-but": [5, 0] }] }, { n: -0 }), "anything-but [5, 0] should not match the attribute -0").toBe(false);
      expect(check({ n: [{ numeric: ["=", 0] }] }, { n: -0 }), "numeric = 0 should match the attribute -0").toBe(true);
      expect(check({ n: [{ numeric: ["=", -0] }] }, { n: 0 }), "numeric = -0 should match the attribute 0").toBe(true);
      expect(check({ n: [{ numeric: ["<", 0] }] }, { n: -0 }), "numeric < 0 should not match the attribute -0").toBe(false);
      expect(check({ n: [{ numeric: [">=", 0, "<=", 0] }] }, { n: -0 }), "the range [0, 0] should match the attribute -0").toBe(true);
      expect(check({ n: [{ exists: true }] }, { n: -0 }), "exists true should count -0 as present").toBe(true);
    });

    test("an attribute is present only as an own property, whatever its name", { tags: ["own-keys", "missing"] }, () => {
      expect(check({ constructor: [{ exists: false }] }, {}), "{} has no constructor attribute, so exists false should match").toBe(true);
      expect(check({ constructor: [{ exists: true }] }, { store: "fans" }), "an inherited constructor is not an attribute, so exists true should not match").toBe(false);
      expect(check({ toString: [{ "anything-but": "x" }] }, {}), "an inherited toString is not an attribute, so anything-but should not match").toBe(false);
      expect(check({ valueOf: [{ exists: false }], hasOwnProperty: [{ exists: false }] }, { store: "fans" }), "inherited valueOf and hasOwnProperty are not attributes").toBe(true);
      expect(check({ toString: ["x"] }, { toString: "x" }), "an attribute named toString should match like any other").toBe(true);
      expect(check({ constructor: [{ prefix: "Obj" }] }, { constructor: "Object" }), "an attribute named constructor should match like any other").toBe(true);
      expect(check({ hasOwnProperty: ["yes"] }, { hasOwnProperty: "yes" }), "an attribute named hasOwnProperty should match like any other").toBe(true);
      expect(check({ store: ["fans"] }, { hasOwnProperty: "no", store: "fans" }), "an attribute named hasOwnProperty should not get in the way of the others").toBe(true);
      expect(check({ valueOf: [{ exists: true }] }, { valueOf: 0 }), "an attribute named valueOf with the value 0 is present").toBe(true);
    });
  });

  test("random policies and attributes follow the SNS rules", { tags: ["and-or", "exact-type", "numeric", "prefix", "anything-but", "exists", "missing", "falsy-present"] }, () => {
    const random = seededRandom(606);
    const pick = <V>(items: readonly V[]): V => items[Math.floor(random() * items.length)] as V;
    const strings = ["red", "re", "redder", "blue", "100", "", "Red"];
    const numbers = [0, 5, 99.5, 100, 150, -3];
    const values: AttributeValue[] = [...strings, ...numbers, true, false];
    const prefixes = ["re", "r", "b", "1", "R"];
    const lowerOps = [">", ">="] as const;
    const upperOps = ["<", "<="] as const;
    const ops = ["=", "<", "<=", ">", ">="] as const;

    type Model = (present: boolean, value: AttributeValue | undefined) => boolean;
    const compare = (op: string, value: number, bound: number): boolean =>
      op === "=" ? value === bound : op === "<" ? value < bound : op === "<=" ? value <= bound : op === ">" ? value > bound : value >= bound;

    const randomCondition = (): [FilterPolicy[string][number], Model] => {
      const kind = Math.floor(random() * 7);
      if (kind === 0) {
        const value = pick(values);
        return [value, (present, actual) => present && actual === value];
      }
      if (kind === 1) {
        const op = pick(ops);
        const bound = pick(numbers);
        return [{ numeric: [op, bound] }, (present, actual) => present && typeof actual === "number" && compare(op, actual, bound)];
      }
      if (kind === 2) {
        const lowOp = pick(lowerOps);
        const highOp = pick(upperOps);
        // Lower bound strictly below the upper one: whether an empty range is an error is left open.
        const first = pick(numbers);
        const second = pick(numbers.filter((n) => n !== first));
        const low = Math.min(first, second);
        const high = Math.max(first, second);
        return [
          { numeric: [lowOp, low, highOp, high] },
          (present, actual) => present && typeof actual === "number" && compare(lowOp, actual, low) && compare(highOp, actual, high),
        ];
      }
      if (kind === 3) {
        const prefix = pick(prefixes);
        return [{ prefix }, (present, actual) => present && typeof actual === "string" && actual.startsWith(prefix)];
      }
      if (kind === 4) {
        const excluded = [pick(values)];
        if (random() < 0.5) excluded.push(pick(values));
        const single = excluded.length === 1 && random() < 0.5;
        return [{ "anything-but": single ? (excluded[0] as AttributeValue) : excluded }, (present, actual) => present && !excluded.includes(actual as AttributeValue)];
      }
      const exists = random() < 0.5;
      return [{ exists }, (present) => present === exists];
    };

    const keys = ["a", "b", "c"];
    let matches = 0;
    const cases = 3_000;
    // The cases first, with the same random draws as one loop would make; then every answer against its model.
    const calls: Array<[FilterPolicy, Attributes]> = [];
    const expectations: boolean[] = [];
    for (let round = 0; round < cases; round++) {
      const policy: FilterPolicy = {};
      const models: Array<{ key: string; conditions: Model[] }> = [];
      for (const key of keys) {
        if (random() < 0.45) continue;
        const conditions: FilterPolicy[string] = [];
        const conditionModels: Model[] = [];
        const count = 1 + Math.floor(random() * 3);
        for (let index = 0; index < count; index++) {
          const [condition, model] = randomCondition();
          conditions.push(condition);
          conditionModels.push(model);
        }
        policy[key] = conditions;
        models.push({ key, conditions: conditionModels });
      }
      const attributes: Attributes = {};
      for (const key of keys) if (random() < 0.75) attributes[key] = pick(values);

      const expected = models.every(({ key, conditions }) => {
        const present = Object.hasOwn(attributes, key);
        return conditions.some((model) => model(present, attributes[key]));
      });
      if (expected) matches += 1;
      calls.push([policy, attributes]);
      expectations.push(expected);
    }
    const answers = callEach(matchesPolicy, calls);
    calls.forEach(([policy, attributes], index) => {
      const actual = answers[index];
      if (actual !== expectations[index]) {
        expect(actual, `matchesPolicy(${JSON.stringify(policy)}, ${JSON.stringify(attributes)}) gave the wrong answer`).toBe(expectations[index]);
      }
    });
    // Keeps the generator honest: both answers must be common.
    expect(matches > cases / 5 && matches < (cases * 4) / 5, "the random cases should mix matches and non-matches").toBe(true);
  });

  describe("malformed policies", () => {
    test("an unknown operator throws a TypeError naming the key and the operator", { tags: ["malformed-operator", "error-names-key"] }, () => {
      expectTypeErrorNaming(() => matchesPolicy(malformed({ file_name: [{ suffix: ".png" }] }), { file_name: "a.png" }), "file_name", "{ suffix: \".png\" }", "suffix");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ region: [{ prefx: "us-" }] }), { region: "us-east-1" }), "region", "the misspelt operator { prefx: \"us-\" }", "prefx");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: ["!=", 5] }] }), { price_usd: 6 }), "price_usd", "{ numeric: [\"!=\", 5] }", "!=");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: ["=>", 5] }] }), { price_usd: 6 }), "price_usd", "{ numeric: [\"=>\", 5] }", "=>");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [{ "": 5 }] }), { store: "fans" }), "store", "the empty operator { \"\": 5 }");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [{ constructor: "fans" }] }), { store: "fans" }), "store", "the operator { constructor: \"fans\" }", "constructor");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [{ toString: "fans" }] }), { store: "fans" }), "store", "the operator { toString: \"fans\" }", "toString");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: ["toString", 5] }] }), { price_usd: 6 }), "price_usd", "{ numeric: [\"toString\", 5] }", "toString");
      // An operator must be the string itself: [">"] only turns into ">" when coerced.
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: [[">"], 5] }] }), { price_usd: 6 }), "price_usd", "{ numeric: [[\">\"], 5] }", "numeric");
    });

    test("a policy that is not an object of condition lists throws a TypeError", { tags: ["malformed-policy"] }, () => {
      const cases = [[null, "null"], [undefined, "undefined"], [[{ store: ["fans"] }], "an array"], ["store", "a string"], [42, "a number"], [true, "a boolean"]] as const;
      for (const [policy, what] of cases) expectThrows(() => matchesPolicy(malformed(policy), { store: "fans" }), TypeError, `a policy given as ${what} should throw a TypeError`);
    });

    test("an empty or non-array condition list throws a TypeError naming the key", { tags: ["malformed-list", "error-names-key"] }, () => {
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [] }), { store: "fans" }), "store", "an empty condition list");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: "fans" }), { store: "fans" }), "store", "a condition list given as a plain string");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: { prefix: "f" } }), { store: "fans" }), "store", "a condition list given as a single object");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: null }), {}), "store", "a condition list given as null");
    });

    test("numeric, prefix, anything-but and exists conditions with the wrong shape throw a TypeError naming the key and the operator", { tags: ["malformed-shape", "error-names-key"] }, () => {
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: [] }] }), { price_usd: 5 }), "price_usd", "{ numeric: [] }", "numeric");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: 5 }] }), { price_usd: 5 }), "price_usd", "{ numeric: 5 }", "numeric");
      expectTypeErrorNaming(
        () => matchesPolicy(malformed({ price_usd: [{ numeric: [">", 0, "<", 10, "=", 5] }] }), { price_usd: 5 }),
        "price_usd",
        "{ numeric: [\">\", 0, \"<\", 10, \"=\", 5] } (six elements)",
        "numeric",
      );
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [{ "anything-but": null }] }), { store: "fans" }), "store", "{ \"anything-but\": null }", "anything-but");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [{ "anything-but": { prefix: "f" } }] }), { store: "fans" }), "store", "{ \"anything-but\": { prefix: \"f\" } }", "anything-but");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [{ "anything-but": ["a", null] }] }), { store: "fans" }), "store", "{ \"anything-but\": [\"a\", null] }", "anything-but");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: ">" }] }), { price_usd: 5 }), "price_usd", "{ numeric: \">\" }", "numeric");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: [">"] }] }), { price_usd: 5 }), "price_usd", "{ numeric: [\">\"] }", "numeric");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: [">", "100"] }] }), { price_usd: 500 }), "price_usd", "{ numeric: [\">\", \"100\"] }", "numeric");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: [">", 0, "<"] }] }), { price_usd: 5 }), "price_usd", "{ numeric: [\">\", 0, \"<\"] }", "numeric");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ region: [{ prefix: 5 }] }), { region: "5" }), "region", "{ prefix: 5 }", "prefix");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ region: [{ prefix: ["us-"] }] }), { region: "us-east-1" }), "region", "{ prefix: [\"us-\"] }", "prefix");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [{ exists: "yes" }] }), { store: "fans" }), "store", "{ exists: \"yes\" }", "exists");
    });

    test("a condition that is null, an array, {} or an object with two operators throws a TypeError naming the key", { tags: ["malformed-shape", "error-names-key"] }, () => {
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [null] }), { store: "fans" }), "store", "a null condition");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [undefined] }), { store: "fans" }), "store", "an undefined condition");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [["fans"]] }), { store: "fans" }), "store", "a nested array as a condition");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [{}] }), { store: "fans" }), "store", "an empty object as a condition");
      expectTypeErrorNaming(
        () => matchesPolicy(malformed({ region: [{ prefix: "us-", exists: true }] }), { region: "us-east-1" }),
        "region",
        "a condition object with two operators",
      );
    });

    test("an empty anything-but list throws a TypeError naming the key and the operator", { tags: ["empty-anything-but", "error-names-key"] }, () => {
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [{ "anything-but": [] }] }), { store: "fans" }), "store", "{ \"anything-but\": [] }", "anything-but");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ store: [{ "anything-but": [] }] }), {}), "store", "{ \"anything-but\": [] } checked against a message without attributes", "anything-but");
      expectTypeErrorNaming(
        () => matchesPolicy(malformed({ store: ["fans", { "anything-but": [] }] }), { store: "fans" }),
        "store",
        "{ \"anything-but\": [] } after a condition that already matches",
        "anything-but",
      );
      const topic = new Topic<string>();
      expectTypeErrorNaming(() => topic.subscribe(() => undefined, malformed({ state: [{ "anything-but": [] }] })), "state", "subscribe with { \"anything-but\": [] }", "anything-but");
    });

    test("a numeric range must be a lower bound (> or >=) followed by an upper bound (< or <=)", { tags: ["malformed-range", "error-names-key"] }, () => {
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: ["=", 5, "<", 10] }] }), { price_usd: 5 }), "price_usd", "the range [\"=\", 5, \"<\", 10]");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: [">", 0, "=", 10] }] }), { price_usd: 5 }), "price_usd", "the range [\">\", 0, \"=\", 10]");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: [">", 0, "!=", 10] }] }), { price_usd: 5 }), "price_usd", "the range [\">\", 0, \"!=\", 10]");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: [">", 0, ">", 5] }] }), { price_usd: 6 }), "price_usd", "the range [\">\", 0, \">\", 5] (two lower bounds)");
      expectTypeErrorNaming(() => matchesPolicy(malformed({ price_usd: [{ numeric: ["<", 10, ">", 0] }] }), { price_usd: 5 }), "price_usd", "the range [\"<\", 10, \">\", 0] (upper bound first)");
    });

    test("NaN as a number in any condition throws a TypeError naming the key", { tags: ["malformed-nan", "error-names-key"] }, () => {
      expectTypeErrorNaming(() => matchesPolicy({ price_usd: [{ numeric: [">", Number.NaN] }] }, { price_usd: 5 }), "price_usd", "{ numeric: [\">\", NaN] }");
      expectTypeErrorNaming(() => matchesPolicy({ price_usd: [{ numeric: ["=", Number.NaN] }] }, { price_usd: 5 }), "price_usd", "{ numeric: [\"=\", NaN] }");
      expectTypeErrorNaming(() => matchesPolicy({ price_usd: [Number.NaN] }, { price_usd: 5 }), "price_usd", "NaN as an exact value");
      expectTypeErrorNaming(() => matchesPolicy({ price_usd: [5, Number.NaN] }, { price_usd: 5 }), "price_usd", "NaN as an exact value after one that matches");
      expectTypeErrorNaming(() => matchesPolicy({ price_usd: [{ "anything-but": [Number.NaN] }] }, { price_usd: 5 }), "price_usd", "{ \"anything-but\": [NaN] }", "anything-but");
      expectTypeErrorNaming(() => matchesPolicy({ price_usd: [{ "anything-but": Number.NaN }] }, { price_usd: 5 }), "price_usd", "{ \"anything-but\": NaN }", "anything-but");
      expectTypeErrorNaming(() => matchesPolicy({ price_usd: [{ "anything-but": [1, Number.NaN] }] }, { price_usd: 5 }), "price_usd", "{ \"anything-but\": [1, NaN] }", "anything-but");
      expectTypeErrorNaming(
        () => matchesPolicy({ price_usd: [{ numeric: [">", 0, "<", Number.NaN] }] }, { price_usd: 5 }),
        "price_usd",
        "{ numeric: [\">\", 0, \"<\", NaN] }",
      );
    });

    test("the whole policy is checked, even after a key or condition that already decided the answer", { tags: ["whole-policy", "error-names-key"] }, () => {
      expectTypeErrorNaming(
        () => matchesPolicy(malformed({ store: ["example_corp"], price_usd: [{ numeric: [">", "100"] }] }), { store: "other_corp", price_usd: 500 }),
        "price_usd",
        "a malformed key after a key that already fails to match",
      );
      expectTypeErrorNaming(
        () => matchesPolicy(malformed({ store: ["fans", { suffix: "s" }] }), { store: "fans" }),
        "store",
        "a malformed condition after one that already matches",
      );
      expectTypeErrorNaming(
        () => matchesPolicy(malformed({ store: ["fans"], event: [{ bogus: true }] }), {}),
        "event",
        "a malformed key checked against a message without attributes",
      );
    });
  });
});

describe("Topic", () => {
  test("a subscriber without a filter receives every message as body and attributes", { tags: ["subscribe", "publish"] }, () => {
    const topic = new Topic<{ orderId: number }>();
    const received: Array<Message<{ orderId: number }>> = [];
    topic.subscribe((message) => received.push(message));
    topic.publish({ orderId: 1 }, { store: "example_corp", price_usd: 20 });
    topic.publish({ orderId: 2 });
    expect(received.length, "a subscriber without a filter should receive every message").toBe(2);
    expect(received[0]?.body, "the message should carry the published body").toEqual({ orderId: 1 });
    expect(received[0]?.attributes, "the message should carry the published attributes").toEqual({ store: "example_corp", price_usd: 20 });
    expect(received[1]?.body, "the second message should carry its own body").toEqual({ orderId: 2 });
    expect(received[1]?.attributes, "attributes should default to an empty object").toEqual({});
  });

  test("a filter policy decides who receives a message, and publish returns how many matched", { tags: ["subscribe", "publish"] }, () => {
    const topic = new Topic<string>();
    expect(topic.publish("nobody listening"), "publish with no subscribers should return 0").toBe(0);
    const log: string[] = [];
    topic.subscribe((message) => log.push(`big:${message.body}`), { price_usd: [{ numeric: [">", 100] }] });
    topic.subscribe((message) => log.push(`eu:${message.body}`), { region: [{ prefix: "eu-" }] });
    topic.subscribe((message) => log.push(`all:${message.body}`), {});
    expect(topic.publish("o1", { price_usd: 250, region: "eu-west-1" }), "all three subscribers should match o1").toBe(3);
    expect(topic.publish("o2", { price_usd: 20, region: "eu-west-1" }), "two subscribers should match o2").toBe(2);
    expect(topic.publish("o3", { price_usd: 20, region: "us-east-1" }), "one subscriber should match o3").toBe(1);
    expect(topic.publish("o4", { price_usd: "250", region: "us-east-1" }), "the string \"250\" should not pass a numeric filter").toBe(1);
    expect(log, "each subscriber should receive exactly the messages its policy matches").toEqual([
      "big:o1",
      "eu:o1",
      "all:o1",
      "eu:o2",
      "all:o2",
      "all:o3",
      "all:o4",
    ]);
  });

  test("matching subscribers are called synchronously, in subscription order", { tags: ["publish"] }, () => {
    const topic = new Topic<string>();
    const calls: string[] = [];
    for (const name of ["first", "second", "third", "fourth"]) topic.subscribe(() => calls.push(name));
    topic.publish("hello");
    expect(calls, "every handler should have run, in subscription order, before publish returns").toEqual(["first", "second", "third", "fourth"]);
  });

  test("a predicate filter receives the message and decides", { tags: ["subscribe"] }, () => {
    const topic = new Topic<{ total: number; items: string[] }>();
    const seen: Array<Message<{ total: number; items: string[] }>> = [];
    const received: number[] = [];
    topic.subscribe(
      (message) => received.push(message.body.total),
      (message) => {
        seen.push(message);
        return message.body.items.includes("gift card");
      },
    );
    const first = topic.publish({ total: 30, items: ["book"] }, { channel: "web" });
    const second = topic.publish({ total: 55, items: ["gift card", "pen"] }, { channel: "app" });
    expect(seen.length, "the predicate should be called once per published message").toBe(2);
    expect(seen[1]?.body, "the predicate should receive the message body").toEqual({ total: 55, items: ["gift card", "pen"] });
    expect(seen[1]?.attributes, "the predicate should receive the message attributes").toEqual({ channel: "app" });
    expect([first, second], "publish should count a subscriber only when its predicate returns true").toEqual([0, 1]);
    expect(received, "the handler should run only when its predicate returns true").toEqual([55]);
  });

  test("subscribe rejects a malformed policy at once with a TypeError naming the key, and adds nothing", { tags: ["subscribe-rejects", "error-names-key"] }, () => {
    const topic = new Topic<string>();
    const received: string[] = [];
    const handler = (message: Message<string>) => received.push(message.body);
    expectTypeErrorNaming(() => topic.subscribe(handler, malformed({ region: [{ suffix: "-1" }] })), "region", "subscribe with an unknown operator");
    expectTypeErrorNaming(() => topic.subscribe(handler, malformed({ store: [] })), "store", "subscribe with an empty condition list");
    expectTypeErrorNaming(() => topic.subscribe(handler, malformed({ price_usd: [{ numeric: ">" }] })), "price_usd", "subscribe with { numeric: \">\" }");
    expectTypeErrorNaming(() => topic.subscribe(handler, { price_usd: [{ numeric: [">", Number.NaN] }] }), "price_usd", "subscribe with NaN in a numeric condition");
    expect(topic.publish("m", { region: "eu-west-1", store: "fans", price_usd: 5 }), "a rejected subscription should not receive messages").toBe(0);
    expect(received, "a handler whose policy was rejected should never run").toEqual([]);
  });

  test("unsubscribe stops delivery to that subscription only", { tags: ["unsubscribe"] }, () => {
    const topic = new Topic<string>();
    const log: string[] = [];
    const unsubscribeA = topic.subscribe((message) => log.push(`A:${message.body}`));
    topic.subscribe((message) => log.push(`B:${message.body}`));
    topic.publish("1");
    unsubscribeA();
    expect(topic.publish("2"), "after one of two subscribers unsubscribes, one should match").toBe(1);
    expect(log, "only the subscriber that stayed should receive later messages").toEqual(["A:1", "B:1", "B:2"]);
  });

  test("the same handler subscribed twice is two subscriptions", { tags: ["same-handler-twice"] }, () => {
    const topic = new Topic<string>();
    const received: string[] = [];
    const handler = (message: Message<string>) => received.push(message.body);
    topic.subscribe(handler);
    const unsubscribeFiltered = topic.subscribe(handler, { kind: ["x"] });
    expect(topic.publish("a", { kind: "x" }), "a handler subscribed twice should count twice").toBe(2);
    expect(received, "a handler subscribed twice should receive the message twice").toEqual(["a", "a"]);
    unsubscribeFiltered();
    expect(topic.publish("b", { kind: "y" }), "unsubscribing the filtered subscription should keep the unfiltered one").toBe(1);
    expect(topic.publish("c", { kind: "x" }), "after one unsubscribe, the handler should be subscribed once").toBe(1);
    expect(received, "the remaining subscription should receive every later message once").toEqual(["a", "a", "b", "c"]);
  });

  test("calling unsubscribe twice is harmless and leaves other subscriptions alone", { tags: ["unsubscribe-twice"] }, () => {
    const topic = new Topic<string>();
    const received: string[] = [];
    const handler = (message: Message<string>) => received.push(message.body);
    const unsubscribeFirst = topic.subscribe(handler);
    topic.subscribe(handler);
    topic.subscribe((message) => received.push(`other:${message.body}`));
    unsubscribeFirst();
    expect(() => unsubscribeFirst(), "calling unsubscribe a second time should not throw").not.toThrow();
    expect(topic.publish("m"), "a second unsubscribe should not remove any other subscription").toBe(2);
    expect(received, "the other subscriptions should still receive messages").toEqual(["m", "other:m"]);
  });

  test("a throwing handler does not stop delivery to the others", { tags: ["handler-errors"] }, () => {
    const topic = new Topic<string>();
    const received: string[] = [];
    topic.subscribe((message) => received.push(`before:${message.body}`));
    topic.subscribe(() => {
      throw new Error("handler failed");
    });
    topic.subscribe((message) => received.push(`after:${message.body}`));
    const thrown = thrownBy(() => topic.publish("m"));
    expect(thrown, "publish should report the failed handler by throwing").toBeDefined();
    expect(received, "the subscribers before and after the failing one should both receive the message").toEqual(["before:m", "after:m"]);
  });

  test("publish throws an AggregateError of the handlers' errors, in subscription order", { tags: ["handler-errors"] }, () => {
    const topic = new Topic<string>();
    const first = new Error("first failure");
    const second = new RangeError("second failure");
    const received: string[] = [];
    topic.subscribe(() => {
      throw first;
    });
    topic.subscribe((message) => received.push(message.body));
    topic.subscribe(() => {
      throw second;
    });
    const thrown = thrownBy(() => topic.publish("m"));
    expect(thrown, "publish should throw an AggregateError when handlers fail").toBeInstanceOf(AggregateError);
    expect(String((thrown as AggregateError).message).trim(), "the AggregateError should have a message that says what went wrong").not.toBe("");
    const errors = (thrown as AggregateError).errors;
    expect(errors.length, "the AggregateError should hold one error per failed handler").toBe(2);
    expect(errors[0], "the first error should be the very error the first failing handler threw").toBe(first);
    expect(errors[1], "the second error should be the very error the second failing handler threw").toBe(second);
    expect(received, "the healthy handler should still have received the message").toEqual(["m"]);
  });

  test("one failing handler still makes publish throw an AggregateError", { tags: ["handler-errors"] }, () => {
    const topic = new Topic<string>();
    const failure = new Error("only failure");
    topic.subscribe(() => undefined);
    topic.subscribe(() => {
      throw failure;
    });
    const thrown = thrownBy(() => topic.publish("m"));
    expect(thrown, "even a single failure should be wrapped in an AggregateError").toBeInstanceOf(AggregateError);
    expect((thrown as AggregateError).errors, "the AggregateError should hold exactly the one handler error").toEqual([failure]);
    expect((thrown as AggregateError).errors[0], "the error inside should be the very error the handler threw").toBe(failure);
  });

  test("a throwing predicate is reported in the AggregateError in its place, and its handler is skipped", { tags: ["predicate-errors"] }, () => {
    const topic = new Topic<string>();
    const predicateError = new Error("predicate failed");
    const handlerError = new Error("handler failed");
    const calls: string[] = [];
    topic.subscribe(
      () => calls.push("guarded handler"),
      () => {
        throw predicateError;
      },
    );
    topic.subscribe(() => calls.push("healthy"));
    topic.subscribe(() => {
      throw handlerError;
    });
    const thrown = thrownBy(() => topic.publish("m"));
    expect(calls, "the handler behind a throwing predicate should not run, and the others should").toEqual(["healthy"]);
    expect(thrown, "a throwing predicate should make publish throw an AggregateError").toBeInstanceOf(AggregateError);
    const errors = (thrown as AggregateError).errors;
    expect(errors.length, "the AggregateError should hold the predicate's error and the handler's error").toBe(2);
    expect(errors[0], "the predicate's error should come first, in its subscription's place").toBe(predicateError);
    expect(errors[1], "the handler's error should come after it").toBe(handlerError);
  });

  test("a subscription added during publish receives only later messages", { tags: ["snapshot"] }, () => {
    const topic = new Topic<string>();
    const log: string[] = [];
    let added = false;
    topic.subscribe((message) => {
      log.push(`first:${message.body}`);
      if (!added) {
        added = true;
        topic.subscribe((later) => log.push(`late:${later.body}`));
      }
    });
    const count = topic.publish("one");
    expect(log, "a subscriber added during publish should not receive the message being published").toEqual(["first:one"]);
    expect(count, "publish should count only the subscribers it started with").toBe(1);
    topic.publish("two");
    expect(log, "a subscriber added during publish should receive the next message").toEqual(["first:one", "first:two", "late:two"]);
  });

  test("a subscription removed during publish still receives the message being published", { tags: ["snapshot"] }, () => {
    const topic = new Topic<string>();
    const log: string[] = [];
    let unsubscribeSecond: () => void = () => undefined;
    topic.subscribe((message) => {
      log.push(`first:${message.body}`);
      unsubscribeSecond();
    });
    unsubscribeSecond = topic.subscribe((message) => log.push(`second:${message.body}`));
    topic.subscribe((message) => log.push(`third:${message.body}`));
    const count = topic.publish("one");
    expect(log, "the subscribers are fixed when publish starts, so all three should receive the message").toEqual(["first:one", "second:one", "third:one"]);
    expect(count, "publish should count all three subscribers it started with").toBe(3);
    topic.publish("two");
    expect(log.slice(3), "the removed subscriber should not receive later messages").toEqual(["first:two", "third:two"]);
  });

  test("two topics share no subscribers", { tags: ["separate"] }, () => {
    const orders = new Topic<string>();
    const refunds = new Topic<string>();
    const received: string[] = [];
    orders.subscribe((message) => received.push(message.body));
    expect(refunds.publish("refund 1"), "a subscriber of one topic should not count on another").toBe(0);
    expect(orders.publish("order 1"), "the subscriber should count on its own topic").toBe(1);
    expect(received, "a subscriber should receive only its own topic's messages").toEqual(["order 1"]);
  });

  test("two topics used together, interleaved, keep their own subscriptions", { tags: ["separate"] }, () => {
    const orders = new Topic<string>();
    const refunds = new Topic<string>();
    const log: string[] = [];
    const unsubscribeOrders1 = orders.subscribe((message) => log.push(`orders1:${message.body}`));
    refunds.subscribe((message) => log.push(`refunds1:${message.body}`), { kind: ["x"] });
    orders.subscribe((message) => log.push(`orders2:${message.body}`));
    const unsubscribeRefunds2 = refunds.subscribe((message) => log.push(`refunds2:${message.body}`));
    expect(orders.publish("m1", { kind: "x" }), "the first topic should count only its own two subscribers").toBe(2);
    expect(refunds.publish("m2", { kind: "x" }), "the second topic should count only its own two subscribers").toBe(2);
    unsubscribeOrders1();
    expect(refunds.publish("m3", { kind: "y" }), "unsubscribing from one topic should not change the other").toBe(1);
    unsubscribeRefunds2();
    expect(orders.publish("m4"), "each topic should keep its own subscriptions after unsubscribes on both").toBe(1);
    expect(refunds.publish("m5", { kind: "x" }), "each topic should keep its own subscriptions after unsubscribes on both").toBe(1);
    expect(log, "each handler should receive only the messages of the topic it subscribed to").toEqual([
      "orders1:m1",
      "orders2:m1",
      "refunds1:m2",
      "refunds2:m2",
      "refunds2:m3",
      "orders2:m4",
      "refunds1:m5",
    ]);
  });

  test("a message carries the published body and attributes, and -0 or names like constructor need no special care", { tags: ["publish", "negative-zero", "own-keys"] }, () => {
    const topic = new Topic<string>();
    const log: string[] = [];
    topic.subscribe((message) => log.push(`zero:${message.body}`), { n: [0] });
    topic.subscribe((message) => log.push(`no-constructor:${message.body}`), { constructor: [{ exists: false }] });
    topic.subscribe((message) => log.push(`to-string:${message.body}`), { toString: ["x"] });
    expect(topic.publish("a", { n: -0 }), "the condition 0 and a missing constructor should both match { n: -0 }").toBe(2);
    expect(topic.publish("b", { toString: "x" }), "an attribute named toString should match, and constructor should still be missing").toBe(2);
    expect(log, "each subscriber should receive the messages its policy matches").toEqual(["zero:a", "no-constructor:a", "no-constructor:b", "to-string:b"]);
  });

  test("a handler's error comes before the error of a later subscriber's predicate", { tags: ["predicate-errors", "handler-errors"] }, () => {
    const topic = new Topic<string>();
    const handlerError = new Error("handler failed");
    const predicateError = new Error("predicate failed");
    const laterHandlerError = new Error("later handler failed");
    const calls: string[] = [];
    topic.subscribe(() => {
      calls.push("first");
      throw handlerError;
    });
    topic.subscribe(
      () => calls.push("guarded"),
      () => {
        throw predicateError;
      },
    );
    topic.subscribe(() => {
      calls.push("third");
      throw laterHandlerError;
    });
    const thrown = thrownBy(() => topic.publish("m"));
    expect(thrown, "publish should throw an AggregateError when a handler and a predicate fail").toBeInstanceOf(AggregateError);
    const errors = (thrown as AggregateError).errors;
    expect(errors.length, "the AggregateError should hold all three errors").toBe(3);
    expect(errors[0], "the first subscriber's handler error should come first").toBe(handlerError);
    expect(errors[1], "the second subscriber's predicate error should come second, in its place").toBe(predicateError);
    expect(errors[2], "the third subscriber's handler error should come last").toBe(laterHandlerError);
    expect(calls, "the handler behind the throwing predicate should not run").toEqual(["first", "third"]);
  });

  test("a publish from inside a handler delivers at once to the subscribers of that moment, and the outer publish carries on with its own", { tags: ["reentrant"] }, () => {
    const topic = new Topic<string>();
    const log: string[] = [];
    let innerCount: number | undefined;
    let unsubscribeB: () => void = () => undefined;
    topic.subscribe((message) => {
      log.push(`A:${message.body}`);
      if (message.body !== "outer") return;
      unsubscribeB();
      topic.subscribe((later) => log.push(`C:${later.body}`));
      topic.subscribe((later) => log.push(`D:${later.body}`), { kind: ["inner"] });
      innerCount = topic.publish("inner", { kind: "inner" });
    });
    unsubscribeB = topic.subscribe((message) => log.push(`B:${message.body}`));
    const outerCount = topic.publish("outer", { kind: "outer" });
    expect(log, "the inner message should be delivered before publish returns, to the subscribers of that moment, and the outer one then reaches its own").toEqual([
      "A:outer",
      "A:inner",
      "C:inner",
      "D:inner",
      "B:outer",
    ]);
    expect(innerCount, "the inner publish should return how many of its own subscribers matched").toBe(3);
    expect(outerCount, "the outer publish should return how many of the subscribers it started with matched").toBe(2);
    expect(topic.publish("after", { kind: "inner" }), "a later publish should reach the subscribers added during the first").toBe(3);
  });

  test("errors of a publish from inside a handler are thrown by that inner publish, not by the outer one", { tags: ["reentrant", "handler-errors"] }, () => {
    const topic = new Topic<string>();
    const innerFailure = new Error("failed on the inner message");
    const outerFailure = new Error("failed on the outer message");
    let caughtInside: unknown;
    topic.subscribe((message) => {
      if (message.body !== "outer") return;
      caughtInside = thrownBy(() => topic.publish("inner"));
    });
    topic.subscribe((message) => {
      if (message.body === "inner") throw innerFailure;
    });
    const quiet = thrownBy(() => topic.publish("outer"));
    expect(quiet, "the outer publish should not throw when only the inner one had a failing handler").toBeUndefined();
    expect(caughtInside, "the inner publish should throw an AggregateError of its own failures").toBeInstanceOf(AggregateError);
    expect((caughtInside as AggregateError).errors, "the inner AggregateError should hold exactly the inner failure").toEqual([innerFailure]);

    topic.subscribe((message) => {
      if (message.body === "outer") throw outerFailure;
    });
    const loud = thrownBy(() => topic.publish("outer"));
    expect(loud, "the outer publish should throw an AggregateError of its own failures").toBeInstanceOf(AggregateError);
    expect((loud as AggregateError).errors, "the outer AggregateError should hold only the outer failure, not the inner one").toEqual([outerFailure]);
    expect((caughtInside as AggregateError).errors, "the second inner AggregateError should again hold only the inner failure").toEqual([innerFailure]);
  });

  test("matchesPolicy, subscribe and publish leave the policy as it was given", { tags: ["inputs-unchanged"] }, () => {
    const makePolicy = (): FilterPolicy => ({
      state: [{ "anything-but": "cancelled" }, { exists: false }],
      reason: [{ "anything-but": ["fraud", "test"] }],
      price_usd: [{ numeric: [">", 0, "<=", 150] }, { numeric: ["=", 500] }],
      region: [{ prefix: "eu-" }, "us-east-1"],
      gift: [true, false],
    });
    const policy = makePolicy();
    const attributes: Attributes = { state: "paid", reason: "none", price_usd: 20, region: "eu-west-1", gift: false };
    matchesPolicy(policy, attributes);
    expect(policy, "matchesPolicy should not change the policy it was given (no normalising in place)").toStrictEqual(makePolicy());
    const topic = new Topic<string>();
    topic.subscribe(() => undefined, policy);
    expect(policy, "subscribe should not change the policy it was given (no normalising in place)").toStrictEqual(makePolicy());
    topic.publish("m", attributes);
    topic.publish("n", { state: "cancelled" });
    expect(policy, "publish should not change a subscription's policy").toStrictEqual(makePolicy());
  });

  test("publish leaves the body and the attributes as they were given", { tags: ["inputs-unchanged"] }, () => {
    const makeBody = () => ({ orderId: 7, items: ["book", "pen"], customer: { name: "Ada" } });
    const makeAttributes = (): Attributes => ({ store: "example_corp", price_usd: 20, gift: false });
    const body = makeBody();
    const attributes = makeAttributes();
    const topic = new Topic<ReturnType<typeof makeBody>>();
    const received: Array<Message<ReturnType<typeof makeBody>>> = [];
    topic.subscribe((message) => received.push(message), { store: ["example_corp"], state: [{ exists: false }] });
    topic.subscribe(() => undefined, (message) => message.body.orderId > 0);
    topic.subscribe(() => undefined);
    topic.subscribe(() => undefined, { coupon: [{ exists: true }] });
    expect(topic.publish(body, attributes), "three of the four subscribers should match").toBe(3);
    expect(body, "publish should not change the body (no id or timestamp stamped on it)").toStrictEqual(makeBody());
    expect(attributes, "publish should not change the attributes (no defaults added)").toStrictEqual(makeAttributes());
    expect(received[0]?.body, "the handler should still receive the body").toEqual(makeBody());
    expect(received[0]?.attributes, "the handler should still receive the attributes").toEqual(makeAttributes());
    // The caller's object is still the caller's: publish must not have frozen or sealed it.
    expect(() => {
      attributes["coupon"] = "SPRING10";
    }, "the caller should still be able to add to its attributes object after publish (do not freeze it)").not.toThrow();
    expect(topic.publish(body, attributes), "publishing the caller's changed attributes object should see the added attribute").toBe(4);
  });

  test("a topic lets go of subscriptions once they are unsubscribed", { timeout: 30_000, tags: ["memory"] }, async () => {
    const count = 150_000;
    const result = await runWorkload("topic-churn", exercise, { count, subscribers: 3, publishEvery: 1_000, budgetMs: 3_000, seed: 61 });
    expect(result.firstWrongCount, "while subscriptions come and go, publish should count the steady subscribers and the one of the moment").toBe(-1);
    expect(result.finalCount, "once every churned subscription is gone, only the steady subscribers should match").toBe(3);
    expect(
      result.retainedBytes,
      `after ${count.toLocaleString("en-US")} subscriptions came and went on a topic that never had more than 4, it holds ${megabytes(result.retainedBytes)} more memory than before: ` +
        "unsubscribe should remove the subscription itself, not mark it as removed or leave an empty slot behind",
    ).toBeLessThan(count * 4);
  });

  test("a topic lets go of each message once publish returns, and of subscriptions removed during publish", { timeout: 30_000, tags: ["memory"] }, async () => {
    const count = 100_000;
    const result = await runWorkload("topic-churn", exercise, { count, subscribers: 3, publishEvery: 1, budgetMs: 3_000, seed: 67 });
    expect(result.firstWrongCount, "publish should count the steady subscribers and the one of the moment").toBe(-1);
    expect(result.delivered, "the steady subscribers should receive every message").toBe(count * 3 + 3);
    expect(result.finalCount, "once every subscription that removed itself is gone, only the steady subscribers should match").toBe(3);
    expect(
      result.retainedBytes,
      `after ${count.toLocaleString("en-US")} messages were published, each to a subscriber that unsubscribed itself while handling it, the topic holds ${megabytes(result.retainedBytes)} more memory than before: ` +
        "keep no message after publish returns, and remove a subscription that unsubscribes during publish once publish is done with it",
    ).toBeLessThan(count * 4);
  });
});

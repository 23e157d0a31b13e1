/**
 * Module 06: a topic with subscription filter policies, in the style of
 * Amazon SNS.
 *
 * Read `lessons/06-message-filtering/README.md`, then make the public tests pass:
 *
 *     npm run exercise 06
 *
 * The rules the grader checks.
 *
 * Filter policies (`matchesPolicy`):
 * - A policy maps attribute names to a list of conditions. Every key must
 *   match (AND); a key matches when any one of its conditions does (OR).
 *   Attributes the policy does not name are ignored, so `{}` matches everything.
 * - A plain string, number or boolean matches an attribute with the same value
 *   AND the same type: `"100"` does not match `100`, `"true"` does not match `true`.
 *   String matching is case-sensitive.
 * - `{ numeric: [op, n] }` with op one of `=`, `<`, `<=`, `>`, `>=` matches a
 *   number attribute. A range has two comparisons, lower bound first:
 *   `{ numeric: [">", 0, "<=", 150] }`. Numeric conditions never match strings
 *   or booleans, not even `"150"`.
 * - `{ prefix: "us-" }` matches a string attribute that starts with it
 *   (never a number or a boolean).
 * - `{ "anything-but": v }` or `{ "anything-but": [v1, v2] }` matches an
 *   attribute that is present and equal to none of the values (same value and
 *   type, so `{ "anything-but": "100" }` matches the number 100).
 * - `{ exists: true }` matches any present attribute; `{ exists: false }` matches
 *   only a missing one.
 * - A missing attribute (a key that is not an own property of `attributes`)
 *   matches only `{ exists: false }`. It does not match `anything-but`.
 *   `0`, `""` and `false` are present values, not missing ones.
 *
 * Malformed policies throw a `TypeError` whose message contains the bad key
 * and, when an operator is at fault, that operator (`numeric`, `prefix`,
 * `anything-but`, `exists`, or the unknown one such as `suffix`):
 * - an unknown operator (`{ suffix: ".png" }`, `{ numeric: ["!=", 5] }`);
 * - a condition list that is empty or not an array (`{ store: "fans" }`);
 * - a wrongly shaped condition: `{ numeric: ">" }`, `{ numeric: [">", "100"] }`,
 *   `{ prefix: 5 }`, `{ exists: "yes" }`, `null`, an array, `{}`, or an object
 *   with two operators such as `{ prefix: "a", exists: true }`;
 * - a numeric range that is not a lower bound (`>` or `>=`) followed by an
 *   upper bound (`<` or `<=`): `["<", 10, ">", 0]`, `[">", 0, ">", 5]` and
 *   `["=", 5, "<", 10]` all throw;
 * - `NaN` as a number in a numeric condition.
 * A policy that is not an object (`null`, `42`, an array) throws a `TypeError` too.
 * The whole policy is checked every time, even keys after one that already
 * fails to match, so a malformed policy throws whatever the attributes are.
 *
 * Topic:
 * - `subscribe(handler, filter?)`: `filter` is a policy or a predicate function
 *   `(message) => boolean`; without one the subscriber receives everything. A
 *   malformed policy throws `TypeError` right away and adds no subscription.
 *   It returns `unsubscribe`. Subscribing the same handler twice makes two
 *   subscriptions (it receives each message twice); each `unsubscribe` removes
 *   only its own subscription, and calling it again does nothing.
 * - `publish(body, attributes = {})` delivers `{ body, attributes }` to every
 *   matching subscriber, synchronously, in subscription order, and returns how
 *   many subscribers matched.
 * - The subscribers are fixed when `publish` starts: one added by a handler
 *   during `publish` receives only later messages; one removed during `publish`
 *   still receives the message being published.
 * - A handler that throws does not stop delivery to the others. After every
 *   matching subscriber has run, `publish` throws an `AggregateError` (with a
 *   message of its own) whose
 *   `errors` are the thrown errors themselves, in subscription order (even if
 *   only one handler failed).
 * - A predicate filter that throws counts the same way: its error goes into the
 *   `AggregateError` in that subscriber's place, and its handler is not called.
 */

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;
export interface Message<T> {
  body: T;
  attributes: Attributes;
}
type Op = "=" | "<" | "<=" | ">" | ">=";
export type Condition =
  | string
  | number
  | boolean // equal value and type
  | { numeric: [Op, number] | [Op, number, Op, number] } // a number attribute in range
  | { prefix: string } // a string attribute starting with it
  | { "anything-but": AttributeValue | AttributeValue[] } // present, and none of these
  | { exists: boolean };
export type FilterPolicy = Record<string, Condition[]>;

/**
 * True when `attributes` satisfy `policy` (every key matches; any condition of
 * a key is enough). Throws `TypeError`, naming the key, for a malformed policy.
 */
export function matchesPolicy(policy: FilterPolicy, attributes: Attributes): boolean {
  throw new Error("TODO: matchesPolicy(policy, attributes) should check every key of the policy against the attributes");
}

export class Topic<T = unknown> {
  /**
   * Adds a subscription and returns a function that removes it. `filter` is a
   * filter policy (checked now: a malformed one throws `TypeError`) or a
   * predicate; without a filter the subscriber receives every message.
   */
  subscribe(handler: (message: Message<T>) => void, filter?: FilterPolicy | ((message: Message<T>) => boolean)): () => void {
    throw new Error("TODO: subscribe(handler, filter) should remember the subscription and return a function that removes it");
  }

  /**
   * Delivers `{ body, attributes }` to every matching subscriber in
   * subscription order and returns how many matched. Throws an
   * `AggregateError` afterwards if any handler threw.
   */
  publish(body: T, attributes: Attributes = {}): number {
    throw new Error("TODO: publish(body, attributes) should deliver the message to every matching subscriber and return how many matched");
  }
}

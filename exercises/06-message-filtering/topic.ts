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
 * - [and-or] A policy maps attribute names to a list of conditions. Every key must
 *   match (AND); a key matches when any one of its conditions does (OR).
 *   Attributes the policy does not name are ignored, so `{}` matches everything.
 * - [exact-type] A plain string, number or boolean matches an attribute with the same value
 *   AND the same type: `"100"` does not match `100`, `"true"` does not match `true`.
 *   String matching is case-sensitive.
 * - [negative-zero] `-0` and `0` are the same number, as `===` says: the condition `0`
 *   matches the attribute `-0` and the other way round, `{ "anything-but": 0 }`
 *   does not match `-0`, and `{ numeric: ["=", 0] }` matches `-0`.
 * - [numeric] `{ numeric: [op, n] }` with op one of `=`, `<`, `<=`, `>`, `>=` matches a
 *   number attribute. A range has two comparisons, lower bound first:
 *   `{ numeric: [">", 0, "<=", 150] }`. Numeric conditions never match strings
 *   or booleans, not even `"150"`.
 * - [prefix] `{ prefix: "us-" }` matches a string attribute that starts with it
 *   (never a number or a boolean).
 * - [anything-but] `{ "anything-but": v }` or `{ "anything-but": [v1, v2] }` matches an
 *   attribute that is present and equal to none of the values (same value and
 *   type, so `{ "anything-but": "100" }` matches the number 100).
 * - [exists] `{ exists: true }` matches any present attribute; `{ exists: false }` matches
 *   only a missing one.
 * - [missing] A missing attribute matches only `{ exists: false }`. It does not match
 *   `anything-but`, and it fails a key whose conditions do not include `{ exists: false }`.
 * - [falsy-present] `0`, `""` and `false` are present values, not missing ones.
 * - [own-keys] An attribute is present only when its key is an own property of
 *   `attributes` (`Object.hasOwn`). Names such as `constructor`, `toString`,
 *   `hasOwnProperty` or `__proto__` are ordinary keys: `{}` has no `constructor`
 *   attribute, and `{ toString: "x" }` has a `toString` attribute.
 * - [no-attributes] `{ exists: false }` matches a message with no attributes at all.
 *
 * Malformed policies:
 * - [error-names-key] A malformed policy throws a `TypeError` whose message contains the bad key
 *   and, when an operator is at fault, that operator (`numeric`, `prefix`,
 *   `anything-but`, `exists`, or the unknown one such as `prefx`). These are malformed:
 * - [malformed-operator] an unknown operator: one this `Topic` does not implement, such as the
 *   typo `{ prefx: "eu-" }`, `{ numeric: ["!=", 5] }`, or `{ suffix: ".png" }` (SNS has suffix
 *   matching; this course leaves it out), including the empty one (`{ "": 5 }`) and names
 *   such as `constructor` or `toString`;
 * - [malformed-list] a condition list that is empty or not an array (`{ store: "fans" }`);
 * - [malformed-shape] a wrongly shaped condition: `{ numeric: ">" }`, `{ numeric: [">", "100"] }`,
 *   `{ prefix: 5 }`, `{ exists: "yes" }`, `null`, an array, `{}`, or an object
 *   with two operators such as `{ prefix: "a", exists: true }`;
 * - [empty-anything-but] an empty `anything-but` list (`{ "anything-but": [] }`);
 * - [malformed-range] a numeric range that is not a lower bound (`>` or `>=`) followed by an
 *   upper bound (`<` or `<=`): `["<", 10, ">", 0]`, `[">", 0, ">", 5]` and
 *   `["=", 5, "<", 10]` all throw;
 * - [malformed-nan] `NaN` anywhere a value goes: in a numeric condition, as a plain value
 *   (`[NaN]`) or in an `anything-but`;
 * - [malformed-policy] a policy that is not an object (`null`, `42`, an array).
 * - [whole-policy] The whole policy is checked every time, even keys after one that already
 *   fails to match, so a malformed policy throws whatever the attributes are.
 *
 * Topic:
 * - [subscribe] `subscribe(handler, filter?)`: `filter` is a policy or a predicate function
 *   `(message) => boolean`; without one the subscriber receives everything.
 *   It returns `unsubscribe`.
 * - [subscribe-rejects] A malformed policy makes `subscribe` throw its `TypeError` right away,
 *   and adds no subscription.
 * - [publish] `publish(body, attributes = {})` delivers a message with the fields `body` and
 *   `attributes` (other fields are allowed) to every matching subscriber,
 *   synchronously, in subscription order, and returns how many subscribers matched.
 * - [unsubscribe] After `unsubscribe()` that subscription receives no more messages; the others
 *   still do.
 * - [same-handler-twice] Subscribing the same handler twice makes two subscriptions (it receives
 *   each message twice); each `unsubscribe` removes only its own subscription.
 * - [unsubscribe-twice] Calling an `unsubscribe` again does nothing (it removes no other subscription).
 * - [snapshot] The subscribers are fixed when `publish` starts: one added by a handler
 *   during `publish` receives only later messages; one removed during `publish`
 *   still receives the message being published.
 * - [reentrant] A handler may publish on the same topic. That inner `publish` delivers its
 *   message at once, before it returns, to the subscribers of the moment it starts;
 *   it returns its own count and throws its own `AggregateError`. The outer
 *   `publish` then carries on with its own subscribers and returns its own count.
 * - [handler-errors] A handler that throws does not stop delivery to the others. After every
 *   matching subscriber has run, `publish` throws an `AggregateError` (with a
 *   message of its own) whose `errors` are the thrown errors themselves, in
 *   subscription order (even if only one handler failed).
 * - [predicate-errors] A predicate filter that throws counts the same way: its error goes into the
 *   `AggregateError` in that subscriber's place (after the error of an earlier
 *   subscriber's handler, before that of a later one), and its handler is not called.
 * - [inputs-unchanged] `matchesPolicy`, `subscribe` and `publish` change none of the objects
 *   passed in: the policy is not normalised in place, the attributes get no
 *   defaults and are not frozen, and the body is left as it is.
 * - [separate] Two topics share nothing, even when they are used together, interleaved:
 *   keep subscriptions in instance fields, not in module-level variables or `static` fields.
 * - [memory] Unsubscribing lets go of the subscription, and a message is let go once
 *   `publish` returns: after 100,000 or more subscribe/unsubscribe cycles a topic
 *   holds no more memory than before (marking subscriptions as removed, or leaving
 *   an empty slot for each, is not enough).
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

/**
 * A topic that fans every published message out to its subscribers, with
 * Amazon SNS-style filter policies deciding who receives what.
 *
 * A policy is checked once and turned into a small matching function
 * ("compiled"): `matchesPolicy` compiles and runs it, and `Topic.subscribe`
 * compiles it up front, so a malformed policy is rejected before any message
 * is published and `publish` never re-checks the policy's shape.
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

/** One condition, compiled: does an attribute (present or not) satisfy it? */
type ConditionMatcher = (present: boolean, value: AttributeValue | undefined) => boolean;
/** A whole policy, compiled. */
type PolicyMatcher = (attributes: Attributes) => boolean;

const comparisons: Record<Op, (value: number, bound: number) => boolean> = {
  "=": (value, bound) => value === bound,
  "<": (value, bound) => value < bound,
  "<=": (value, bound) => value <= bound,
  ">": (value, bound) => value > bound,
  ">=": (value, bound) => value >= bound,
};
const lowerBounds: readonly unknown[] = [">", ">="];
const upperBounds: readonly unknown[] = ["<", "<="];

function isOp(candidate: unknown): candidate is Op {
  return typeof candidate === "string" && Object.hasOwn(comparisons, candidate);
}

function isAttributeValue(candidate: unknown): candidate is AttributeValue {
  if (typeof candidate === "number") return !Number.isNaN(candidate);
  return typeof candidate === "string" || typeof candidate === "boolean";
}

/** Every error names the policy key, so a long policy is easy to fix. */
function invalid(key: string, problem: string): TypeError {
  return new TypeError(`invalid filter policy: key "${key}": ${problem}`);
}

function compileNumeric(key: string, spec: unknown): ConditionMatcher {
  if (!Array.isArray(spec) || (spec.length !== 2 && spec.length !== 4)) {
    throw invalid(key, 'numeric needs [op, number] or a range [">" or ">=", number, "<" or "<=", number]');
  }
  const tests: Array<(value: number) => boolean> = [];
  for (let index = 0; index < spec.length; index += 2) {
    const op: unknown = spec[index];
    const bound: unknown = spec[index + 1];
    if (!isOp(op)) throw invalid(key, `unknown numeric operator ${JSON.stringify(op)}`);
    if (typeof bound !== "number" || Number.isNaN(bound)) {
      throw invalid(key, `numeric ${op} needs a number, not ${String(bound)}`);
    }
    tests.push((value) => comparisons[op](value, bound));
  }
  // SNS only accepts a range written lower bound first, then upper bound.
  if (spec.length === 4 && !(lowerBounds.includes(spec[0]) && upperBounds.includes(spec[2]))) {
    throw invalid(key, 'a numeric range is a lower bound (">" or ">=") followed by an upper bound ("<" or "<=")');
  }
  return (present, value) => present && typeof value === "number" && tests.every((test) => test(value));
}

function compileCondition(key: string, condition: unknown): ConditionMatcher {
  if (isAttributeValue(condition)) {
    // Strict equality compares type as well as value: "100" never equals 100.
    return (present, value) => present && value === condition;
  }
  if (typeof condition === "number") throw invalid(key, "NaN can never be matched");
  if (typeof condition !== "object" || condition === null || Array.isArray(condition)) {
    throw invalid(key, `a condition is a string, number, boolean or an object with one operator, not ${JSON.stringify(condition)}`);
  }
  const operators = Object.keys(condition);
  if (operators.length !== 1) {
    throw invalid(key, `a condition object needs exactly one operator, found ${operators.length}`);
  }
  const operator = operators[0] as string;
  const argument: unknown = (condition as Record<string, unknown>)[operator];
  switch (operator) {
    case "numeric":
      return compileNumeric(key, argument);
    case "prefix": {
      if (typeof argument !== "string") throw invalid(key, "prefix needs a string");
      return (present, value) => present && typeof value === "string" && value.startsWith(argument);
    }
    case "anything-but": {
      const excluded: unknown[] = Array.isArray(argument) ? argument : [argument];
      if (excluded.length === 0 || !excluded.every(isAttributeValue)) {
        throw invalid(key, "anything-but needs a string, number or boolean, or a non-empty list of them");
      }
      // "Anything but" still requires the attribute: a missing one matches only { exists: false }.
      return (present, value) => present && !excluded.includes(value as AttributeValue);
    }
    case "exists": {
      if (typeof argument !== "boolean") throw invalid(key, "exists needs true or false");
      return (present) => present === argument;
    }
    default:
      throw invalid(key, `unknown operator ${JSON.stringify(operator)}`);
  }
}

/**
 * Checks the whole policy and returns a function that applies it. Every key
 * and every condition is checked here, before any attribute is looked at, so
 * a malformed policy throws no matter which message it meets.
 */
function compilePolicy(policy: unknown): PolicyMatcher {
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) {
    throw new TypeError("invalid filter policy: a policy is an object of attribute names to condition lists");
  }
  const keys = Object.entries(policy as Record<string, unknown>).map(([key, conditions]) => {
    if (!Array.isArray(conditions)) throw invalid(key, "the conditions must be an array");
    if (conditions.length === 0) throw invalid(key, "the condition list is empty, so nothing could ever match");
    return { key, matchers: conditions.map((condition: unknown) => compileCondition(key, condition)) };
  });
  return (attributes) =>
    keys.every(({ key, matchers }) => {
      // Own properties only: an attribute called "constructor" is not inherited from Object.
      const present = Object.hasOwn(attributes, key);
      const value = present ? attributes[key] : undefined;
      return matchers.some((matches) => matches(present, value));
    });
}

/**
 * True when the attributes satisfy the policy: every key matches (AND), and a
 * key matches when any one of its conditions does (OR). Throws `TypeError`,
 * naming the key, when the policy is malformed.
 */
export function matchesPolicy(policy: FilterPolicy, attributes: Attributes): boolean {
  return compilePolicy(policy)(attributes);
}

interface Subscription<T> {
  handler: (message: Message<T>) => void;
  wants: (message: Message<T>) => boolean;
}

export class Topic<T = unknown> {
  /**
   * Copy on write: subscribe and unsubscribe replace the array instead of
   * changing it, so a publish that is iterating the old array sees exactly
   * the subscribers it started with.
   */
  private subscriptions: ReadonlyArray<Subscription<T>> = [];

  /**
   * Adds a subscription and returns the function that removes it. `filter` is
   * a policy (checked now; a malformed one throws `TypeError`) or a predicate.
   * Without a filter the subscriber receives every message.
   */
  subscribe(handler: (message: Message<T>) => void, filter?: FilterPolicy | ((message: Message<T>) => boolean)): () => void {
    let wants: (message: Message<T>) => boolean;
    if (typeof filter === "function") {
      wants = filter;
    } else {
      const matches = compilePolicy(filter ?? {});
      wants = (message) => matches(message.attributes);
    }
    // A fresh object per call, so the same handler subscribed twice is two
    // subscriptions, and each unsubscribe removes only its own.
    const subscription: Subscription<T> = { handler, wants };
    this.subscriptions = [...this.subscriptions, subscription];
    return () => {
      this.subscriptions = this.subscriptions.filter((candidate) => candidate !== subscription);
    };
  }

  /**
   * Delivers `{ body, attributes }` synchronously, in subscription order, to
   * every subscriber whose filter matches, and returns how many matched. A
   * handler (or predicate) that throws does not stop the others; once all
   * have run, the errors are thrown together as one `AggregateError`.
   */
  publish(body: T, attributes: Attributes = {}): number {
    const message: Message<T> = { body, attributes };
    const snapshot = this.subscriptions;
    const errors: unknown[] = [];
    let matched = 0;
    for (const { handler, wants } of snapshot) {
      let wanted: boolean;
      try {
        wanted = wants(message);
      } catch (error) {
        errors.push(error);
        continue;
      }
      if (!wanted) continue;
      matched += 1;
      try {
        handler(message);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      throw new AggregateError(errors, `${errors.length} subscriber(s) failed while publishing; the others received the message`);
    }
    return matched;
  }
}

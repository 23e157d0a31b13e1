/**
 * Experiment 06: route a stream of order events through your Topic.
 *
 *     npm run experiment -- 06-order-routing [options]
 *
 * Seven subscribers listen on one topic, each with its own filter (six filter
 * policies and one predicate function). The experiment publishes a stream of
 * made-up order events and prints them, a table of who received what, and how
 * many messages each subscriber got.
 *
 * Options:
 *   --orders N       how many order events to publish (default 12)
 *   --seed N         seed for the made-up orders; the same seed gives the same orders (default 6)
 *   --policy JSON    add a subscriber "mine" with your own filter policy, e.g.
 *                    --policy '{"region":[{"prefix":"us-"}],"price_usd":[{"numeric":["<",20]}]}'
 *   --help           show this help
 *
 * Some orders come from an old system that sends the price as a string
 * ("120.00" rather than 120): watch which subscribers still receive those.
 */
import { parseArgs } from "node:util";
import { Topic, type Attributes, type FilterPolicy, type Message } from "@exercise/06-message-filtering/topic";
import { say, warn } from "./output.ts";
import { seededRandom } from "../tests/support/random.ts";

interface Order {
  orderId: string;
  items: string[];
}

interface Subscriber {
  name: string;
  describe: string;
  filter: FilterPolicy | ((message: Message<Order>) => boolean);
}

const help = `Usage: npm run experiment -- 06-order-routing [--orders N] [--seed N] [--policy JSON]

  --orders N      how many order events to publish (default 12)
  --seed N        seed for the made-up orders (default 6)
  --policy JSON   add a subscriber "mine" with your own filter policy
`;

function fail(message: string): never {
  warn(message);
  process.exit(1);
}

function makeOrders(count: number, orderSeed: number): Array<{ body: Order; attributes: Attributes }> {
  const random = seededRandom(orderSeed);
  const pick = <V>(items: readonly V[]): V => items[Math.floor(random() * items.length)] as V;
  const events = ["order_placed", "order_placed", "order_placed", "order_cancelled", "order_refunded"];
  const regions = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-south-1"];
  const catalogue = ["book", "headphones", "gift card", "coffee beans", "desk lamp", "keyboard"];
  const orders: Array<{ body: Order; attributes: Attributes }> = [];
  for (let index = 1; index <= count; index++) {
    const price = Math.round((5 + random() * 295) * 100) / 100;
    const attributes: Attributes = {
      event: pick(events),
      // One order in six comes from the legacy system, which sends numbers as strings.
      price_usd: random() < 1 / 6 ? price.toFixed(2) : price,
      region: pick(regions),
    };
    if (random() < 0.3) attributes["customer_tier"] = "vip";
    if (random() < 0.25) attributes["coupon"] = pick(["SPRING10", "WELCOME5"]);
    const items = [pick(catalogue)];
    if (random() < 0.5) items.push(pick(catalogue));
    orders.push({ body: { orderId: `o-${String(index).padStart(3, "0")}`, items }, attributes });
  }
  return orders;
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        orders: { type: "string", default: "12" },
        seed: { type: "string", default: "6" },
        policy: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${help}`);
  }
})();

if (values.help) {
  process.stdout.write(help);
  process.exit(0);
}
const orderCount = Number(values.orders);
const seed = Number(values.seed);
if (!Number.isInteger(orderCount) || orderCount < 1 || orderCount > 1000) fail("--orders must be a whole number from 1 to 1000");
if (!Number.isInteger(seed)) fail("--seed must be a whole number");

const subscribers: Subscriber[] = [
  { name: "big", describe: "orders over $100", filter: { price_usd: [{ numeric: [">", 100] }] } },
  { name: "eu", describe: "anything shipped to an EU region", filter: { region: [{ prefix: "eu-" }] } },
  { name: "refunds", describe: "cancellations and refunds", filter: { event: ["order_cancelled", "order_refunded"] } },
  {
    name: "vip-mid",
    describe: "VIP orders from $50 up to (not including) $200",
    filter: { customer_tier: ["vip"], price_usd: [{ numeric: [">=", 50, "<", 200] }] },
  },
  { name: "no-coupon", describe: "placed orders without a coupon", filter: { event: ["order_placed"], coupon: [{ exists: false }] } },
  { name: "gifts", describe: "a predicate on the body: orders with a gift card", filter: (message) => message.body.items.includes("gift card") },
  { name: "audit", describe: "everything (the empty policy)", filter: {} },
];

if (values.policy !== undefined) {
  let policy: unknown;
  try {
    policy = JSON.parse(values.policy);
  } catch (error) {
    fail(`--policy is not valid JSON: ${(error as Error).message}`);
  }
  subscribers.push({ name: "mine", describe: "your --policy", filter: policy as FilterPolicy });
}

function isTodo(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("TODO");
}

function describeFilter(filter: Subscriber["filter"]): string {
  return typeof filter === "function" ? "(a predicate function)" : JSON.stringify(filter);
}

function cell(value: Attributes[string] | undefined): string {
  if (value === undefined) return "-";
  return typeof value === "string" && /^\d/.test(value) ? JSON.stringify(value) : String(value);
}

try {
  const topic = new Topic<Order>();
  const received = new Map<string, Set<string>>();
  for (const subscriber of subscribers) {
    const inbox = new Set<string>();
    received.set(subscriber.name, inbox);
    try {
      topic.subscribe((message) => inbox.add(message.body.orderId), subscriber.filter);
    } catch (error) {
      if (isTodo(error) || !(error instanceof TypeError)) throw error;
      fail(`Your Topic rejected the policy of "${subscriber.name}" ${describeFilter(subscriber.filter)}:\n  ${error.message}`);
    }
  }

  const orders = makeOrders(orderCount, seed);
  const matched = new Map<string, number | string>();
  for (const order of orders) {
    try {
      matched.set(order.body.orderId, topic.publish(order.body, order.attributes));
    } catch (error) {
      if (isTodo(error)) throw error;
      matched.set(order.body.orderId, `threw ${(error as Error).name}`);
    }
  }

  process.stdout.write(`Subscribers (in subscription order):\n`);
  for (const subscriber of subscribers) {
    process.stdout.write(`  ${subscriber.name.padEnd(10)} ${subscriber.describe}\n  ${" ".repeat(10)} ${describeFilter(subscriber.filter)}\n`);
  }
  type Column = { title: string; width: number; value: (order: (typeof orders)[number]) => string };
  const printTable = (columns: Column[]) => {
    const row = (cells: string[]) =>
      cells.map((text, index) => text.padEnd(Math.max(columns[index]?.width ?? 0, columns[index]?.title.length ?? 0))).join("  ").trimEnd();
    process.stdout.write(`${row(columns.map((column) => column.title))}\n`);
    process.stdout.write(`${row(columns.map((column) => "-".repeat(Math.max(column.width, column.title.length))))}\n`);
    for (const order of orders) process.stdout.write(`${row(columns.map((column) => column.value(order)))}\n`);
  };
  const orderColumn: Column = { title: "order", width: 6, value: (order) => order.body.orderId };

  // Two tables, both by order, so each fits 100 columns: what the orders carry, then who received them.
  say(`\n${orders.length} orders published (seed ${seed}), with their attributes:\n`);
  printTable([
    orderColumn,
    { title: "event", width: 15, value: (order) => cell(order.attributes["event"]) },
    { title: "price_usd", width: 9, value: (order) => cell(order.attributes["price_usd"]) },
    { title: "region", width: 12, value: (order) => cell(order.attributes["region"]) },
    { title: "customer_tier", width: 4, value: (order) => cell(order.attributes["customer_tier"]) },
    { title: "coupon", width: 8, value: (order) => cell(order.attributes["coupon"]) },
    { title: "gift card", width: 4, value: (order) => (order.body.items.includes("gift card") ? "yes" : "-") },
  ]);
  say("\nWho received each order (a tick means that subscriber received it), and what publish returned:\n");
  printTable([
    orderColumn,
    ...subscribers.map((subscriber) => ({
      title: subscriber.name,
      width: subscriber.name.length,
      value: (order: (typeof orders)[number]) => (received.get(subscriber.name)?.has(order.body.orderId) ? "✓" : "·"),
    })),
    { title: "matched", width: 7, value: (order) => String(matched.get(order.body.orderId)) },
  ]);

  // Up to 60 # a bar, so --orders 1000 still fits 100 columns.
  const most = Math.max(0, ...subscribers.map((subscriber) => received.get(subscriber.name)?.size ?? 0));
  const perMark = Math.max(1, Math.ceil(most / 60));
  process.stdout.write(`\nMessages received${perMark > 1 ? ` (each # is ${perMark} messages)` : ""}:\n`);
  let deliveries = 0;
  for (const subscriber of subscribers) {
    const count = received.get(subscriber.name)?.size ?? 0;
    deliveries += count;
    process.stdout.write(`${`  ${subscriber.name.padEnd(10)} ${String(count).padStart(4)}  ${"#".repeat(Math.round(count / perMark))}`.trimEnd()}\n`);
  }
  const legacy = orders.filter((order) => typeof order.attributes["price_usd"] === "string").length;
  process.stdout.write(`\n${orders.length} orders became ${deliveries} deliveries.\n`);
  if (legacy > 0) {
    say(
      `${legacy} order(s) carried the price as a string, such as "120.00". A numeric condition never ` +
        `matches a string, so "big" and "vip-mid" skip them whatever the amount.`,
    );
  }
} catch (error) {
  if (isTodo(error)) {
    fail("Your Topic is not implemented yet: run `npm run exercise 06` and make the public tests pass first.");
  }
  throw error;
}

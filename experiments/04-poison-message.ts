/**
 * Experiment 04: a poison message among good ones.
 *
 *     npm run experiment -- 04-poison-message [options]
 *
 * One worker drains your MessageQueue. Some orders are "poison" (they fail on
 * every delivery, like a message with a body the worker cannot parse), some
 * are "flaky" (they fail on their first delivery only, like a database
 * timeout), and the rest succeed. The experiment prints every delivery, the
 * order in which messages finished, how many deliveries each one took and the
 * dead letters. Then it "deploys a fix" for the poison orders, calls
 * `redrive()` and drains the queue again.
 *
 * Options:
 *   --messages N        how many orders to publish (default 8)
 *   --poison LIST       order numbers that always fail, comma-separated (default 3)
 *   --flaky LIST        order numbers that fail only on their first delivery (default 6)
 *   --max-attempts N    the queue's maxAttempts (default 3)
 *   --no-fix            redrive without fixing the bug: watch the poison orders die again
 *
 * Nothing sleeps: the worker is a plain loop, so the run is instant and the
 * same every time.
 */
import { parseArgs } from "node:util";
import { MessageQueue } from "@exercise/04-dead-letter-queue/message-queue";
import { say, warn } from "./output.ts";

interface Order {
  order: number;
}

interface Options {
  messages: number;
  poison: Set<number>;
  flaky: Set<number>;
  maxAttempts: number;
  fix: boolean;
}

class UsageError extends Error {}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      messages: { type: "string", default: "8" },
      poison: { type: "string", default: "3" },
      flaky: { type: "string", default: "6" },
      "max-attempts": { type: "string", default: "3" },
      "no-fix": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "Usage: npm run experiment -- 04-poison-message [--messages N] [--poison LIST] [--flaky LIST]\n" +
        "         [--max-attempts N] [--no-fix]\n",
    );
    process.exit(0);
  }
  const messages = Number(values.messages);
  if (!Number.isInteger(messages) || messages < 1 || messages > 200) {
    throw new UsageError(`--messages must be a whole number from 1 to 200, got "${values.messages}"`);
  }
  const list = (name: string, text: string): Set<number> => {
    const numbers = text
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "")
      .map(Number);
    const bad = numbers.find((n) => !Number.isInteger(n) || n < 1 || n > messages);
    if (bad !== undefined) throw new UsageError(`--${name} lists order ${bad}, but orders are numbered 1 to ${messages}`);
    return new Set(numbers);
  };
  return {
    messages,
    poison: list("poison", values.poison),
    flaky: list("flaky", values.flaky),
    maxAttempts: Number(values["max-attempts"]),
    fix: !values["no-fix"],
  };
}

interface Delivery {
  order: number;
  attempt: number;
  outcome: string;
}

/**
 * One worker: consume, "process", then ack or nack, until nothing is waiting.
 * `fails` decides whether processing this delivery fails, and why.
 */
function drain(
  queue: MessageQueue<Order>,
  fails: (order: number, attempt: number) => string | null,
  limit: number,
): { deliveries: Delivery[]; finished: number[]; stoppedEarly: boolean } {
  const deliveries: Delivery[] = [];
  const finished: number[] = [];
  for (let step = 0; step < limit; step++) {
    const envelope = queue.consume();
    if (envelope === null) return { deliveries, finished, stoppedEarly: false };
    const { order } = envelope.body;
    const reason = fails(order, envelope.attempts);
    if (reason === null) {
      queue.ack(envelope.id);
      finished.push(order);
      deliveries.push({ order, attempt: envelope.attempts, outcome: "ok, acked" });
    } else {
      const result = queue.nack(envelope.id, reason);
      deliveries.push({ order, attempt: envelope.attempts, outcome: `failed (${reason}) -> ${String(result)}` });
    }
  }
  return { deliveries, finished, stoppedEarly: true };
}

function printDeliveries(deliveries: Delivery[], startStep: number): void {
  console.log("  step  order  attempt  outcome");
  deliveries.forEach((delivery, index) => {
    const step = String(startStep + index + 1).padStart(6);
    const order = `#${delivery.order}`.padEnd(5);
    const attempt = String(delivery.attempt).padStart(7);
    console.log(`${step}  ${order}  ${attempt}  ${delivery.outcome}`);
  });
}

function printPerOrder(deliveries: Delivery[], messages: number, finished: number[], deadOrders: Set<number>): void {
  console.log("\nDeliveries per order (one # per delivery):");
  for (let order = 1; order <= messages; order++) {
    const count = deliveries.filter((delivery) => delivery.order === order).length;
    if (count === 0) continue;
    const result = finished.includes(order) ? "done" : deadOrders.has(order) ? "dead-lettered" : "still waiting";
    // A long run of # is cut short, so a large --max-attempts still fits 100 columns.
    const marks = count > 60 ? `${"#".repeat(60)}+` : "#".repeat(count);
    console.log(`  #${String(order).padEnd(4)} ${marks.padEnd(12)} ${String(count).padStart(2)}  ${result}`);
  }
}

function printDeadLetters(queue: MessageQueue<Order>): Set<number> {
  const letters = queue.deadLetters();
  if (letters.length === 0) {
    console.log("\nDead letters: none");
    return new Set();
  }
  console.log(`\nDead letters (${letters.length}), in the order they were dead-lettered:`);
  for (const letter of letters) {
    console.log(`  #${letter.body.order}  attempts ${letter.attempts}  reason "${letter.reason}"  id ${letter.id}`);
  }
  return new Set(letters.map((letter) => letter.body.order));
}

function run(options: Options): void {
  const queue = new MessageQueue<Order>({ maxAttempts: options.maxAttempts });
  for (let order = 1; order <= options.messages; order++) queue.publish({ order });
  // A correct queue never needs more deliveries than this; a buggy one might loop forever.
  const limit = options.messages * (options.maxAttempts + 2) + 10;

  const describe = (set: Set<number>) => (set.size === 0 ? "none" : [...set].map((n) => `#${n}`).join(" "));
  console.log(`MessageQueue with maxAttempts ${options.maxAttempts}: ${options.messages} orders published`);
  say(`  poison (fail every time): ${describe(options.poison)}`);
  say(`  flaky (fail the first time only): ${describe(options.flaky)}`);

  console.log("\nPhase 1: one worker drains the queue\n");
  const before = drain(
    queue,
    (order, attempt) => {
      if (options.poison.has(order)) return "cannot parse order";
      if (options.flaky.has(order) && attempt === 1) return "database timeout";
      return null;
    },
    limit,
  );
  printDeliveries(before.deliveries, 0);
  if (before.stoppedEarly) say(`\n  Stopped after ${limit} deliveries: consume kept returning messages. Check ack, nack and maxAttempts.`);
  say(`\nFinished in this order: ${before.finished.map((n) => `#${n}`).join(" ") || "(none)"}`);
  const dead = printDeadLetters(queue);
  printPerOrder(before.deliveries, options.messages, before.finished, dead);

  if (dead.size === 0) {
    say("\nNothing was dead-lettered, so there is nothing to redrive. Try --poison 2,5 or --max-attempts 1.");
    return;
  }

  console.log(options.fix ? "\nPhase 2: deploy a fix for the poison orders, then redrive\n" : "\nPhase 2: redrive WITHOUT fixing the bug\n");
  const moved = queue.redrive();
  console.log(`  redrive() moved ${moved} message(s) back; size() is now ${queue.size()}\n`);
  const after = drain(queue, (order) => (!options.fix && options.poison.has(order) ? "cannot parse order" : null), limit);
  printDeliveries(after.deliveries, before.deliveries.length);
  if (after.stoppedEarly) say(`\n  Stopped after ${limit} deliveries: consume kept returning messages. Check ack, nack and maxAttempts.`);
  say(`\nFinished after the redrive: ${after.finished.map((n) => `#${n}`).join(" ") || "(none)"}`);
  printDeadLetters(queue);
  if (!options.fix) say("\nWithout a fix, a redrive only spends another maxAttempts deliveries on each poison order.");
}

try {
  run(parseOptions());
} catch (error) {
  if (error instanceof Error && error.message.startsWith("TODO")) {
    say("Your MessageQueue is not implemented yet. Implement it first (npm run exercise 04), then run this experiment again.");
    process.exit(1);
  }
  const code = (error as { code?: unknown }).code;
  const badArgs = typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
  if (error instanceof UsageError || error instanceof RangeError || badArgs) {
    warn(`experiment 04: ${(error as Error).message}`);
    process.exit(2);
  }
  throw error;
}

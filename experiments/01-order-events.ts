/**
 * Experiment 01, part two: a FIFO queue is not enough once several workers share it.
 *
 *   npm run experiment -- 01-order-events [options]
 *
 * A shop publishes four events for every order: placed, paid, packed, shipped,
 * always in that order for one order, interleaved across orders. A backlog of
 * them waits in your TaskQueue, and workers process them. Handling an event
 * takes a while ("paid" is slow: it calls the card provider).
 *
 * Three ways to consume the same events:
 * 1. one queue, one worker: slow, but every order's events run in order;
 * 2. one queue, --workers competing workers: faster, but a later event of an
 *    order can start while an earlier one is still running ("shipped" before
 *    "paid" has finished);
 * 3. one queue per worker, each order always sent to the same queue (order
 *    number modulo --workers): still in order per order, and nearly as fast.
 *    This is what message groups (Amazon SQS FIFO) and keys (Kafka partitions) do.
 *
 * Options (all optional):
 *   --orders <n>    how many orders (default 4)
 *   --workers <n>   workers in scenarios 2 and 3 (default 3)
 *   --seed <n>      changes the interleaving and the handling times (default 7)
 *
 * Everything runs in virtual time: the same options print the same output.
 */
import { parseArgs } from "node:util";
import { TaskQueue } from "@exercise/01-task-queue/task-queue";
import { say, TABLE_COLUMNS, warn } from "./output.ts";
import { seededRandom } from "../tests/support/random.ts";

const STEPS = ["placed", "paid", "packed", "shipped"] as const;
/** Handling time ranges in milliseconds: [shortest, longest]. */
const HANDLING_MS: Record<(typeof STEPS)[number], [number, number]> = {
  placed: [20, 60],
  paid: [120, 320],
  packed: [40, 100],
  shipped: [20, 60],
};

interface OrderEvent {
  order: number;
  step: number; // index into STEPS
  handlingMs: number;
}

interface Handled {
  event: OrderEvent;
  worker: number;
  start: number;
  end: number;
}

function fail(message: string): never {
  warn(`${message}\nRun with --help to see the options.`);
  process.exit(2);
}

function numberOption(value: string | undefined, name: string, fallback: number, min: number, maxValue: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > maxValue) {
    fail(`--${name} must be a whole number from ${min} to ${maxValue} (got "${value}")`);
  }
  return parsed;
}

let values: { orders?: string; workers?: string; seed?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      orders: { type: "string" },
      workers: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  fail((error as Error).message.split(". ")[0] ?? "bad arguments");
}

if (values.help) {
  process.stdout.write("Usage: npm run experiment -- 01-order-events [--orders 4] [--workers 3] [--seed 7]\n");
  process.exit(0);
}

const orders = numberOption(values.orders, "orders", 4, 1, 50);
const workers = numberOption(values.workers, "workers", 3, 1, 20);
const seed = numberOption(values.seed, "seed", 7, 0, 2 ** 31);

// --- Is there a queue to use yet? ---------------------------------------------

function studentFailure(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith("TODO")) {
    warn("Your TaskQueue is not written yet: implement it first (npm run exercise 01), then run this again.");
  } else {
    warn(`Your TaskQueue threw an error: ${message}\nFix it first (npm run exercise 01).`);
  }
  process.exit(1);
}

try {
  const probe = new TaskQueue<number>();
  probe.enqueue(1);
  probe.dequeue();
} catch (error) {
  studentFailure(error);
}

// --- The events, in the order the shop published them --------------------------

const random = seededRandom(seed);
const published: OrderEvent[] = [];
const nextStep = new Array<number>(orders).fill(0);
while (published.length < orders * STEPS.length) {
  // Pick an order that still has events; its next event is published now.
  const open = nextStep.flatMap((step, index) => (step < STEPS.length ? [index] : []));
  const order = open[Math.floor(random() * open.length)] ?? 0;
  const step = nextStep[order] ?? 0;
  const [shortest, longest] = HANDLING_MS[STEPS[step] ?? "placed"];
  published.push({ order: order + 1, step, handlingMs: Math.round(shortest + random() * (longest - shortest)) });
  nextStep[order] = step + 1;
}

function take(queue: TaskQueue<OrderEvent>): OrderEvent | null {
  try {
    return queue.dequeue() ?? null; // ?? also catches a queue that wrongly returns undefined
  } catch (error) {
    return studentFailure(error);
  }
}

function fill(queue: TaskQueue<OrderEvent>, events: OrderEvent[]): void {
  try {
    for (const event of events) queue.enqueue(event);
  } catch (error) {
    studentFailure(error);
  }
}

// --- The three scenarios ------------------------------------------------------

/** Workers share one queue; whichever worker is free first takes the next event. */
function sharedQueue(workerCount: number): Handled[] {
  const queue = new TaskQueue<OrderEvent>();
  fill(queue, published);
  const freeAt = new Array<number>(workerCount).fill(0);
  const handled: Handled[] = [];
  for (;;) {
    // The worker that becomes free first (ties: the lower number) asks for work.
    let worker = 0;
    for (let w = 1; w < workerCount; w++) if ((freeAt[w] ?? 0) < (freeAt[worker] ?? 0)) worker = w;
    const event = take(queue);
    if (event === null) break;
    const start = freeAt[worker] ?? 0;
    const end = start + event.handlingMs;
    freeAt[worker] = end;
    handled.push({ event, worker: worker + 1, start, end });
  }
  return handled;
}

/** One queue per worker; an order's events always go to the same queue. */
function queuePerWorker(workerCount: number): Handled[] {
  const queues = Array.from({ length: workerCount }, () => new TaskQueue<OrderEvent>());
  for (const event of published) {
    const queue = queues[(event.order - 1) % workerCount];
    if (queue) fill(queue, [event]);
  }
  const handled: Handled[] = [];
  queues.forEach((queue, index) => {
    let now = 0;
    for (let event = take(queue); event !== null; event = take(queue)) {
      handled.push({ event, worker: index + 1, start: now, end: now + event.handlingMs });
      now += event.handlingMs;
    }
  });
  return handled;
}

interface Problem {
  later: Handled;
  earlier: Handled | undefined; // undefined: the earlier event never ran
}

/** Events that started before the previous event of the same order had finished. */
function problems(handled: Handled[]): Problem[] {
  const byStep = new Map<string, Handled>(handled.map((entry) => [`${entry.event.order}/${entry.event.step}`, entry]));
  const found: Problem[] = [];
  for (const entry of handled) {
    if (entry.event.step === 0) continue;
    const earlier = byStep.get(`${entry.event.order}/${entry.event.step - 1}`);
    if (earlier === undefined || entry.start < earlier.end) found.push({ later: entry, earlier });
  }
  return found.sort((a, b) => a.later.start - b.later.start);
}

// --- Printing ----------------------------------------------------------------

const ms = (value: number) => `${value.toLocaleString("en-US")} ms`;
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
const name = (event: OrderEvent) => `#${event.order} ${STEPS[event.step] ?? "?"}`;

say(`${orders} orders x ${STEPS.length} events, published in this order (handling time in brackets):`);
// As many events a line as fit in 100 columns, in columns, so no event is split across two lines.
const items = published.map((event) => `${name(event)} (${event.handlingMs})`);
const itemWidth = Math.max(...items.map((item) => item.length)) + 2;
const perLine = Math.max(1, Math.floor((TABLE_COLUMNS - 2) / itemWidth));
for (let first = 0; first < items.length; first += perLine) {
  console.log(`  ${items.slice(first, first + perLine).map((item) => item.padEnd(itemWidth)).join("")}`.trimEnd());
}
console.log("");

const scenarios = [
  { title: "1. one queue, one worker", handled: sharedQueue(1), workers: 1 },
  { title: `2. one queue, ${plural(workers, "competing worker")}`, handled: sharedQueue(workers), workers },
  { title: `3. ${plural(workers, "queue")} by order number, a worker each`, handled: queuePerWorker(workers), workers },
];

const shared = scenarios[1];
if (shared) {
  say(`Scenario 2, event by event (${plural(workers, "worker")} taking turns at one queue):\n`);
  const rows = [...shared.handled].sort((a, b) => a.start - b.start || a.worker - b.worker);
  const bad = new Set(problems(shared.handled).map((problem) => problem.later));
  const byStep = new Map(shared.handled.map((entry) => [`${entry.event.order}/${entry.event.step}`, entry]));
  // Sized to the longest time, so the notes stay within 100 columns however many orders run.
  const timeWidth = Math.max(8, ...rows.map((row) => ms(row.end).length));
  console.log(`  ${"start".padEnd(timeWidth)} ${"end".padEnd(timeWidth)} worker  event`);
  for (const row of rows) {
    let note = "";
    if (bad.has(row)) {
      const earlier = byStep.get(`${row.event.order}/${row.event.step - 1}`);
      note = earlier
        ? `  <- too early: ${name(earlier.event)} runs on worker ${earlier.worker} until ${ms(earlier.end)}`
        : "  <- too early: the event before it never ran";
    }
    console.log(`  ${ms(row.start).padEnd(timeWidth)} ${ms(row.end).padEnd(timeWidth)} ${String(row.worker).padEnd(7)} ${name(row.event).padEnd(12)}${note}`.trimEnd());
  }
  console.log("");
}

const titleWidth = Math.max(...scenarios.map((scenario) => scenario.title.length));
console.log(`  ${"scenario".padEnd(titleWidth)}  all done at  events started too early`);
for (const scenario of scenarios) {
  const done = Math.max(0, ...scenario.handled.map((entry) => entry.end));
  const count = problems(scenario.handled).length;
  console.log(`  ${scenario.title.padEnd(titleWidth)}  ${ms(done).padStart(11)}  ${String(count).padStart(5)}`);
}

const single = scenarios[0];
if (single && problems(single.handled).length > 0) {
  say("\nScenario 1 has a single worker, so nothing should start too early: your TaskQueue is not first in, first out yet.");
  process.exitCode = 1;
}
const lost = scenarios.find((scenario) => scenario.handled.length !== published.length);
if (lost) {
  say(`\nSome events never came out of your TaskQueue (${lost.handled.length} of ${published.length} in "${lost.title}"): check enqueue and dequeue.`);
  process.exitCode = 1;
}
say(
  "\nA FIFO queue hands events out in order, but competing workers finish them in any order. " +
    "Sending each order to its own queue keeps its events in sequence and still uses several workers " +
    "(but never more workers than there are orders: an order's events always wait for one worker)." +
    "\nTry --workers 1, --workers 8, or another --seed.",
);

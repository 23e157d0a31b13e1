/**
 * Experiment 00: a synchronous order chain versus a queued one, while the email
 * provider is down.
 *
 *   npm run experiment -- 00-order-chain [options]
 *
 * One order arrives every minute. Each order must charge the card (300 ms),
 * reserve stock (50 ms), email the customer (400 ms) and notify the warehouse
 * (150 ms). From --outage-at for --outage minutes the email provider is down: a
 * call to it hangs until --timeout seconds pass, then fails.
 *
 * - Synchronous: the checkout request runs the four steps one after another.
 *   If a step fails, the whole request fails and the shopper's browser retries
 *   it (up to --retries times), which charges the card again.
 * - Queued: the checkout request only stores an "order placed" message (20 ms).
 *   Each step has its own consumer. The email consumer retries a failed email
 *   after 30 s, then 60 s, 120 s, 240 s, then every 300 s, and gives up after
 *   --max-attempts tries (the message goes to a dead-letter queue).
 *
 * Options (all optional):
 *   --orders <n>         orders to place, one a minute (default 20)
 *   --outage-at <min>    minute the email provider goes down (default 5)
 *   --outage <min>       how many minutes it stays down (default 10; 0 = no outage)
 *   --timeout <s>        how long a call to the dead provider hangs (default 10)
 *   --retries <n>        synchronous: times the browser retries a failed checkout (default 2)
 *   --max-attempts <n>   queued: email tries before dead-lettering (default 8)
 *
 * Everything runs in virtual time: the output is the same on every run, and
 * the experiment needs none of your code.
 */
import { parseArgs } from "node:util";
import { say, warn } from "./output.ts";

const STEP_MS = { charge: 300, reserve: 50, email: 400, warehouse: 150 } as const;
const PUBLISH_MS = 20;
const BACKOFF_MS = [30_000, 60_000, 120_000, 240_000, 300_000];
const ORDER_EVERY_MS = 60_000;

function fail(message: string): never {
  warn(`${message}\nRun with --help to see the options.`);
  process.exit(2);
}

function numberOption(value: string | undefined, name: string, fallback: number, min: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || (integer && !Number.isInteger(parsed))) {
    fail(`--${name} must be ${integer ? "a whole number" : "a number"} >= ${min} (got "${value}")`);
  }
  return parsed;
}

const { values } = parseArgs({
  options: {
    orders: { type: "string" },
    "outage-at": { type: "string" },
    outage: { type: "string" },
    timeout: { type: "string" },
    retries: { type: "string" },
    "max-attempts": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  process.stdout.write(
    "Usage: npm run experiment -- 00-order-chain [--orders 20] [--outage-at 5] [--outage 10]\n" +
      "         [--timeout 10] [--retries 2] [--max-attempts 8]\n",
  );
  process.exit(0);
}

const orders = numberOption(values.orders, "orders", 20, 1, true);
const outageStart = numberOption(values["outage-at"], "outage-at", 5, 0, false) * 60_000;
const outageEnd = outageStart + numberOption(values.outage, "outage", 10, 0, false) * 60_000;
const timeoutMs = numberOption(values.timeout, "timeout", 10, 0.001, false) * 1000;
const retries = numberOption(values.retries, "retries", 2, 0, true);
const maxAttempts = numberOption(values["max-attempts"], "max-attempts", 8, 1, true);

const emailUp = (at: number) => at < outageStart || at >= outageEnd;

/** mm:ss.s, counted from the first order. */
function clock(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms - minutes * 60_000) / 1000;
  return `${String(minutes).padStart(2, "0")}:${seconds.toFixed(1).padStart(4, "0")}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

// --- The synchronous chain -------------------------------------------------

interface SyncResult {
  ok: boolean;
  waitedMs: number;
  charges: number;
}

/** One checkout request, retried by the browser. Every attempt starts again from the first step. */
function synchronousCheckout(placedAt: number): SyncResult {
  let now = placedAt;
  let charges = 0;
  for (let attempt = 0; attempt <= retries; attempt++) {
    now += STEP_MS.charge;
    charges++; // the card is charged before anyone knows whether the email will work
    now += STEP_MS.reserve;
    if (!emailUp(now)) {
      now += timeoutMs; // the call hangs, then the whole request fails
      continue;
    }
    now += STEP_MS.email + STEP_MS.warehouse;
    return { ok: true, waitedMs: now - placedAt, charges };
  }
  return { ok: false, waitedMs: now - placedAt, charges };
}

// --- The queued version ------------------------------------------------------

interface EmailJob {
  order: number;
  readyAt: number;
  attempts: number;
  sentAt?: number;
  deadAt?: number;
}

/**
 * One email worker, in virtual time. It always takes the job that has been ready
 * longest (ties: the lower order number), so a failing email waits out its
 * back-off without blocking the others.
 */
function runEmailConsumer(jobs: EmailJob[]): void {
  let now = 0;
  const waiting = [...jobs];
  while (waiting.length > 0) {
    const readyNow = waiting.filter((job) => job.readyAt <= now);
    if (readyNow.length === 0) {
      now = Math.min(...waiting.map((job) => job.readyAt));
      continue;
    }
    const job = readyNow.reduce((a, b) => (b.readyAt < a.readyAt || (b.readyAt === a.readyAt && b.order < a.order) ? b : a));
    job.attempts++;
    if (emailUp(now)) {
      now += STEP_MS.email;
      job.sentAt = now;
    } else {
      now += timeoutMs;
      if (job.attempts >= maxAttempts) {
        job.deadAt = now;
      } else {
        job.readyAt = now + (BACKOFF_MS[Math.min(job.attempts - 1, BACKOFF_MS.length - 1)] ?? 0);
        continue;
      }
    }
    waiting.splice(waiting.indexOf(job), 1);
  }
}

// --- Run both and print ------------------------------------------------------

const sync: SyncResult[] = [];
const emails: EmailJob[] = [];
for (let i = 0; i < orders; i++) {
  const placedAt = i * ORDER_EVERY_MS;
  sync.push(synchronousCheckout(placedAt));
  emails.push({ order: i + 1, readyAt: placedAt + PUBLISH_MS, attempts: 0 });
}
runEmailConsumer(emails);

const outageText = outageEnd > outageStart ? `down from ${clock(outageStart)} to ${clock(outageEnd)}` : "never down";
say(`${orders} orders, one a minute. Email provider ${outageText}; a call to it hangs ${seconds(timeoutMs)} when it is down.\n`);

// Two header rows: the first names the design, so the column titles stay short and the table within 100 columns.
const groups: Array<{ title: string; from: number; to: number }> = [
  { title: "synchronous chain", from: 2, to: 4 },
  { title: "with a queue", from: 5, to: 8 },
];
const header = ["order", "placed", "result", "shopper waited", "charges", "accepted in", "charged at", "email", "tries"];
const rows = sync.map((result, i) => {
  const placedAt = i * ORDER_EVERY_MS;
  const job = emails[i];
  const email = job?.sentAt !== undefined ? `sent ${clock(job.sentAt)}` : `dead-lettered ${clock(job?.deadAt ?? 0)}`;
  return [
    `#${i + 1}`,
    clock(placedAt),
    result.ok ? "ok" : "FAILED",
    seconds(result.waitedMs),
    String(result.charges),
    seconds(PUBLISH_MS),
    clock(placedAt + PUBLISH_MS + STEP_MS.charge),
    email,
    String(job?.attempts ?? 0),
  ];
});
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
const startOf = (column: number) => widths.slice(0, column).reduce((sum, width) => sum + width + 2, 0);
let groupLine = "";
for (const group of groups) {
  const width = startOf(group.to + 1) - 2 - startOf(group.from);
  groupLine = `${groupLine.padEnd(startOf(group.from))}${`${group.title} `.padEnd(width, "-")}`;
}
console.log(groupLine);
console.log(line(header));
console.log(line(widths.map((width) => "-".repeat(width))));
for (const row of rows) console.log(line(row));

const failed = sync.filter((result) => !result.ok).length;
const syncCharges = sync.reduce((sum, result) => sum + result.charges, 0);
const slowest = Math.max(...sync.map((result) => result.waitedMs));
const sent = emails.filter((job) => job.sentAt !== undefined);
const dead = emails.length - sent.length;
const lastSent = Math.max(...sent.map((job) => job.sentAt ?? 0));
const totalAttempts = emails.reduce((sum, job) => sum + job.attempts, 0);

console.log("\nSynchronous chain");
console.log(`  orders that failed:     ${failed} of ${orders}`);
console.log(`  longest wait:           ${seconds(slowest)}`);
const failedCharges = sync.filter((result) => !result.ok).reduce((sum, result) => sum + result.charges, 0);
say(`  card charges:           ${syncCharges} for ${orders} orders${failed > 0 ? ` (${failedCharges} of them for the ${failed} orders that failed)` : ""}`);
console.log("With a queue");
console.log(`  orders that failed:     0 of ${orders} (each accepted in ${seconds(PUBLISH_MS)})`);
console.log(`  card charges:           ${orders} for ${orders} orders`);
say(`  emails sent:            ${sent.length}${sent.length > 0 ? `, the last at ${clock(lastSent)}` : ""}; ${totalAttempts} tries in all`);
say(`  dead-lettered emails:   ${dead}${dead > 0 ? " (raise --max-attempts, or redrive them once the provider is back)" : ""}`);

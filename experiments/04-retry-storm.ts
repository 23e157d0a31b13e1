/**
 * Experiment 04: a retry storm after an outage.
 *
 *   npm run experiment -- 04-retry-storm [options]
 *
 * A service goes down, and the calls of 1,000 clients fail in the same 100 ms.
 * Every client retries until its call succeeds. The service comes back after
 * --outage seconds, but it can only answer --capacity calls in each 100 ms
 * window; the calls beyond that are turned away and fail, as an overloaded
 * service's do, and those clients retry too. The experiment runs three
 * retry strategies on the same clients:
 *
 * - a fixed delay: wait --delay ms after every failure;
 * - exponential backoff without jitter: wait base, 2 x base, 4 x base, ...,
 *   never more than --cap;
 * - exponential backoff with full jitter: wait a random time between 0 and
 *   that same capped delay.
 *
 * For each strategy it prints the busiest 100 ms window after the service
 * recovers, the calls made in all, and when the last client succeeded; then
 * a chart of calls per second for the worst strategy and the best.
 *
 * It does not use your MessageQueue: it shows why a queue's retries should be
 * spread out, which the module's nack (retry at once, at the back) does not do.
 *
 * Options (all optional):
 *   --clients <n>      clients whose calls fail when the outage starts (default 1000)
 *   --outage <s>       how long the service is down, in seconds (default 10)
 *   --capacity <n>     calls the service answers per 100 ms once it is back (default 100)
 *   --delay <ms>       the fixed strategy's delay (default 1000)
 *   --base <ms>        the first backoff delay; it doubles after each failure (default 1000)
 *   --cap <s>          the longest backoff delay, in seconds (default 10)
 *   --seed <n>         seed for the random start times and the jitter (default 1)
 *
 * Everything runs on a virtual clock with a seeded random generator: nothing
 * sleeps, and the same options always print the same numbers.
 */
import { parseArgs } from "node:util";
import { say, warn } from "./output.ts";
import { seededRandom } from "../tests/support/random.ts";

const WINDOW_MS = 100;
/** The simulation gives up after this much virtual time, or this many calls per strategy. */
const HORIZON_MS = 3_600_000;
const MAX_CALLS = 2_000_000;

function fail(message: string): never {
  warn(`experiment 04-retry-storm: ${message}\nRun with --help to see the options.`);
  process.exit(2);
}

function numberOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < min || parsed > max) {
    fail(`--${name} must be a number from ${min} to ${max} (got "${value}")`);
  }
  return parsed;
}

let values: Partial<Record<"clients" | "outage" | "capacity" | "delay" | "base" | "cap" | "seed", string>> & { help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      clients: { type: "string" },
      outage: { type: "string" },
      capacity: { type: "string" },
      delay: { type: "string" },
      base: { type: "string" },
      cap: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  fail((error as Error).message.split(". ")[0] ?? "bad arguments");
}

if (values.help) {
  process.stdout.write(
    "Usage: npm run experiment -- 04-retry-storm [--clients 1000] [--outage 10] [--capacity 100]\n" +
      "         [--delay 1000] [--base 1000] [--cap 10] [--seed 1]\n",
  );
  process.exit(0);
}

const settings = {
  clients: Math.trunc(numberOption(values.clients, "clients", 1_000, 1, 20_000)),
  outageMs: numberOption(values.outage, "outage", 10, 0, 600) * 1_000,
  capacity: Math.trunc(numberOption(values.capacity, "capacity", 100, 1, 100_000)),
  delayMs: numberOption(values.delay, "delay", 1_000, 1, 600_000),
  baseMs: numberOption(values.base, "base", 1_000, 1, 600_000),
  capMs: numberOption(values.cap, "cap", 10, 0.001, 3_600) * 1_000,
  seed: Math.trunc(numberOption(values.seed, "seed", 1, 0, 2 ** 32 - 1)),
};

// --- The strategies -----------------------------------------------------------------

interface Strategy {
  name: string;
  /** How long to wait after a client's `failures`-th failed call (1 for the first failure). */
  delay(failures: number, random: () => number): number;
}

const capped = (failures: number) => Math.min(settings.capMs, settings.baseMs * 2 ** Math.min(failures - 1, 60));

const strategies: Strategy[] = [
  { name: "fixed delay", delay: () => settings.delayMs },
  { name: "exponential, no jitter", delay: (failures) => capped(failures) },
  { name: "exponential, full jitter", delay: (failures, random) => random() * capped(failures) },
];

// --- The simulation ---------------------------------------------------------------

interface Result {
  strategy: Strategy;
  totalCalls: number;
  /** Calls in each 100 ms window, by window number. */
  perWindow: number[];
  /** The busiest window from the moment the service is back. */
  peakAfter: number;
  /** When the last client succeeded, in ms; null when some never did. */
  lastSuccessMs: number | null;
  clientsLeft: number;
}

function simulate(strategy: Strategy): Result {
  // Each strategy gets the same start times: the same seed, drawn the same way.
  const random = seededRandom(settings.seed);
  // The clock ticks in whole milliseconds; `due` holds, for each millisecond, the clients that call then, in the order they were scheduled.
  const due = new Map<number, number[]>();
  const schedule = (ms: number, client: number) => {
    const list = due.get(ms);
    if (list) list.push(client);
    else due.set(ms, [client]);
  };
  for (let client = 0; client < settings.clients; client++) schedule(Math.floor(random() * WINDOW_MS), client);
  const failures = new Array<number>(settings.clients).fill(0);
  const perWindow: number[] = [];
  const answered: number[] = [];
  let pending = settings.clients;
  let totalCalls = 0;
  let lastSuccessMs = 0;
  for (let now = 0; pending > 0 && now <= HORIZON_MS && totalCalls < MAX_CALLS; now++) {
    const callers = due.get(now);
    if (!callers) continue;
    due.delete(now);
    const window = Math.floor(now / WINDOW_MS);
    // A retry due in this same millisecond joins the end of the list, and is handled in this pass.
    for (let index = 0; index < callers.length && totalCalls < MAX_CALLS; index++) {
      const client = callers[index] ?? 0;
      totalCalls++;
      perWindow[window] = (perWindow[window] ?? 0) + 1;
      if (now >= settings.outageMs && (answered[window] ?? 0) < settings.capacity) {
        answered[window] = (answered[window] ?? 0) + 1;
        lastSuccessMs = now;
        pending--;
        continue;
      }
      const failed = (failures[client] ?? 0) + 1;
      failures[client] = failed;
      const next = Math.round(now + strategy.delay(failed, random));
      if (next === now) callers.push(client);
      else schedule(next, client);
    }
  }
  const firstUpWindow = Math.ceil(settings.outageMs / WINDOW_MS);
  let peakAfter = 0;
  for (let window = firstUpWindow; window < perWindow.length; window++) peakAfter = Math.max(peakAfter, perWindow[window] ?? 0);
  return { strategy, totalCalls, perWindow, peakAfter, lastSuccessMs: pending === 0 ? lastSuccessMs : null, clientsLeft: pending };
}

// --- Printing ---------------------------------------------------------------------

const count = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? "" : "s"}`;
const seconds = (ms: number) => (ms < 100_000 ? `${(ms / 1_000).toFixed(1)} s` : `${count(Math.round(ms / 1_000))} s`);

const results = strategies.map(simulate);

const backoff =
  `${seconds(settings.baseMs)}, ${seconds(2 * settings.baseMs)}, ${seconds(4 * settings.baseMs)}, ... ` +
  `up to ${seconds(settings.capMs)}`;
say(
  `${plural(settings.clients, "client")} call a service, and all their calls fail in the same ${WINDOW_MS} ms as it goes ` +
    `down. It is back after ${seconds(settings.outageMs)}, and then answers ${plural(settings.capacity, "call")} per ` +
    `${WINDOW_MS} ms; it turns the rest away, and those clients retry too. Every client retries until it succeeds. ` +
    `Fixed delay: ${seconds(settings.delayMs)}. Backoff: ${backoff}. Seed ${settings.seed}.\n`,
);

const header = [
  ["strategy", ""],
  ["busiest 100 ms", "after recovery"],
  ["calls", "in all"],
  ["last client", "succeeded at"],
];
const rows = results.map((result) => [
  result.strategy.name,
  plural(result.peakAfter, "call"),
  count(result.totalCalls),
  result.lastSuccessMs === null ? `${count(result.clientsLeft)} still failing` : seconds(result.lastSuccessMs),
]);
const widths = header.map((titles, column) => Math.max(...titles.map((title) => title.length), ...rows.map((row) => (row[column] ?? "").length)));
const line = (cells: string[]) =>
  cells
    .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
    .join("   ")
    .trimEnd();
for (const titles of [0, 1]) console.log(line(header.map((title) => title[titles] ?? "")));
console.log(line(widths.map((width) => "-".repeat(width))));
for (const row of rows) console.log(line(row));
if (results.some((result) => result.lastSuccessMs === null)) {
  say(`\n(A strategy stops after ${count(MAX_CALLS)} calls or ${seconds(HORIZON_MS)} of virtual time; "still failing" counts the clients left.)`);
}

// The worst strategy has the busiest window after recovery (then the latest finish); the best, the quietest.
const finish = (result: Result) => result.lastSuccessMs ?? Infinity;
const ranked = [...results].sort((a, b) => a.peakAfter - b.peakAfter || finish(a) - finish(b));
const best = ranked[0] as Result;
const worst = ranked[ranked.length - 1] as Result;

/** Calls in each second from the moment the service is back, from the per-window counts. */
const firstSecond = Math.floor(settings.outageMs / 1_000);
function perSecond(result: Result): number[] {
  const windowsPerSecond = 1_000 / WINDOW_MS;
  const out: number[] = [];
  result.perWindow.forEach((calls, window) => {
    const second = Math.floor(window / windowsPerSecond) - firstSecond;
    if (second >= 0) out[second] = (out[second] ?? 0) + (calls ?? 0);
  });
  return Array.from(out, (calls) => calls ?? 0);
}

const CHART_WIDTH = 90;
const CHART_HEIGHT = 6;
const worstSeconds = perSecond(worst);
const bestSeconds = perSecond(best);
const span = Math.max(worstSeconds.length, bestSeconds.length, 1);
const perColumn = Math.max(1, Math.ceil(span / CHART_WIDTH));
const columnsOf = (samples: number[]) => {
  const columns: number[] = [];
  for (let start = 0; start < span; start += perColumn) columns.push(Math.max(0, ...samples.slice(start, start + perColumn)));
  return columns;
};
const top = Math.max(1, ...columnsOf(worstSeconds), ...columnsOf(bestSeconds));
const labelWidth = Math.max(5, count(top).length);

function chart(result: Result, samples: number[]): void {
  const columns = columnsOf(samples);
  console.log(`\nCalls per second after the service is back, ${result.strategy.name}:\n`);
  for (let row = CHART_HEIGHT; row >= 1; row--) {
    const full = (row / CHART_HEIGHT) * top;
    const half = ((row - 0.5) / CHART_HEIGHT) * top;
    const label = row === CHART_HEIGHT ? count(top) : row === Math.ceil(CHART_HEIGHT / 2) ? count(Math.round(full)) : "";
    // A second with a few calls, too few for half a row, still shows as a low mark.
    const bars = columns.map((value) => (value >= full ? "█" : value >= half ? "▄" : row === 1 && value > 0 ? "▁" : " ")).join("");
    console.log(`${label.padStart(labelWidth)} ┤${bars}`.trimEnd());
  }
  console.log(`${"0".padStart(labelWidth)} ┼${"─".repeat(columns.length)}`);
  const startLabel = seconds(firstSecond * 1_000);
  const endLabel = seconds((firstSecond + span) * 1_000);
  const gap = Math.max(1, columns.length - startLabel.length - endLabel.length);
  console.log(`${" ".repeat(labelWidth + 2)}${startLabel}${" ".repeat(gap)}${endLabel}`);
}

chart(worst, worstSeconds);
chart(best, bestSeconds);
if (perColumn > 1) say(`\n(Each column covers ${perColumn} s and shows its busiest second.)`);

// --- What the numbers say ------------------------------------------------------------

say();
const [fixed, plain, jitter] = results as [Result, Result, Result];
const finished = (result: Result) =>
  result.lastSuccessMs === null ? `${plural(result.clientsLeft, "client")} had still not succeeded when it stopped` : `the last client succeeds at ${seconds(result.lastSuccessMs)}`;
if (Math.max(fixed.peakAfter, plain.peakAfter) > settings.capacity) {
  say(
    `Without jitter, clients that failed together retry together. After recovery, a fixed delay sends ` +
      `${count(fixed.peakAfter)} calls in one ${WINDOW_MS} ms window, and backoff without jitter ${count(plain.peakAfter)}; ` +
      `the service answers ${count(settings.capacity)}, and the rest fail together and come back together. Backoff ` +
      `makes ${count(plain.totalCalls)} calls to the fixed delay's ${count(fixed.totalCalls)}, but it keeps the clients in ` +
      `step and its waits grow, so ${finished(plain)}.`,
  );
}
say(
  `Full jitter draws each wait at random, so the clients drift apart: its busiest window after recovery has ` +
    `${count(jitter.peakAfter)} calls, it makes ${count(jitter.totalCalls)} calls in all, and ${finished(jitter)}.`,
);

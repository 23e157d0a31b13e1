/**
 * Experiment 05: watch a queue fill up when consumers are too slow.
 *
 *   npm run experiment -- 05-depth-chart [options]
 *
 * It runs your `simulate` from exercises/05-backpressure/simulate.ts and draws
 * the queue depth (messages waiting) second by second as a bar chart in the
 * terminal, then prints the counts and what queueing maths says about them:
 * the load factor ρ, how long a message arriving at the end would wait, and
 * how many consumers would keep up.
 *
 * Options (all optional; the defaults are the lesson's example):
 *   --rate <n>       messages the producer sends per second (default 10)
 *   --service <ms>   how long one consumer needs per message (default 5000)
 *   --consumers <n>  how many consumers work in parallel (default 1)
 *   --duration <ms>  how much virtual time to simulate (default 60000)
 *   --capacity <n>   most messages that may wait; "Infinity" for no limit (default)
 *   --policy <p>     drop-newest (default), drop-oldest or block: what happens at capacity
 *   --height <rows>  height of the chart (default 10)
 *   --width <cols>   widest the chart may be (default 72); longer runs are squeezed,
 *                    each column then showing the highest sample it covers
 *
 * Example (the lesson's experiment):
 *   npm run experiment -- 05-depth-chart --rate 10 --service 5000 --consumers 1 \
 *     --duration 60000 --capacity 100 --policy drop-newest
 *
 * Everything runs in virtual time, so even a simulated day takes a moment.
 * When your simulate takes more than twice as long as the lesson's on this
 * machine, the experiment says so at the end.
 */
import { parseArgs } from "node:util";
import { simulate, type SimulationOptions, type SimulationResult } from "@exercise/05-backpressure/simulate";
import { cpuMs, paceNote, say, warn, Yardstick } from "./output.ts";

type Policy = NonNullable<SimulationOptions["policy"]>;
const policies: readonly Policy[] = ["drop-newest", "drop-oldest", "block"];

function fail(message: string): never {
  warn(`${message}\nRun with --help to see the options.`);
  process.exit(2);
}

function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (/^(inf|infinity|none|unbounded)$/i.test(value)) return Infinity;
  const parsed = Number(value.replaceAll("_", ""));
  if (value.trim() === "" || Number.isNaN(parsed)) fail(`--${name} must be a number (got "${value}")`);
  return parsed;
}

function wholeOption(value: string | undefined, name: string, fallback: number, min: number): number {
  const parsed = numberOption(value, name, fallback);
  if (!Number.isInteger(parsed) || parsed < min) fail(`--${name} must be a whole number >= ${min} (got "${value}")`);
  return parsed;
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      rate: { type: "string" },
      service: { type: "string" },
      consumers: { type: "string" },
      duration: { type: "string" },
      capacity: { type: "string" },
      policy: { type: "string" },
      height: { type: "string" },
      width: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  fail((error as Error).message.split(". ")[0] ?? "bad arguments");
}

if (values["help"]) {
  process.stdout.write(
    "Usage: npm run experiment -- 05-depth-chart [--rate 10] [--service 5000] [--consumers 1]\n" +
      "         [--duration 60000] [--capacity Infinity] [--policy drop-newest|drop-oldest|block]\n" +
      "         [--height 10] [--width 72]\n",
  );
  process.exit(0);
}

const str = (name: string): string | undefined => {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
};

const policy = (str("policy") ?? "drop-newest") as Policy;
if (!policies.includes(policy)) fail(`--policy must be one of ${policies.join(", ")} (got "${policy}")`);

const options: SimulationOptions = {
  producerRatePerSecond: numberOption(str("rate"), "rate", 10),
  serviceTimeMs: numberOption(str("service"), "service", 5000),
  consumers: numberOption(str("consumers"), "consumers", 1),
  durationMs: numberOption(str("duration"), "duration", 60_000),
  capacity: numberOption(str("capacity"), "capacity", Infinity),
  policy,
};
const height = wholeOption(str("height"), "height", 10, 2);
const maxWidth = wholeOption(str("width"), "width", 72, 10);

// --- Run the student's simulation --------------------------------------------

let result: SimulationResult;
// The yardstick samples around the run give the lesson's pace on this machine meanwhile.
const yardstick = new Yardstick();
let yoursMs = 0;
try {
  yardstick.sample();
  const started = cpuMs();
  result = simulate(options);
  yoursMs = cpuMs() - started;
  yardstick.sample();
  yardstick.sample();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith("TODO")) {
    warn("Your simulate() is not written yet: implement it first (npm run exercise 05), then run this again.");
    process.exit(1);
  }
  if (error instanceof RangeError) fail(`simulate rejected these options: ${message}`);
  warn(`Your simulate() threw an error: ${message}\nFix it first (npm run exercise 05).`);
  process.exit(1);
}

// --- Formatting helpers ------------------------------------------------------

const count = (n: number) => (Number.isFinite(n) ? n.toLocaleString("en-US") : "no limit");

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return "forever";
  const seconds = ms / 1000;
  if (seconds < 1) return `${Math.round(ms)} ms`;
  if (seconds < 120) return `${Number(seconds.toFixed(1))} s`;
  const minutes = seconds / 60;
  if (minutes < 120) return `${Math.floor(minutes)} min ${Math.round(seconds % 60)} s`;
  const hours = minutes / 60;
  if (hours < 48) return `${Math.floor(hours)} h ${Math.round(minutes % 60)} min`;
  return `${(hours / 24).toFixed(1)} days`;
}

// --- The chart ---------------------------------------------------------------

/** Squeezes the samples into at most maxWidth columns, keeping each column's peak. */
function columnsOf(samples: number[]): { columns: number[]; perColumn: number } {
  const perColumn = Math.max(1, Math.ceil(samples.length / maxWidth));
  const columns: number[] = [];
  for (let start = 0; start < samples.length; start += perColumn) {
    columns.push(Math.max(...samples.slice(start, start + perColumn)));
  }
  return { columns, perColumn };
}

function chart(samples: number[]): string[] {
  const { columns, perColumn } = columnsOf(samples);
  const top = Math.max(1, ...columns);
  const labelWidth = Math.max(String(top).length, 5);
  const lines: string[] = [];
  // Each row is two half-blocks tall, so bars rise in steps of half a row.
  for (let row = height; row >= 1; row--) {
    const full = (row / height) * top;
    const half = ((row - 0.5) / height) * top;
    const label = row === height ? String(top) : row === Math.ceil(height / 2) ? String(Math.round(full)) : "";
    const bars = columns.map((value) => (value >= full ? "█" : value >= half && value > 0 ? "▄" : " ")).join("");
    lines.push(`${label.padStart(labelWidth)} ┤${bars}`);
  }
  lines.push(`${"0".padStart(labelWidth)} ┼${"─".repeat(columns.length)}`);
  const startLabel = "0 s";
  const endLabel = duration(options.durationMs);
  const gap = Math.max(1, columns.length - startLabel.length - endLabel.length + 1);
  lines.push(`${" ".repeat(labelWidth + 1)}${startLabel}${" ".repeat(gap)}${endLabel}`);
  if (perColumn > 1) lines.push(`${" ".repeat(labelWidth + 1)}(each column covers ${perColumn} s and shows its highest sample)`);
  return lines;
}

// --- Printing ----------------------------------------------------------------

const { producerRatePerSecond: rate, serviceTimeMs: service } = options;
const consumers = options.consumers ?? 1;
const capacity = options.capacity ?? Infinity;

say(
  `${rate} msg/s in, ${consumers} consumer${consumers === 1 ? "" : "s"} at ${count(service)} ms each, ` +
    `capacity ${count(capacity)}, policy ${policy}, ${duration(options.durationMs)} of virtual time\n`,
);
console.log("Messages waiting, sampled every second:\n");
for (const line of chart(result.depth.length > 0 ? result.depth : [0])) console.log(line);

const rows: Array<[string, string, string]> = [
  ["produced", count(result.produced), "messages that got in"],
  ["processed", count(result.processed), "services finished by the end"],
  ["dropped", count(result.dropped), policy === "drop-oldest" ? "waiting messages thrown out to make room" : "arrivals turned away"],
  ["max depth", count(result.maxDepth), "most messages waiting at once"],
  ["final depth", count(result.finalDepth), "messages waiting at the end"],
  ["producer wait", duration(result.producerWaitMs), "time the producer spent blocked"],
];
console.log("");
const nameWidth = Math.max(...rows.map(([name]) => name.length));
const valueWidth = Math.max(...rows.map(([, value]) => value.length));
for (const [name, value, meaning] of rows) console.log(`  ${name.padEnd(nameWidth)}  ${value.padStart(valueWidth)}  ${meaning}`);

// Queueing maths: λ arrivals per second, μ = 1000 / service per consumer per second.
const offered = (rate * service) / 1000; // consumers kept busy on average (Little's law: L = λW)
const rho = offered / consumers;
console.log("");
say(`  load factor ρ = λ × service / consumers = ${rate} × ${service / 1000} s / ${consumers} = ${Number(rho.toFixed(3))}`);
if (rho < 1) {
  say("  ρ < 1: the consumers can keep up on average, so the queue stays short.");
} else {
  const growth = rate - (consumers * 1000) / service;
  say(
    rho === 1
      ? "  ρ = 1: the consumers only just keep up. Real traffic comes in bursts, so the queue would drift upwards."
      : `  ρ > 1: the consumers cannot keep up. Without a limit the backlog grows by about ${Number(growth.toFixed(2))} messages a second.`,
  );
}
if (service > 0 && result.finalDepth > 0) {
  const waitMs = (result.finalDepth * service) / consumers;
  say(`  a message arriving at the end waits about ${count(result.finalDepth)} × ${duration(service)} / ${consumers} ≈ ${duration(waitMs)} before a consumer takes it`);
}
if (service > 0) {
  const atLeast = Math.floor(offered) + 1;
  const comfortable = Math.ceil(offered / 0.8);
  say(`  consumers needed: at least ${count(atLeast)} for ρ < 1, about ${count(comfortable)} for ρ ≈ 0.8`);
}

// --- Your pace against the lesson's ------------------------------------------

/**
 * How long the lesson's simulate takes, in yardsticks of 100,000 elements (see
 * output.ts): a start-up cost (the compiler warming up), then a cost per event
 * (an arrival, a completed service, a depth sample), as rule [sim-speed] asks.
 * Fitted to the reference simulate, in CPU time, from a minute to a day of
 * virtual time, and rounded up: the reference takes 0.4 to 0.9 times this on
 * Node 20, less on Node 24.
 */
const LESSON_YARDSTICKS = { start: 10, per100000Events: 3 };
const events = result.produced + result.dropped + result.processed + result.depth.length;
if (Number.isFinite(events) && events >= 0) {
  const pace = paceNote(
    {
      yours: "Your simulate",
      yoursMs,
      work: ` for ${count(events)} events`,
      lessonMs: (LESSON_YARDSTICKS.start + (LESSON_YARDSTICKS.per100000Events * events) / 100_000) * yardstick.ms(),
      lessonCode: "simulate",
      rule: "[sim-speed]",
      section: "Time in the simulation",
      lesson: "lessons/05-backpressure/README.md",
    },
    true,
  );
  if (pace !== null) say(`\n${pace}`);
}

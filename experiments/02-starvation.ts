/**
 * Experiment 02: starvation. How long does a low-priority message wait while
 * urgent messages keep arriving?
 *
 *   npm run experiment -- 02-starvation [options]
 *
 * One worker serves 100 messages a second (one every 10 ms). Two kinds of
 * message arrive at random moments (a Poisson process, like independent users
 * clicking) and go through YOUR PriorityQueue:
 *
 * - urgent messages, priority 10, using --load percent of the worker's capacity;
 * - background messages, priority 0, using --background percent of it.
 *
 * Every 10 ms the new arrivals are enqueued in a random order, then the worker
 * dequeues one message (if any is waiting). The experiment reports how long each kind
 * waited, and how many background messages were still waiting at the end.
 *
 * Without --load it runs a sweep: urgent loads of 50, 80, 90, 94, 100 and 110
 * percent, one table row each. With --load it runs that one load and also
 * draws a timeline of the waiting messages.
 *
 * --aging makes a waiting message gain priority as it waits: with --aging 2, a
 * message gains 2 points per second, so a background message (0) outranks a
 * brand-new urgent one (10) after 5 seconds. Because every waiting message
 * gains priority at the same rate, aging needs no timers: the experiment
 * enqueues each message with priority `base - aging * arrivalSeconds`, and the
 * order between any two messages is the same as if both had aged.
 *
 * Options (all optional):
 *   --load <percent>        urgent load, percent of capacity (default: sweep)
 *   --background <percent>  background load, percent of capacity (default 5)
 *   --aging <points>        priority gained per second of waiting (default 0: off)
 *   --minutes <n>           simulated minutes (default 10)
 *   --seed <n>              seed for the random arrivals (default 1)
 *
 * Everything runs in simulated time with a seeded random generator, so the
 * same options always print the same numbers. Only the time your queue takes is
 * real: when it is more than twice what the lesson's heap takes on this
 * machine, the experiment says so at the end.
 */
import { parseArgs } from "node:util";
import { PriorityQueue } from "@exercise/02-priority-queue/priority-queue";
import { cpuMs, paceNote, say, TABLE_COLUMNS, warn, Yardstick } from "./output.ts";
import { seededRandom } from "../tests/support/random.ts";

const TICK_MS = 10; // the worker serves one message per tick: 100 per second
const URGENT_PRIORITY = 10;
const BACKGROUND_PRIORITY = 0;
const SWEEP = [50, 80, 90, 94, 100, 110];

type Kind = "urgent" | "background";
interface Message {
  kind: Kind;
  arrivedAt: number; // tick
}

function fail(message: string): never {
  warn(`${message}\nRun with --help to see the options.`);
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

let values: { load?: string; background?: string; aging?: string; minutes?: string; seed?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      load: { type: "string" },
      background: { type: "string" },
      aging: { type: "string" },
      minutes: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  fail((error as Error).message.split(". ")[0] ?? "bad arguments");
}

if (values.help) {
  process.stdout.write(
    "Usage: npm run experiment -- 02-starvation [--load <percent>] [--background 5]\n" +
      "         [--aging 0] [--minutes 10] [--seed 1]\n",
  );
  process.exit(0);
}

const background = numberOption(values.background, "background", 5, 0, 100);
const aging = numberOption(values.aging, "aging", 0, 0, 1_000);
const minutes = numberOption(values.minutes, "minutes", 10, 0.1, 120);
const seed = Math.trunc(numberOption(values.seed, "seed", 1, 0, 2 ** 32 - 1));
const single = values.load === undefined ? undefined : numberOption(values.load, "load", 0, 0, 200);
const loads = single === undefined ? SWEEP : [single];
const ticks = Math.round((minutes * 60_000) / TICK_MS);

// --- Is there a queue to use yet? ------------------------------------------------

try {
  const probe = new PriorityQueue<string>();
  probe.enqueue("low", 1);
  probe.enqueue("high", 5);
  probe.peek();
  probe.size();
  const first = probe.dequeue();
  if (first !== "high") {
    warn(
      `Warning: your PriorityQueue served "${String(first)}" before "high" (priority 5 should beat priority 1). ` +
        "The numbers below show what YOUR queue does; fix it with npm run exercise 02.\n",
    );
  }
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith("TODO")) {
    warn("Your PriorityQueue is not written yet: implement it first (npm run exercise 02), then run this again.");
  } else {
    warn(`Your PriorityQueue threw an error before the experiment began: ${message}\nFix it first (npm run exercise 02).`);
  }
  process.exit(1);
}

// --- The simulation ---------------------------------------------------------------

/** How many arrivals in one tick, for an average of `mean` per tick (Knuth's method). */
function poisson(random: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random(); product > limit; product *= random()) count++;
  return count;
}

interface Stats {
  waits: number[]; // ticks waited by the messages that were served
  arrived: number;
  left: number; // still waiting at the end
  oldestLeft: number; // ticks the oldest of them had waited
}

interface Sample {
  tick: number;
  urgent: number;
  background: number;
}

interface Result {
  load: number;
  urgent: Stats;
  background: Stats;
  samples: Sample[];
  /** The work a heap does for this run: log2 of the queue's length, summed over every enqueue and dequeue. */
  heapSteps: number;
}

function simulate(load: number): Result {
  const random = seededRandom(seed);
  const queue = new PriorityQueue<Message>();
  const stats: Record<Kind, Stats> = {
    urgent: { waits: [], arrived: 0, left: 0, oldestLeft: 0 },
    background: { waits: [], arrived: 0, left: 0, oldestLeft: 0 },
  };
  const waiting: Record<Kind, number> = { urgent: 0, background: 0 };
  const samples: Sample[] = [];
  const sampleEvery = Math.max(1, Math.round(ticks / 20));
  const agingPerTick = (aging * TICK_MS) / 1_000;
  let heapSteps = 0;
  const step = () => (heapSteps += Math.log2(waiting.urgent + waiting.background + 2));

  const arrive = (kind: Kind, base: number, tick: number) => {
    step();
    // Linear aging as a fixed key: see the header comment.
    queue.enqueue({ kind, arrivedAt: tick }, base - agingPerTick * tick);
    stats[kind].arrived++;
    waiting[kind]++;
  };

  for (let tick = 0; tick < ticks; tick++) {
    // On average load% of a message per tick, sometimes none, sometimes several.
    let urgent = poisson(random, load / 100);
    let backgroundCount = poisson(random, background / 100);
    // Messages that arrive in the same tick reach the queue in a random order.
    while (urgent + backgroundCount > 0) {
      if (random() * (urgent + backgroundCount) < urgent) {
        arrive("urgent", URGENT_PRIORITY, tick);
        urgent--;
      } else {
        arrive("background", BACKGROUND_PRIORITY, tick);
        backgroundCount--;
      }
    }
    step();
    const next = queue.dequeue();
    if (next !== null) {
      stats[next.kind].waits.push(tick - next.arrivedAt);
      waiting[next.kind]--;
    }
    if ((tick + 1) % sampleEvery === 0) samples.push({ tick: tick + 1, urgent: waiting.urgent, background: waiting.background });
  }
  for (let next = queue.dequeue(); next !== null; next = queue.dequeue()) {
    const kind = stats[next.kind];
    kind.left++;
    kind.oldestLeft = Math.max(kind.oldestLeft, ticks - next.arrivedAt);
    waiting[next.kind]--;
    step();
  }
  return { load, urgent: stats.urgent, background: stats.background, samples, heapSteps };
}

// --- Printing ------------------------------------------------------------------------

const seconds = (tickCount: number) => {
  const s = (tickCount * TICK_MS) / 1_000;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 120) return `${s.toFixed(1)} s`;
  return `${(s / 60).toFixed(1)} min`;
};
const average = (list: number[]) => (list.length === 0 ? 0 : list.reduce((sum, x) => sum + x, 0) / list.length);
const percentile = (list: number[], p: number) => {
  if (list.length === 0) return 0;
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
};
/** Log scale from 10 ms: every 10x longer adds `perDecade` characters. */
const bar = (tickCount: number, perDecade: number) => "#".repeat(Math.max(1, Math.round(Math.log10(Math.max(tickCount, 1)) * perDecade) + 1));

function waitCell(stats: Stats): string {
  if (stats.waits.length === 0) return "none served";
  return `${seconds(average(stats.waits))} / ${seconds(percentile(stats.waits, 99))}`;
}

say(
  `One worker serves 100 messages a second. Urgent messages (priority ${URGENT_PRIORITY}) and background ` +
    `messages (priority ${BACKGROUND_PRIORITY}, ${background}% of capacity) arrive at random. ` +
    `${minutes} simulated minutes, seed ${seed}, ` +
    (aging > 0 ? `aging ${aging} point${aging === 1 ? "" : "s"} per second waited.` : "aging off.") +
    "\n",
);

// The time your queue takes is the one real measurement here; the yardstick
// samples between the runs give the lesson's pace on this machine meanwhile.
const yardstick = new Yardstick();
yardstick.sample();
let yoursMs = 0;
const results = loads.map((load) => {
  const started = cpuMs();
  const result = simulate(load);
  yoursMs += cpuMs() - started;
  yardstick.sample();
  return result;
});

// Two header rows keep the table within 100 columns.
const header = [
  ["urgent", "load"],
  ["", "total"],
  ["urgent wait", "avg / p99"],
  ["background", "served"],
  ["background wait", "avg / p99"],
  ["oldest", "left over"],
  ["background p99", "log scale"],
];
const rows = results.map((result) => [
  `${result.load}%`,
  `${result.load + background}%`,
  waitCell(result.urgent),
  `${result.background.waits.length} of ${result.background.arrived}`,
  waitCell(result.background),
  result.background.left === 0 ? "-" : seconds(result.background.oldestLeft),
]);
const widths = header.map((titles, column) => Math.max(...titles.map((title) => title.length), ...rows.map((row) => (row[column] ?? "").length)));
const line = (cells: string[]) =>
  cells
    .map((cell, column) => (column === cells.length - 1 ? cell : cell.padStart(widths[column] ?? 0)))
    .join("  ")
    .trimEnd();
// The bars get what room is left: up to six # for every 10x longer wait.
const p99s = results.map((result) => (result.background.waits.length === 0 ? null : percentile(result.background.waits, 99)));
const room = TABLE_COLUMNS - widths.slice(0, -1).reduce((sum, width) => sum + width + 2, 0);
const decades = Math.max(1, ...p99s.map((p99) => Math.log10(Math.max(p99 ?? 1, 1))));
const perDecade = Math.max(1, Math.min(6, Math.floor((Math.max(room, header[6]?.[0]?.length ?? 0) - 1) / decades)));
const bars = p99s.map((p99) => (p99 === null ? "" : bar(p99, perDecade)));
widths[6] = Math.max(widths[6] ?? 0, ...bars.map((marks) => marks.length));
for (const titles of [0, 1]) console.log(line(header.map((title) => title[titles] ?? "")));
console.log(line(widths.map((width) => "-".repeat(width))));
rows.forEach((row, index) => console.log(line([...row, bars[index] ?? ""])));

const only = results.length === 1 ? results[0] : undefined;
if (only) {
  const peak = Math.max(1, ...only.samples.map((sample) => sample.background));
  const scale = Math.min(1, 50 / peak);
  const each = scale === 1 ? "one background message" : `about ${Math.round(1 / scale)} background messages`;
  console.log(`\nWaiting messages over time (each # is ${each}):\n`);
  console.log(`${"time".padStart(8)}  ${"urgent".padStart(7)}  ${"background".padStart(10)}`);
  for (const sample of only.samples) {
    const marks = "#".repeat(Math.round(sample.background * scale));
    console.log(`${seconds(sample.tick).padStart(8)}  ${String(sample.urgent).padStart(7)}  ${String(sample.background).padStart(10)}  ${marks}`);
  }
}

// --- What the numbers say ------------------------------------------------------------

say();
/** Background messages starve when 1 in 100 of them waits 10 s or more (the worker handles 1,000 messages in that time). */
const STARVING_TICKS = 10_000 / TICK_MS;
const stable = results.filter((result) => result.load + background < 100);
const starving = stable.find((result) => percentile(result.background.waits, 99) >= STARVING_TICKS || result.background.oldestLeft >= STARVING_TICKS);
if (starving) {
  say(
    `At ${starving.load}% urgent load (${starving.load + background}% in all), 1 background message in 100 waited ` +
      `${seconds(percentile(starving.background.waits, 99))} or more, while 99 urgent messages in 100 waited ` +
      `${seconds(percentile(starving.urgent.waits, 99))} or less. The worker keeps up overall, but priority 0 only gets ` +
      "the moments when no urgent message is waiting: that is starvation.",
  );
} else if (stable.length > 0) {
  const worst = stable[stable.length - 1] as Result;
  say(
    `Up to ${worst.load}% urgent load, 99 background messages in 100 waited less than 10 s` +
      (aging > 0 ? ": aging let them reach the front in time." : `. Raise --load towards ${99 - background}% to see starvation begin.`),
  );
}
if (aging === 0) {
  say("Try the same run with aging, for example --aging 2, and compare both wait columns.");
} else {
  say(
    `With aging ${aging}, a background message outranks a brand-new urgent one after ${(URGENT_PRIORITY / aging).toFixed(1)} s of waiting. ` +
      "The price is paid by urgent messages: compare the urgent column with an --aging 0 run.",
  );
}
if (results.some((result) => result.load + background > 100)) {
  say("Rows over 100% in all are overloaded: the backlog grows without end however the queue orders it (see module 05).");
}

// --- Your pace against the lesson's -----------------------------------------------------

/**
 * How long the lesson's heap takes, in yardsticks of 100,000 elements (see
 * output.ts): a start-up cost (the compiler warming up), a cost per simulated
 * tick (arrivals, bookkeeping) and a cost per heap step. Fitted to the
 * reference heap, in CPU time, from 1 to 30 simulated minutes at loads from 50%
 * to 200%: it takes 0.2 to 0.7 times this on Node 24, and up to 1.3 times on
 * Node 20, so only a queue well over twice as slow gets the note.
 */
const LESSON_YARDSTICKS = { start: 8, per1000Ticks: 0.2, per1000HeapSteps: 0.02 };
const lessonYardsticks =
  LESSON_YARDSTICKS.start +
  (LESSON_YARDSTICKS.per1000Ticks * loads.length * ticks) / 1_000 +
  (LESSON_YARDSTICKS.per1000HeapSteps * results.reduce((sum, result) => sum + result.heapSteps, 0)) / 1_000;
const pace = paceNote(
  {
    yours: "Your PriorityQueue",
    yoursMs,
    work: ` for ${loads.length * minutes} simulated minutes`,
    lessonMs: lessonYardsticks * yardstick.ms(),
    lessonCode: "heap",
    rule: "[speed]",
    section: "Why not a sorted array",
    lesson: "lessons/02-priority-queue/README.md",
  },
  true,
);
if (pace !== null) say(`\n${pace}`);

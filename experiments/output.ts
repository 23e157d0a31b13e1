/**
 * Not an experiment: what the experiments share for printing. Prose wraps to
 * the terminal; tables are laid out to fit 100 columns; and an experiment that
 * times your code compares its pace with the lesson's code on this machine.
 */
import { forTerminal } from "../grader/cli/terminal-text.ts";

// A reader that stops early (`npm run experiment -- 02 | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

/** The widest a table may be: it fits a 100-column terminal without wrapping. */
export const TABLE_COLUMNS = 100;

/** Prose for standard output: broken between words at a terminal's width, and kept as whole lines in a pipe or a file. */
export function wrapped(text: string): string {
  return forTerminal(text);
}

/** Prints prose, wrapped as `wrapped` says. */
export function say(text = ""): void {
  process.stdout.write(`${wrapped(text)}\n`);
}

/** Prints prose on standard error (a warning, or why the experiment cannot run), wrapped as `say` does. */
export function warn(text: string): void {
  process.stderr.write(`${forTerminal(text, process.stderr)}\n`);
}

// --- Pace ----------------------------------------------------------------------

/**
 * The yardstick: plain array work (fill an array, then read and clear every
 * slot), a fixed amount per element. The lesson's pace is stated in yardsticks
 * rather than seconds, so a slow laptop expects the lesson's code to be slow
 * too, and a fast one expects it to be fast.
 */
function arrayWork(elements: number): number {
  const slots: number[] = [];
  for (let index = 0; index < elements; index++) slots.push(index & 1023);
  let total = 0;
  for (let index = 0; index < elements; index++) {
    total += slots[index] ?? 0;
    slots[index] = -1;
  }
  return total;
}

/** Keeps the yardstick's result alive, so the engine cannot drop the work as unused. */
let sink = 0;

/** A clock in milliseconds. */
export type Clock = () => number;

/** Wall-clock time, as the benchmark tables show it. */
const wallMs: Clock = () => performance.now();

/** This process's CPU time: other programs on a busy machine do not add to it, so one long run can be compared fairly. */
export const cpuMs: Clock = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1_000;
};

/**
 * Milliseconds the yardstick takes for `elements` elements: the fastest of
 * several runs (at least 3, for at least 20 ms in all, so small sizes are past
 * the compiler's warm-up), as benchmarks do.
 */
export function yardstickMs(elements: number, clock: Clock = wallMs): number {
  let best = Infinity;
  let spent = 0;
  for (let run = 0; run < 3 || (run < 1_000 && spent < 20); run++) {
    const started = clock();
    sink += arrayWork(elements);
    const took = clock() - started;
    spent += took;
    best = Math.min(best, took);
  }
  return best;
}

/**
 * Yardstick samples in CPU time, taken while an experiment runs (before it,
 * then between its parts), to compare with your code's CPU time meanwhile.
 */
export class Yardstick {
  private readonly samples: number[] = [];

  constructor(private readonly elements = 100_000) {}

  sample(): void {
    this.samples.push(yardstickMs(this.elements, cpuMs));
  }

  /** The median sample, in milliseconds. */
  ms(): number {
    if (this.samples.length === 0) this.sample();
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  }
}

export interface Pace {
  /** What was timed, starting a sentence: "Your PriorityQueue". */
  yours: string;
  /** How long it took, in milliseconds. */
  yoursMs: number;
  /** What it did, after "took 830 ms": " for 1,000,000 tasks", or "". */
  work: string;
  /** Set when it was stopped before the end: what it got done, after "was stopped after 3.1 s". */
  stoppedWith?: string;
  /** How long the lesson's code takes for the same work on this machine, in milliseconds. */
  lessonMs: number;
  /** The lesson's code, after "the lesson's": "heap". */
  lessonCode: string;
  /** The rule that sets the pace, as the stub and the lesson name it: "[speed]". */
  rule: string;
  /** The lesson section that explains it. */
  section: string;
  /** The lesson's file. */
  lesson: string;
}

/** More than this many times the lesson's time is worth a note. */
const SLOWER = 2;
/** Below this, times are too small to tell apart from noise, and too small to matter. */
const NOTICEABLE_MS = 100;

/** "830 ms", "4.2 ms", "19.4 s". */
function duration(ms: number): string {
  if (ms >= 1_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms).toLocaleString("en-US")} ms`;
}

/** True when the student's code took more than twice as long as the lesson's, long enough to tell. */
function slowerThanLesson(pace: Pick<Pace, "yoursMs" | "lessonMs">): boolean {
  return pace.yoursMs > SLOWER * pace.lessonMs && pace.yoursMs >= NOTICEABLE_MS;
}

/**
 * One or two lines on the student's pace: when it is more than twice the
 * lesson's, how long each took and where the lesson explains it; otherwise
 * that it is about as fast (or, with `quiet`, nothing).
 */
export function paceNote(pace: Pace, quiet = false): string | null {
  const lesson = `the lesson's ${pace.lessonCode}`;
  const see = `See rule ${pace.rule} and "${pace.section}" in ${pace.lesson}.`;
  if (pace.stoppedWith !== undefined) {
    // Stopped early by a short budget is no sign of slowness; stopped long after the lesson's code would have finished is.
    if (!slowerThanLesson(pace)) return null;
    return `${pace.yours} was stopped after ${duration(pace.yoursMs)}, ${pace.stoppedWith}; ${lesson} does all of it in about ${duration(pace.lessonMs)} on this machine.\n${see}`;
  }
  if (slowerThanLesson(pace)) {
    const times = pace.yoursMs / pace.lessonMs;
    return (
      `${pace.yours} took ${duration(pace.yoursMs)}${pace.work}; ${lesson} takes about ${duration(pace.lessonMs)} ` +
      `on this machine, ${times.toFixed(times < 10 ? 1 : 0)}x faster.\n${see}`
    );
  }
  if (quiet) return null;
  return `${pace.yours} took ${duration(pace.yoursMs)}${pace.work}, about as fast as ${lesson} (about ${duration(pace.lessonMs)} on this machine).`;
}

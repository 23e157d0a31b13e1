import { performance as realPerformance } from "node:perf_hooks";

// The judge's own time. A suite fakes the clocks of the judge's thread
// (vi.useFakeTimers replaces Date, globalThis.performance, process.hrtime and
// the timer functions) at any epoch it likes, 0 included, and moves them as it
// likes; a call's deadline and the judge's own timers must keep real time.
// perf_hooks' performance object is never the one replaced: fake timers swap
// the global property for an object of their own.

/** Taken when the judge loads, before a suite can install fake timers. */
export const realSetTimeout = globalThis.setTimeout;

/**
 * The wall clock, in milliseconds since the Unix epoch, read as the watchdog
 * thread reads it (`performance.timeOrigin + performance.now()`), whatever
 * the suite's fake clock says.
 */
export function realNowMs(): number {
  return realPerformance.timeOrigin + realPerformance.now();
}

import { seededRandom } from "./random.ts";

// What the workloads of every module share (see workloads.ts).

export interface Budget {
  budgetMs: number;
  seed: number;
}

/** Distinct item numbers for one run: `offset + index` with a seeded offset. */
export function numbering(seed: number): (index: number) => number {
  const offset = Math.floor(seededRandom(seed)() * 1_000_000_000);
  return (index) => offset + index;
}

/** How a steady workload fared: what the heap kept, and the first item out of order (-1: none). */
export interface SteadyResult {
  retainedBytes: number;
  firstOutOfOrder: number;
  size: number;
}

export const steadyExpectation = "constant time no matter how many items have passed through";

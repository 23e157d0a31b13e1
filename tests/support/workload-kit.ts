import { seededRandom } from "./random.ts";

// What the workloads of every module share (see workloads.ts).

export interface Budget {
  budgetMs: number;
  seed: number;
}

/** A run's item numbers: `item(index)`, and `item.indexOf(value)` to read an item back as its index. */
export interface Numbering {
  (index: number): number;
  /** The index whose item `value` is; NaN when `value` is not a 32-bit item at all. */
  indexOf(value: unknown): number;
}

const halfMask = 0xffff;

/**
 * Distinct item numbers no queue can predict: a keyed permutation of the
 * 32-bit integers (a four-round Feistel network, keyed by the seed). Items
 * numbered offset + index let a queue that recognised a workload answer by
 * arithmetic; these give nothing away about the next one, and under the
 * grader the seed is drawn for each grading from 2^48 values.
 */
export function numbering(seed: number): Numbering {
  const low = seededRandom(seed >>> 0);
  const high = seededRandom(Math.floor(seed / 2 ** 32) ^ 0x5bd1e995);
  const keys = Array.from({ length: 4 }, () => ((low() * 2 ** 32) ^ (high() * 2 ** 32)) >>> 0);
  const mix = (half: number, key: number): number => {
    let mixed = Math.imul(half ^ key, 0x9e3779b1);
    mixed ^= mixed >>> 15;
    mixed = Math.imul(mixed, 0x85ebca6b);
    return (mixed ^ (mixed >>> 13)) & halfMask;
  };
  const [k0, k1, k2, k3] = keys as [number, number, number, number];
  // Unrolled, without temporaries: it runs twice per operation inside the timed phases.
  const item = (index: number): number => {
    let left = (index >>> 16) & halfMask;
    let right = index & halfMask;
    left ^= mix(right, k0);
    right ^= mix(left, k1);
    left ^= mix(right, k2);
    right ^= mix(left, k3);
    return ((left << 16) | right) >>> 0;
  };
  item.indexOf = (value: unknown): number => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= 2 ** 32) return Number.NaN;
    let left = (value >>> 16) & halfMask;
    let right = value & halfMask;
    right ^= mix(left, k3);
    left ^= mix(right, k2);
    right ^= mix(left, k1);
    left ^= mix(right, k0);
    return ((left << 16) | right) >>> 0;
  };
  return item;
}

/** How a steady workload fared: what the heap kept, and the first item out of order (-1: none). */
export interface SteadyResult {
  retainedBytes: number;
  firstOutOfOrder: number;
  size: number;
}

export const steadyExpectation = "constant time no matter how many items have passed through";

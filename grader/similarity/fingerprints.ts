import { tokenize, type Token } from "./tokens.ts";

/** How k-grams are cut and winnowed; the defaults are measured (see similarity.ts). */
export interface FingerprintSettings {
  /** Tokens per k-gram: the shortest run of tokens that can count as shared. */
  k: number;
  /** K-grams per winnowing window: a shared run of k + window - 1 tokens is always found. */
  window: number;
}

export interface LineRange {
  /** 1-based, inclusive. */
  start: number;
  end: number;
}

/** One winnowed k-gram: its hash, and where in the file its tokens are. */
export interface Fingerprint {
  hash: number;
  /** Index of the k-gram's first token. */
  token: number;
  lines: LineRange;
}

export interface FileFingerprints {
  fingerprints: Fingerprint[];
  /** The distinct hashes of `fingerprints`. */
  hashes: Set<number>;
  tokenCount: number;
}

/**
 * A hash of the k-gram starting at `start`: two 32-bit lanes (FNV-1a and a
 * multiplicative one) joined into 53 bits, so two different k-grams of a
 * class's 1,400 files practically never collide.
 */
function hashKgram(tokens: readonly Token[], start: number, k: number): number {
  let fnv = 0x811c9dc5;
  let polynomial = 0;
  for (let at = start; at < start + k; at++) {
    const kind = tokens[at]?.kind ?? 0;
    fnv = Math.imul(fnv ^ (kind & 0xffff), 0x01000193);
    polynomial = (Math.imul(polynomial, 0x5bd1e995) + kind + 0x9e3779b9) | 0;
  }
  return (fnv >>> 0) * 0x200000 + ((polynomial >>> 0) & 0x1fffff);
}

/** Every k-gram's hash, in order. */
export function kgramHashes(tokens: readonly Token[], k: number): number[] {
  const hashes: number[] = [];
  for (let start = 0; start + k <= tokens.length; start++) hashes.push(hashKgram(tokens, start, k));
  return hashes;
}

/**
 * Winnowing (Schleimer, Wilkerson and Aiken, 2003): from each window of
 * `window` consecutive k-gram hashes keep the smallest (the rightmost on a
 * tie), each position once. A text shorter than one window keeps its smallest.
 */
export function winnow(hashes: readonly number[], window: number): number[] {
  const chosen: number[] = [];
  const last = Math.max(0, hashes.length - window);
  let minimum = -1;
  for (let start = 0; start <= last && hashes.length > 0; start++) {
    const end = Math.min(hashes.length, start + window);
    if (minimum < start) {
      minimum = start;
      for (let at = start + 1; at < end; at++) if ((hashes[at] ?? 0) <= (hashes[minimum] ?? 0)) minimum = at;
    } else if ((hashes[end - 1] ?? 0) <= (hashes[minimum] ?? 0)) {
      minimum = end - 1;
    } else {
      continue;
    }
    if (chosen.at(-1) !== minimum) chosen.push(minimum);
  }
  return chosen;
}

/** Every k-gram hash of a text: what a base file (a stub) contributes, and so never counts. */
export function baseHashes(base: string, settings: FingerprintSettings): Set<number> {
  return new Set(kgramHashes(tokenize(base), settings.k));
}

/**
 * A file's fingerprints. With `base` (the stub a student started from, as its
 * k-gram hashes), every fingerprint that also occurs in the base is left out,
 * so code the course handed out never counts as shared.
 */
export function fingerprintText(text: string, settings: FingerprintSettings, base?: ReadonlySet<number>): FileFingerprints {
  const tokens = tokenize(text);
  const hashes = kgramHashes(tokens, settings.k);
  const fingerprints: Fingerprint[] = [];
  for (const token of winnow(hashes, settings.window)) {
    const hash = hashes[token] ?? 0;
    if (base?.has(hash)) continue;
    fingerprints.push({ hash, token, lines: { start: tokens[token]?.startLine ?? 1, end: tokens[token + settings.k - 1]?.endLine ?? 1 } });
  }
  return { fingerprints, hashes: new Set(fingerprints.map((fingerprint) => fingerprint.hash)), tokenCount: tokens.length };
}

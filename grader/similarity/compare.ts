import type { FileFingerprints, Fingerprint, LineRange } from "./fingerprints.ts";

/** A stretch of code found on both sides: where it is in each file. */
export interface MatchedRanges {
  left: LineRange;
  right: LineRange;
}

export interface FileSimilarity {
  /** Shared fingerprints over the two files' average count (the Dice coefficient): 0 nothing shared, 1 the same code. */
  similarity: number;
  /** How many distinct fingerprints the two files share. */
  shared: number;
  /** The shared code as stretches, in the order of the left file. */
  matches: MatchedRanges[];
}

/** The Dice coefficient of two fingerprint sets; 0 when either is empty (nothing to compare). */
export function diceSimilarity(shared: number, leftCount: number, rightCount: number): number {
  return leftCount === 0 || rightCount === 0 ? 0 : (2 * shared) / (leftCount + rightCount);
}

/** How many tokens apart two shared fingerprints may be and still belong to one stretch. */
const stretchGapTokens = 40;

interface Stretch {
  left: LineRange;
  right: LineRange;
  lastLeft: number;
  lastRight: number;
}

const widen = (range: LineRange, lines: LineRange): LineRange => ({ start: Math.min(range.start, lines.start), end: Math.max(range.end, lines.end) });

/**
 * The shared fingerprints joined into stretches: pairs that come in the same
 * order on both sides, close together, are one stretch of copied code (with
 * a line or two changed between, perhaps).
 */
function stretches(left: readonly Fingerprint[], right: readonly Fingerprint[], shared: ReadonlySet<number>): MatchedRanges[] {
  const rightByHash = new Map<number, Fingerprint[]>();
  for (const fingerprint of right) {
    if (!shared.has(fingerprint.hash)) continue;
    const list = rightByHash.get(fingerprint.hash);
    if (list) list.push(fingerprint);
    else rightByHash.set(fingerprint.hash, [fingerprint]);
  }
  // Left fingerprints come in token order, so a stretch the gap has left behind can never grow again: it is closed.
  const closed: Stretch[] = [];
  let open: Stretch[] = [];
  for (const leftPrint of left) {
    const partners = rightByHash.get(leftPrint.hash);
    if (!partners) continue;
    if (open.some((stretch) => leftPrint.token - stretch.lastLeft > stretchGapTokens)) {
      closed.push(...open.filter((stretch) => leftPrint.token - stretch.lastLeft > stretchGapTokens));
      open = open.filter((stretch) => leftPrint.token - stretch.lastLeft <= stretchGapTokens);
    }
    for (const rightPrint of partners) {
      const stretch = open.find(
        (candidate) => leftPrint.token > candidate.lastLeft && rightPrint.token > candidate.lastRight && rightPrint.token - candidate.lastRight <= stretchGapTokens,
      );
      if (stretch) {
        stretch.left = widen(stretch.left, leftPrint.lines);
        stretch.right = widen(stretch.right, rightPrint.lines);
        stretch.lastLeft = leftPrint.token;
        stretch.lastRight = rightPrint.token;
      } else {
        open.push({ left: leftPrint.lines, right: rightPrint.lines, lastLeft: leftPrint.token, lastRight: rightPrint.token });
      }
    }
  }
  return [...closed, ...open].map(({ left, right }) => ({ left, right })).sort((a, b) => a.left.start - b.left.start || a.right.start - b.right.start);
}

/** How close two fingerprinted files are, and which of their lines match. */
export function compareFingerprints(left: FileFingerprints, right: FileFingerprints): FileSimilarity {
  const [smaller, larger] = left.hashes.size <= right.hashes.size ? [left.hashes, right.hashes] : [right.hashes, left.hashes];
  const shared = new Set<number>();
  for (const hash of smaller) if (larger.has(hash)) shared.add(hash);
  return {
    similarity: diceSimilarity(shared.size, left.hashes.size, right.hashes.size),
    shared: shared.size,
    matches: shared.size === 0 ? [] : stretches(left.fingerprints, right.fingerprints, shared),
  };
}

/** Line ranges merged where they overlap or touch: what a reader is pointed at. */
export function mergeRanges(ranges: readonly LineRange[]): LineRange[] {
  const merged: LineRange[] = [];
  for (const range of [...ranges].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && range.start <= last.end + 1) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

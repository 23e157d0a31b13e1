import { compareFingerprints, diceSimilarity, type MatchedRanges } from "./compare.ts";
import { baseHashes, fingerprintText, type FileFingerprints } from "./fingerprints.ts";
import { defaultSettings, isCodeFile, isNear, type SimilaritySettings } from "./similarity.ts";

export interface Submission {
  student: string;
  /** Path (like exercises/01-task-queue/task-queue.ts) → the student's text. */
  files: ReadonlyMap<string, string>;
}

export interface SimilarFile {
  path: string;
  /** 0..1: the share of fingerprints the two versions have in common, stub code left out. */
  similarity: number;
  /** Distinct fingerprints in common. */
  shared: number;
  /** `left` in the first student's file, `right` in the second's. */
  matches: MatchedRanges[];
}

export interface SimilarPair {
  /** In the order of `submissions`. */
  students: [string, string];
  /** The highest of `files`. */
  similarity: number;
  /** Every file at or above the threshold, closest first. */
  files: SimilarFile[];
}

/**
 * Counts, for every pair of students, the fingerprints they share: a flat
 * triangle when it fits (200 students: 20,000 counters), a map beyond.
 */
class PairCounts {
  private readonly dense: Uint32Array | null;
  private readonly sparse = new Map<number, number>();

  constructor(private readonly students: number) {
    this.dense = students <= 4096 ? new Uint32Array(students * students) : null;
  }

  add(first: number, second: number): void {
    const key = first * this.students + second;
    if (this.dense) this.dense[key] = (this.dense[key] ?? 0) + 1;
    else this.sparse.set(key, (this.sparse.get(key) ?? 0) + 1);
  }

  /** Every pair that shares at least `minimum`, as [first, second, count] with first < second. */
  *atLeast(minimum: number): Generator<[number, number, number]> {
    const entries: Iterable<[number, number]> = this.dense ? this.dense.entries() : this.sparse.entries();
    for (const [key, count] of entries) {
      if (count >= minimum && count > 0) yield [Math.floor(key / this.students), key % this.students, count];
    }
  }
}

/**
 * One file's near pairs. Each student's fingerprints (stub code left out) go
 * into an index of fingerprint → students, so the work follows what is
 * actually shared, not the number of pairs.
 */
function nearPairsInFile(path: string, prints: Array<FileFingerprints | null>, threshold: number, settings: SimilaritySettings): Array<{ first: number; second: number; file: SimilarFile }> {
  const holders = new Map<number, number[]>();
  prints.forEach((print, student) => {
    for (const hash of print?.hashes ?? []) {
      const list = holders.get(hash);
      if (list) list.push(student);
      else holders.set(hash, [student]);
    }
  });
  const counts = new PairCounts(prints.length);
  for (const students of holders.values()) {
    for (let at = 0; at < students.length; at++) for (let other = at + 1; other < students.length; other++) counts.add(students[at] ?? 0, students[other] ?? 0);
  }
  const near: Array<{ first: number; second: number; file: SimilarFile }> = [];
  for (const [first, second, shared] of counts.atLeast(settings.minimumShared)) {
    const left = prints[first];
    const right = prints[second];
    if (!left || !right || !isNear({ similarity: diceSimilarity(shared, left.hashes.size, right.hashes.size), shared }, threshold, settings)) continue;
    const { similarity, matches } = compareFingerprints(left, right);
    near.push({ first, second, file: { path, similarity, shared, matches } });
  }
  return near;
}

/**
 * Measured with `scripts/similarity-calibration.ts --class 200` (200 students x
 * 7 files drawn from this course's solution and fixtures, half disguised, so
 * 19,352 of the 19,900 pairs are near: as crowded with copies as a class can
 * be): 1.1 s of CPU to fingerprint and index everything, 3.3 s in all with
 * every near pair's matched lines. Fingerprinting dominates; comparing every
 * pair's ready fingerprints instead costs 0.6 s at 200 students but grows with
 * the square of the class, while the index grows with what is shared.
 * Calling compareFiles on each pair (tokenizing again every time) took 415 s.
 */

/**
 * Pairs of students whose code is close: for each code file, the share of
 * fingerprints two students have in common, leaving out every fingerprint of
 * the stub they both started from (`stubs`: path → stub text; a file with no
 * stub is compared whole). A pair is listed when some file is at or above
 * `threshold` (see classThreshold) with at least `minimumShared`
 * fingerprints behind it; closest pairs first.
 */
export function similarPairs(submissions: readonly Submission[], stubs: ReadonlyMap<string, string>, threshold: number, settings: SimilaritySettings = defaultSettings): SimilarPair[] {
  const paths = [...new Set(submissions.flatMap((submission) => [...submission.files.keys()]))].filter(isCodeFile).sort();
  const pairs = new Map<number, SimilarPair>();
  for (const path of paths) {
    const stub = stubs.get(path);
    const base = stub === undefined ? undefined : baseHashes(stub, settings);
    const prints = submissions.map((submission) => {
      const text = submission.files.get(path);
      return text === undefined ? null : fingerprintText(text, settings, base);
    });
    for (const { first, second, file } of nearPairsInFile(path, prints, threshold, settings)) {
      const key = first * submissions.length + second;
      const pair = pairs.get(key) ?? { students: [submissions[first]?.student ?? "", submissions[second]?.student ?? ""], similarity: 0, files: [] };
      pair.files.push(file);
      pair.similarity = Math.max(pair.similarity, file.similarity);
      pairs.set(key, pair);
    }
  }
  const byName = (a: SimilarPair, b: SimilarPair) => a.students.join("\0").localeCompare(b.students.join("\0"));
  for (const pair of pairs.values()) pair.files.sort((a, b) => b.similarity - a.similarity || a.path.localeCompare(b.path));
  return [...pairs.values()].sort((a, b) => b.similarity - a.similarity || byName(a, b));
}

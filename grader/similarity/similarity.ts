import { compareFingerprints, type FileSimilarity } from "./compare.ts";
import { baseHashes, fingerprintText, type FileFingerprints, type FingerprintSettings } from "./fingerprints.ts";

export interface SimilaritySettings extends FingerprintSettings {
  /** Fewer shared fingerprints than this is never "near", whatever the share: two students who each wrote one line of `size()` alike. */
  minimumShared: number;
}

/*
 * Measured on this repository with `node --import tsx scripts/similarity-calibration.ts`:
 * the 7 exercise files, each with its solution, 32 correct fixture versions
 * (98 pairs of correct versions of one file) and 121 wrong ones; "stub left
 * out" as the class report compares, "nothing left out" as the leak check
 * does. With k = 12 and window = 8:
 *
 * - correct versions of one file, pairwise, stub left out: 90% of the 98
 *   pairs at or below 0.36, 93 of them at or below 0.43 (01: the solution and
 *   01-correct-private-fields, the same array-and-head algorithm). The 5 at 0.5
 *   or more are fixtures built from the reference: 03-correct-extra-fields
 *   0.88, 05-correct-report-class 0.65 and 0.95 ("the reference's
 *   discrete-event loop"), 03-correct-delivery-class 0.62 (and 0.54 against
 *   extra-fields).
 * - a solution with every identifier renamed, comments dropped and reprinted
 *   by the compiler: 1.00 (names, literals, comments, layout, `;`, `,` and
 *   `(x) =>` never reach the tokens). Class members reversed as well: 0.64 to
 *   0.98; a `void 0;` after every second statement: 0.60 to 0.78; both at
 *   once: 0.44 to 0.76 (5 of the 7 files at 0.5 or more).
 * - the wrong fixtures (mostly the reference with one bug) against the
 *   solution: median 0.80.
 * - each of the 106 code files a release ships (stubs, public suites,
 *   support, grader, experiments) against each solution, nothing left out: at
 *   most 0.15 (the stub of 06 against its solution, which repeats its types).
 *
 * Shorter k-grams bring correct versions closer (p90 0.47 at k = 8, 0.38 at
 * 10) without gaining much on disguised copies; longer ones let padding hide
 * a copy (both edits at once: 0.32 at k = 15, 0.21 at 18, 0.20 at 23, at the
 * lowest). The window matters little between 4 and 17; at 8 a fingerprint
 * is kept every 4.5 tokens or so, and any shared run of k + window - 1 = 19
 * tokens is always found.
 */
export const defaultSettings: SimilaritySettings = { k: 12, window: 8, minimumShared: 10 };

/** Two students' files at or above this are listed as a pair: correct versions written apart stayed at or below 0.43, disguised copies mostly above 0.6. */
export const classThreshold = 0.5;

/**
 * A shipped file at or above this against a solution is a leak: what ships
 * stays at or below 0.15, and a stub with half of a solution pasted into it
 * measured 0.73 (06), a disguised whole solution 0.87 or more.
 */
export const leakThreshold = 0.4;

/** TypeScript and JavaScript files, which the engine reads. */
export const isCodeFile = (file: string) => /\.(?:[cm]?[jt]s|[jt]sx)$/.test(file);

export interface FingerprintOptions {
  /** The file the author started from (a stub): code it holds never counts. */
  base?: string | undefined;
  settings?: SimilaritySettings | undefined;
}

/** A file's winnowed fingerprints, less every one that also occurs in `base`. */
export function fingerprintFile(text: string, options: FingerprintOptions = {}): FileFingerprints {
  const settings = options.settings ?? defaultSettings;
  return fingerprintText(text, settings, options.base === undefined ? undefined : baseHashes(options.base, settings));
}

/** How close two files are (0..1), and the line ranges they share; `base` is left out of both. */
export function compareFiles(left: string, right: string, options: FingerprintOptions = {}): FileSimilarity {
  const settings = options.settings ?? defaultSettings;
  const base = options.base === undefined ? undefined : baseHashes(options.base, settings);
  return compareFingerprints(fingerprintText(left, settings, base), fingerprintText(right, settings, base));
}

/** Whether a comparison is close enough to report: the share at or above `threshold`, and enough code behind it. */
export function isNear(result: Pick<FileSimilarity, "similarity" | "shared">, threshold: number, settings: SimilaritySettings = defaultSettings): boolean {
  return result.similarity >= threshold && result.shared >= settings.minimumShared;
}

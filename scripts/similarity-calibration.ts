// Measures the similarity engine (grader/similarity/) on this repository's own
// code, to choose its k-gram length, window and thresholds: independently
// written correct versions of each module (the solution and the correct
// fixtures) should stay apart, a disguised copy of a solution should not, and
// nothing a release ships should come near a solution. Prints one row per
// setting tried. With --class N, times similarPairs instead, on a class of N
// students made of those versions (half of them disguised), as crowded with
// copies as a class can be. Usage:
//   node --import tsx scripts/similarity-calibration.ts [--k 12,15 --window 8,12 | --class 200]
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { courseRoot, loadCourse } from "../grader/course/manifest.ts";
import { loadReleaseDeclaration } from "../grader/release/declaration.ts";
import { buildStudentTree } from "../grader/release/student-tree.ts";
import { compareFingerprints } from "../grader/similarity/compare.ts";
import { baseHashes, fingerprintText, type FingerprintSettings } from "../grader/similarity/fingerprints.ts";
import { similarPairs, type Submission } from "../grader/similarity/class-pairs.ts";
import { classThreshold, isCodeFile } from "../grader/similarity/similarity.ts";
import { disguise } from "../tests/course/support/disguise.ts";

const { values } = parseArgs({ options: { k: { type: "string", default: "8,10,12,15,18,23" }, window: { type: "string", default: "4,8,12,17" }, class: { type: "string" } } });
const numbers = (list: string) => list.split(",").map(Number);

const read = (file: string) => readFileSync(path.join(courseRoot, file), "utf8");
const fixtures = path.join("tests", "fixtures", "submissions");
const fixtureNames = readdirSync(path.join(courseRoot, fixtures));

interface ExerciseFile {
  /** exercises/<module>/<file> */
  file: string;
  stub: string;
  solution: string;
  correct: string[];
  wrong: string[];
}

const exerciseFiles: ExerciseFile[] = loadCourse().modules.flatMap((module) =>
  (module.exerciseFiles ?? []).map((name) => {
    const variants = (kind: string) =>
      fixtureNames.filter((fixture) => fixture.startsWith(`${module.id.slice(0, 2)}-${kind}-`)).flatMap((fixture) => {
        try {
          return [read(path.join(fixtures, fixture, "exercises", module.id, name))];
        } catch {
          return []; // a fixture that leaves this file out
        }
      });
    return { file: `exercises/${module.id}/${name}`, stub: read(`exercises/${module.id}/${name}`), solution: read(`solutions/${module.id}/${name}`), correct: variants("correct"), wrong: variants("wrong") };
  }),
);

/** A class of `size` students, each file a random version (seeded), half of them disguised; similarPairs timed on it. */
function timeClass(size: number): void {
  let seed = 1;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const submissions: Submission[] = Array.from({ length: size }, (_, index) => ({
    student: `student${index}`,
    files: new Map(
      exerciseFiles.map(({ file, solution, correct, wrong }) => {
        const versions = [solution, ...correct, ...wrong];
        const text = versions[Math.floor(random() * versions.length)] ?? solution;
        return [file, random() < 0.5 ? disguise(text, { reorderMembers: random() < 0.5, padStatements: random() < 0.3 }) : text];
      }),
    ),
  }));
  const stubs = new Map(exerciseFiles.map(({ file, stub }) => [file, stub]));
  for (const [label, threshold] of [["index only (nothing is near above 1)", 1.01], [`pairs at ${classThreshold}`, classThreshold]] as const) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const pairs = similarPairs(submissions, stubs, threshold);
    const { user, system } = process.cpuUsage(cpu);
    const seconds = (micro: number) => (micro / 1e6).toFixed(2);
    process.stdout.write(`${size} students x ${exerciseFiles.length} files, ${label}: ${((performance.now() - started) / 1000).toFixed(2)} s (${seconds(user + system)} s of CPU), ${pairs.length} pairs\n`);
  }
}

if (values.class !== undefined) {
  timeClass(Number(values.class));
  process.exit(0);
}

const declaration = loadReleaseDeclaration(courseRoot);
const shipped = [...buildStudentTree(courseRoot, declaration)].filter(([file]) => isCodeFile(file)).map(([file, { content }]) => ({ file, text: content.toString("utf8") }));

function similarity(left: string, right: string, settings: FingerprintSettings, base?: string): number {
  const baseSet = base === undefined ? undefined : baseHashes(base, settings);
  return compareFingerprints(fingerprintText(left, settings, baseSet), fingerprintText(right, settings, baseSet)).similarity;
}

const pairsOf = <T>(items: T[]): Array<[T, T]> => items.flatMap((left, index) => items.slice(index + 1).map((right): [T, T] => [left, right]));
const quantile = (values: number[], share: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(share * values.length))] ?? 0;
const shown = (value: number) => value.toFixed(2);

const count = (pick: (file: ExerciseFile) => unknown[]) => exerciseFiles.reduce((sum, file) => sum + pick(file).length, 0);
process.stdout.write(
  `${exerciseFiles.length} exercise files: ${count((file) => file.correct)} correct and ${count((file) => file.wrong)} wrong fixture versions, ` +
    `${count((file) => pairsOf([file.solution, ...file.correct]))} independent pairs; ${shipped.length} shipped code files\n`,
);
process.stdout.write("k  window | independent, stub left out: max p90 | independent vs solution, nothing left out: max | disguised (renamed, reprinted): min | reordered+padded, stub out / vs solution: min | wrong fixtures vs solution: median | shipped file vs solution: max (which)\n");
for (const k of numbers(values.k)) {
  for (const window of numbers(values.window)) {
    const settings = { k, window };
    const independent = exerciseFiles.flatMap(({ stub, solution, correct }) => pairsOf([solution, ...correct]).map(([a, b]) => similarity(a, b, settings, stub)));
    const againstSolution = exerciseFiles.flatMap(({ solution, correct }) => correct.map((variant) => similarity(variant, solution, settings)));
    const disguised = exerciseFiles.map(({ stub, solution }) => similarity(disguise(solution), solution, settings, stub));
    const edited = exerciseFiles.map(({ stub, solution }) => similarity(disguise(solution, { reorderMembers: true, padStatements: true }), solution, settings, stub));
    const editedLeak = exerciseFiles.map(({ solution }) => similarity(disguise(solution, { reorderMembers: true, padStatements: true }), solution, settings));
    const wrong = exerciseFiles.flatMap(({ solution, wrong }) => wrong.map((variant) => similarity(variant, solution, settings)));
    const nearest = shipped
      .flatMap(({ file, text }) => exerciseFiles.map(({ file: exercise, solution }) => ({ file, exercise, value: similarity(text, solution, settings) })))
      .sort((a, b) => b.value - a.value)[0];
    process.stdout.write(
      `${String(k).padEnd(2)} ${String(window).padEnd(6)} | ${shown(Math.max(...independent))} ${shown(quantile(independent, 0.9))} | ${shown(Math.max(...againstSolution))} | ${shown(Math.min(...disguised))} | ${shown(Math.min(...edited))} / ${shown(Math.min(...editedLeak))} | ${shown(quantile(wrong, 0.5))} | ${shown(nearest?.value ?? 0)} (${nearest?.file} ~ ${nearest?.exercise.replace(/^exercises\//, "solutions/")})\n`,
    );
  }
}

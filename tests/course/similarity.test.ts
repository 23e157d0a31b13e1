import { describe, expect, test } from "vitest";
import { similarPairs, type Submission } from "../../grader/similarity/class-pairs.ts";
import { mergeRanges } from "../../grader/similarity/compare.ts";
import { classThreshold, compareFiles, defaultSettings, fingerprintFile } from "../../grader/similarity/similarity.ts";
import { tokenize } from "../../grader/similarity/tokens.ts";
import { readCourseFile } from "./support/course.ts";
import { disguise } from "./support/disguise.ts";

const taskQueue = "exercises/01-task-queue/task-queue.ts";
const priorityQueue = "exercises/02-priority-queue/priority-queue.ts";
const stubs = new Map([taskQueue, priorityQueue].map((file) => [file, readCourseFile(file)]));
const solutionOf = (file: string) => readCourseFile(file.replace(/^exercises\//, "solutions/"));
const fixtureOf = (fixture: string, file: string) => readCourseFile(`tests/fixtures/submissions/${fixture}/${file}`);
const stubOf = (file: string) => stubs.get(file) ?? "";
const lineCount = (text: string) => text.split("\n").length;

describe("tokens", () => {
  test("comments, layout, names and literals do not reach them; regular expressions and templates are one literal each", () => {
    const kinds = (text: string) => tokenize(text).map((token) => token.kind);
    expect(kinds("const total = a / b / 2; // halves\nconst re = /a+b/g;")).toEqual(kinds("const   sum=x/y/7\n/* regex */ const pattern = /[xy]*/i"));
    expect(kinds("const s = `a${b}c${d}e`;")).toEqual(kinds("const s = `q${r}s${t}u`"));
    expect(kinds("items.map((item) => item.id)")).toEqual(kinds("rows.map(row => row.key)"));
    expect(kinds("map.delete(key); type T = | A | B;")).toEqual(kinds("set.remove(id); type U = C | D"));
    expect(kinds("a / b")).not.toEqual(kinds("a * b"));
    const lines = tokenize("first\n\n`one\ntwo` + third");
    expect(lines.map(({ startLine, endLine }) => [startLine, endLine])).toEqual([[1, 1], [3, 4], [4, 4], [4, 4]]);
  });
});

describe("comparing two files", () => {
  test("identical files: 1, and the matched lines are the same on both sides, one stretch from the first window of code to the last", () => {
    const solution = solutionOf(priorityQueue);
    const result = compareFiles(solution, solution);
    expect(result.similarity).toBe(1);
    const left = mergeRanges(result.matches.map((match) => match.left));
    expect(left).toEqual(mergeRanges(result.matches.map((match) => match.right)));
    // Winnowing keeps one k-gram per window, so the first and last few tokens may fall outside every fingerprint.
    const tokens = tokenize(solution);
    expect(left).toHaveLength(1);
    expect(left[0]?.start).toBeLessThanOrEqual(tokens[defaultSettings.window]?.startLine ?? 0);
    expect(left[0]?.end).toBeGreaterThanOrEqual(tokens.at(-defaultSettings.window)?.endLine ?? Infinity);
  });

  test("renamed, stripped of comments and reformatted: still 1; members reordered as well: above the class threshold", () => {
    for (const file of [taskQueue, priorityQueue]) {
      const solution = solutionOf(file);
      const disguised = disguise(solution);
      expect(disguised).not.toEqual(solution);
      const result = compareFiles(disguised, solution, { base: stubOf(file) });
      expect(result.similarity, file).toBe(1);
      for (const { left, right } of result.matches) {
        expect(left.end).toBeLessThanOrEqual(lineCount(disguised));
        expect(right.end).toBeLessThanOrEqual(lineCount(solution));
      }
      expect(compareFiles(disguise(solution, { reorderMembers: true }), solution, { base: stubOf(file) }).similarity, file).toBeGreaterThanOrEqual(classThreshold);
    }
  });

  test("solutions written independently, with different data structures, stay below the class threshold", () => {
    const independent: Array<[string, string, string]> = [
      [taskQueue, "01-correct-linked-list", "01-correct-two-stacks"],
      [taskQueue, "01-correct-ring-buffer", "01-correct-linked-list"],
      [priorityQueue, "02-correct-pairing-heap", "02-correct-tuple-heap"],
      [priorityQueue, "02-correct-buckets", "02-correct-pairing-heap"],
    ];
    for (const [file, first, second] of independent) {
      const result = compareFiles(fixtureOf(first, file), fixtureOf(second, file), { base: stubOf(file) });
      expect(result.similarity, `${first} ~ ${second}`).toBeLessThan(classThreshold);
    }
    for (const fixture of ["01-correct-linked-list", "01-correct-two-stacks", "01-correct-ring-buffer"]) {
      expect(compareFiles(fixtureOf(fixture, taskQueue), solutionOf(taskQueue), { base: stubOf(taskQueue) }).similarity, fixture).toBeLessThan(classThreshold);
    }
  });

  test("the stub's code never counts: an untouched stub has no fingerprint, and what a student adds is all that is compared", () => {
    const stub = stubOf(taskQueue);
    expect(fingerprintFile(stub, { base: stub }).fingerprints).toEqual([]);
    expect(compareFiles(stub, stub, { base: stub })).toEqual({ similarity: 0, shared: 0, matches: [] });
    expect(compareFiles(stub, stub).similarity).toBe(1);
    // The stub with a ring buffer pasted at its end: every fingerprint left reaches into the pasted lines.
    const added = fixtureOf("01-correct-ring-buffer", taskQueue);
    const extended = `${stub}\n${added}`;
    const prints = fingerprintFile(extended, { base: stub }).fingerprints;
    expect(prints.length).toBeGreaterThan(defaultSettings.minimumShared);
    expect(prints.every((print) => print.lines.end > lineCount(stub))).toBe(true);
  });

  test("empty files, files with nothing but comments, and files shorter than a k-gram are near nothing", () => {
    expect(compareFiles("", "")).toEqual({ similarity: 0, shared: 0, matches: [] });
    expect(compareFiles("", solutionOf(taskQueue)).similarity).toBe(0);
    expect(fingerprintFile("// only a comment\n/* and another */\n")).toEqual({ fingerprints: [], hashes: new Set(), tokenCount: 0 });
    // Shorter than one k-gram: nothing to fingerprint, so near nothing, not even itself.
    expect(compareFiles("const a = 1;", "const a = 1;").similarity).toBe(0);
  });
});

describe("similarPairs: a class", () => {
  const files = (taskQueueText: string, priorityQueueText: string) => new Map([[taskQueue, taskQueueText], [priorityQueue, priorityQueueText]]);
  const submissions: Submission[] = [
    { student: "ada", files: files(solutionOf(taskQueue), solutionOf(priorityQueue)) },
    { student: "bo", files: files(disguise(solutionOf(taskQueue)), stubOf(priorityQueue)) },
    { student: "cy", files: files(fixtureOf("01-correct-linked-list", taskQueue), fixtureOf("02-correct-pairing-heap", priorityQueue)) },
    { student: "di", files: files(stubOf(taskQueue), stubOf(priorityQueue)) },
    { student: "ed", files: files(stubOf(taskQueue), disguise(solutionOf(priorityQueue), { reorderMembers: true })) },
    { student: "flo", files: files(stubOf(taskQueue), stubOf(priorityQueue)) },
  ];

  test("lists the copies, closest first, with the lines of each side; independent work and untouched stubs are never paired", () => {
    const pairs = similarPairs(submissions, stubs, classThreshold);
    expect(pairs.map((pair) => [...pair.students, pair.files.map((file) => file.path)])).toEqual([
      ["ada", "bo", [taskQueue]],
      ["ada", "ed", [priorityQueue]],
    ]);
    expect(pairs[0]?.similarity).toBe(1);
    expect(pairs[1]?.similarity).toBeGreaterThanOrEqual(classThreshold);
    expect(pairs[1]?.similarity).toBeLessThan(1);
    for (const pair of pairs) {
      expect(pair.similarity).toBe(Math.max(...pair.files.map((file) => file.similarity)));
      for (const file of pair.files) {
        expect(file.matches.length).toBeGreaterThan(0);
        // `left` is in the first student's file: ada's, the solution.
        for (const { left } of file.matches) expect(left.end).toBeLessThanOrEqual(lineCount(solutionOf(file.path)));
      }
    }
  });

  test("agrees with comparing every pair one by one, and a threshold above 1 lists none", () => {
    const expected = submissions.flatMap((first, index) =>
      submissions.slice(index + 1).flatMap((second) => {
        const near = [...stubs.keys()].filter((file) => {
          const result = compareFiles(first.files.get(file) ?? "", second.files.get(file) ?? "", { base: stubOf(file) });
          return result.similarity >= 0.2 && result.shared >= defaultSettings.minimumShared;
        });
        return near.length > 0 ? [`${first.student}-${second.student}: ${near.join(" ")}`] : [];
      }),
    );
    const pairs = similarPairs(submissions, stubs, 0.2).map((pair) => `${pair.students.join("-")}: ${pair.files.map((file) => file.path).sort().join(" ")}`);
    expect(pairs.sort()).toEqual(expected.sort());
    expect(similarPairs(submissions, stubs, 1.01)).toEqual([]);
    expect(similarPairs([], stubs, classThreshold)).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { loadCourse } from "../course/manifest.ts";
import { renderSimilarityReport } from "../report/class/similarity-report.ts";
import type { Gradebook } from "../report/types.ts";
import { similarPairs } from "../similarity/class-pairs.ts";
import { classThreshold } from "../similarity/similarity.ts";
import { writeFileAtomically } from "../write-atomically.ts";
import { exercisePaths, readKeptCode, replaceKeptCode } from "./submitted-code.ts";

export const similarityFile = "similarity.md";

/**
 * similarity.md in a gradebook folder: every pair of graded students whose
 * exercise files are close, the course's stubs left out. The code comes from
 * `codeDirs` (the folder itself, or the shards' folders a merge reads) and is
 * kept in `dir` for the graded rows only.
 */
export function writeClassSimilarity(dir: string, gradebook: Gradebook, codeDirs: readonly string[] = [dir], courseRoot?: string): void {
  const course = loadCourse(courseRoot);
  const graded = gradebook.rows.filter((row) => row.report !== null).map((row) => row.student);
  const code = readKeptCode(codeDirs, graded);
  replaceKeptCode(dir, code);
  const stubs = new Map<string, string>();
  for (const file of exercisePaths(course, gradebook.modules.map((module) => module.id))) {
    try {
      stubs.set(file, readFileSync(path.join(course.root, file), "utf8"));
    } catch {
      // A module without its stub here compares whole files.
    }
  }
  const submissions = [...code].map(([student, files]) => ({ student, files: new Map(Object.entries(files)) }));
  const pairs = similarPairs(submissions, stubs, classThreshold);
  writeFileAtomically(path.join(dir, similarityFile), renderSimilarityReport({ course: gradebook.course, compared: submissions.length, threshold: classThreshold, pairs }));
}

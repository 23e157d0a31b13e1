import { createHash, type Hash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import type { Course } from "../course/manifest.ts";
import { readSubmissionFile } from "../pipeline/submission-read.ts";

/** Larger than any file grading reads (sources stop at 1 MiB, quizzes at 64 KiB): such a file is hashed by its size alone. */
const hashedFileLimit = 2 * 1024 * 1024;

/**
 * Adds a file tree to a hash: names, kinds and contents, in a fixed order,
 * never following a link (a student's link is hashed as where it points).
 * Files are read through the hardened reader, so a device or a pipe, or a
 * path the system refuses, is hashed as what it is and never read.
 */
function hashTree(hash: Hash, root: string, relative: string): void {
  const full = path.join(root, relative);
  let stats;
  try {
    stats = lstatSync(full, { throwIfNoEntry: false });
  } catch (error) {
    hash.update(`unreadable ${relative} ${(error as NodeJS.ErrnoException).code ?? ""}\0`);
    return;
  }
  if (!stats) {
    hash.update(`missing ${relative}\0`);
  } else if (stats.isSymbolicLink()) {
    hash.update(`link ${relative} ${readlinkSync(full)}\0`);
  } else if (stats.isDirectory()) {
    hash.update(`folder ${relative}\0`);
    for (const entry of readdirSync(full).sort()) {
      if (entry === "node_modules" || entry === ".git") continue;
      hashTree(hash, root, relative ? `${relative}/${entry}` : entry);
    }
  } else if (stats.isFile()) {
    const read = readSubmissionFile(root, full, hashedFileLimit);
    hash.update(`file ${relative} ${stats.size}\0`).update(read.ok ? read.bytes : `not read: ${read.problem}`).update("\0");
  } else {
    hash.update(`other ${relative}\0`);
  }
}

/**
 * course.json without what only the gradebook's arithmetic reads (module
 * weights, the late policy): changing those reweighs the class, not regrades it.
 */
function gradingManifest(root: string): string {
  const manifest = JSON.parse(readFileSync(path.join(root, "course.json"), "utf8")) as { grading?: { late?: unknown }; modules?: { weight?: unknown }[] };
  delete manifest.grading?.late;
  for (const module of manifest.modules ?? []) delete module.weight;
  return JSON.stringify(manifest);
}

/**
 * What decides a grade besides the submission: the grader's code and
 * packages, the suites and their support, the quiz keys, the stubs (which
 * name the exports graded), course.json (but its weights and late policy) and
 * the options. Any change regrades everyone.
 */
export function courseDigest(course: Course, options: Record<string, unknown>): string {
  const hash = createHash("sha256").update(JSON.stringify(options)).update("\0");
  hash.update(`manifest ${gradingManifest(course.root)}\0`);
  for (const part of ["package-lock.json", "tsconfig.json", "vitest.config.ts", "grader", "tests/public", "tests/hidden", "tests/support", "exercises"]) {
    hashTree(hash, course.root, part);
  }
  for (const module of course.modules) hashTree(hash, course.root, module.quiz);
  return hash.digest("hex");
}

/**
 * What grading reads of a checkout: everything under exercises/, each quiz
 * file, and the names at its top level (the report lists the unused ones).
 */
export function submissionDigest(course: Course, checkout: string): string {
  const hash = createHash("sha256");
  hashTree(hash, checkout, "exercises");
  for (const module of course.modules) hashTree(hash, checkout, module.quiz);
  const names = readdirSync(checkout, { withFileTypes: true }).map((entry) => `${entry.name}${entry.isDirectory() ? "/" : ""}`);
  hash.update(`top ${names.sort().join("\n")}\0`);
  return hash.digest("hex");
}

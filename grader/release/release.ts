import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadCourse } from "../course/manifest.ts";
import { GraderInputError } from "../errors.ts";
import { loadReleaseDeclaration, type ReleaseDeclaration } from "./declaration.ts";
import { commitAll, historyFiles, isGitRepository } from "./git.ts";
import { findLeaks, loadSecrets, type CheckedFile, type LeakReport } from "./leak-check.ts";
import { buildStudentTree, type Tree } from "./student-tree.ts";
import { readFolderTree, syncTree, type SyncResult } from "./tree-io.ts";

export interface TimedLeakReport extends LeakReport {
  seconds: number;
}

/** The tree's files, then (in a git repository) everything its history holds. */
function filesToCheck(tree: Tree, historyOf: string | null): CheckedFile[] {
  const files: CheckedFile[] = [...tree].map(([file, { content }]) => ({ label: file, path: file, content }));
  if (historyOf !== null && isGitRepository(historyOf)) {
    files.push(...historyFiles(historyOf, new Map([...tree].map(([file, { content }]) => [file, content]))));
  }
  return files;
}

/** The leak check of a tree (and, in a git repository, of its history), timed. */
function checkTree(root: string, declaration: ReleaseDeclaration, tree: Tree, historyOf: string | null): TimedLeakReport {
  const started = performance.now();
  const report = findLeaks(filesToCheck(tree, historyOf), loadSecrets(root, declaration));
  return { ...report, seconds: (performance.now() - started) / 1000 };
}

/** A copy of the course (a student repository, an earlier release): it has the manifest and the exercises. */
function isCourseCopy(dir: string): boolean {
  return existsSync(path.join(dir, "course.json")) && existsSync(path.join(dir, "exercises"));
}

const looksLikeSource = (dir: string) => existsSync(path.join(dir, "solutions")) || existsSync(path.join(dir, "tests", "hidden"));

/** The real path of `target`, or of the nearest folder above it that exists, with the rest appended. */
function realPathOf(target: string): string {
  const missing: string[] = [];
  let current = target;
  while (!existsSync(current)) {
    missing.unshift(path.basename(current));
    current = path.dirname(current);
  }
  return path.join(realpathSync(current), ...missing);
}

function checkOutFolder(root: string, out: string, label: string, force: boolean): void {
  const real = realPathOf(out);
  const source = realpathSync(root);
  if (real === source || real.startsWith(`${source}${path.sep}`)) {
    throw new GraderInputError(`--out: ${label} is inside this repository; write the release beside it, e.g. --out ../student-template`);
  }
  // The release makes DIR hold the student repository and nothing else: never a folder this one lives in.
  if (source.startsWith(`${real}${path.sep}`) || real === path.parse(real).root || real === realPathOf(os.homedir())) {
    throw new GraderInputError(`--out: ${label} holds this repository or your home; write the release into a folder of its own, e.g. --out ../student-template`);
  }
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new GraderInputError(`--out: ${label} is a file, not a folder`);
  const entries = readdirSync(out).filter((entry) => entry !== ".git");
  if (entries.length === 0 || force) return;
  if (looksLikeSource(out)) throw new GraderInputError(`--out: ${label} holds solutions or hidden tests, so it looks like an instructors' source; use --force to replace it`);
  if (!isCourseCopy(out)) throw new GraderInputError(`--out: ${label} is not empty and holds no earlier release; use --force to replace its contents`);
}

export interface ReleaseResult {
  out: string;
  leaks: TimedLeakReport;
  /** Null when the leak check stopped the release before anything was written. */
  sync: SyncResult | null;
  commit: string | null;
  seconds: number;
}

function sourceCommit(root: string): string | null {
  const result = spawnSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : null;
}

/**
 * `npm run release -- --out DIR`: builds the student tree in memory, checks it
 * (and DIR's git history, if DIR is a clone) for leaks, and writes it only
 * when the check is clean. With `git`, the result is committed.
 */
export function releaseStudentRepository(root: string, outArgument: string, options: { git: boolean; force: boolean }): ReleaseResult {
  const started = performance.now();
  const out = path.resolve(outArgument);
  checkOutFolder(root, out, outArgument, options.force);
  const declaration = loadReleaseDeclaration(root);
  const tree = buildStudentTree(root, declaration);
  const leaks = checkTree(root, declaration, tree, existsSync(out) ? out : null);
  if (leaks.leaks.length > 0) return { out, leaks, sync: null, commit: null, seconds: (performance.now() - started) / 1000 };

  const sync = syncTree(out, tree);
  let commit: string | null = null;
  if (options.git) {
    const from = sourceCommit(root);
    commit = commitAll(out, `Release of the course "${loadCourse(root).title}"${from ? ` (source ${from})` : ""}`);
  }
  return { out, leaks, sync, commit, seconds: (performance.now() - started) / 1000 };
}

/** `npm run release -- --check DIR`: the leak check of a student repository, its history included. */
export function checkStudentRepository(root: string, dirArgument: string): TimedLeakReport {
  const dir = path.resolve(dirArgument);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new GraderInputError(`--check: ${dirArgument} is not a folder`);
  if (!isCourseCopy(dir)) throw new GraderInputError(`--check: ${dirArgument} is not a copy of the course (it has no course.json and exercises/)`);
  return checkTree(root, loadReleaseDeclaration(root), readFolderTree(dir), dir);
}

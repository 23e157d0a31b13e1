import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadCourse } from "../course/manifest.ts";
import { GraderInputError } from "../errors.ts";
import { declarationFile, isShipped, loadReleaseDeclaration, type ReleaseDeclaration } from "./declaration.ts";
import { commitAll, historyFiles, isGitRepository } from "./git.ts";
import { findLeaks, loadSecrets, type CheckedFile, type LeakReport } from "./leak-check.ts";
import { committedFiles, folderFiles, headCommit, uncommittedFiles, type SourceFiles } from "./source-files.ts";
import { gradeReleasedStubs, type StubGrading } from "./stub-grading.ts";
import { buildStudentTree, notOnAllowList, type Tree } from "./student-tree.ts";
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
  /** The leak check, with the stubs' hidden points among its leaks. */
  leaks: TimedLeakReport;
  /** The released stubs, graded with the hidden suites. */
  stubGrading: StubGrading;
  /** Null when the leak check stopped the release before anything was written. */
  sync: SyncResult | null;
  commit: string | null;
  /** The source commit the release was built from (with --allow-dirty, the one its uncommitted changes are on); null outside git. */
  source: { id: string; subject: string } | null;
  /** With --allow-dirty: the files taken as they are in the folder, not as committed. */
  uncommitted: string[];
  /** Files of the source that are neither on the allow-list nor kept back by name, so did not ship. */
  notShipped: string[];
  seconds: number;
}

/** Files whose uncommitted state would change what a release writes. */
function affectsRelease(declaration: ReleaseDeclaration, file: string): boolean {
  const inputs = [declarationFile, "package.json", "package-lock.json", ".npmrc", "README.md", "course.json"];
  return isShipped(declaration, file) || file.startsWith(declaration.studentFiles) || inputs.includes(file);
}

/**
 * What the release reads: HEAD, from git's objects, so nothing uncommitted
 * ships under the last commit's name. Uncommitted changes to what it would
 * take stop it, unless `allowDirty`, which takes the folder as it is and says so.
 */
function releaseSource(root: string, declaration: ReleaseDeclaration, allowDirty: boolean): { source: SourceFiles; base: { id: string; subject: string } | null; uncommitted: string[] } {
  if (!isGitRepository(root)) {
    if (!allowDirty) throw new GraderInputError("this source is not a git repository, and a release is built from a commit: commit it, or use --allow-dirty to release the folder as it is");
    return { source: folderFiles(root), base: null, uncommitted: [] };
  }
  const uncommitted = uncommittedFiles(root).filter((file) => affectsRelease(declaration, file));
  if (uncommitted.length === 0) {
    const source = committedFiles(root);
    return { source, base: source.commit, uncommitted };
  }
  if (!allowDirty) {
    const named = uncommitted.slice(0, 5).join(", ") + (uncommitted.length > 5 ? ` and ${uncommitted.length - 5} more` : "");
    throw new GraderInputError(`${uncommitted.length} file(s) the release would take differ from the last commit (${named}): commit them, or use --allow-dirty to release the folder as it is`);
  }
  return { source: folderFiles(root), base: headCommit(root), uncommitted };
}

/**
 * `npm run release -- --out DIR`: builds the student tree in memory from the
 * last commit, checks it (and DIR's git history, if DIR is a clone) for leaks,
 * grades its stubs with the hidden suites, and writes it only when the check
 * is clean and the stubs earn no hidden point. With `git`, the result is
 * committed, its message naming the source commit.
 */
export async function releaseStudentRepository(root: string, outArgument: string, options: { git: boolean; force: boolean; allowDirty?: boolean }): Promise<ReleaseResult> {
  const started = performance.now();
  const out = path.resolve(outArgument);
  checkOutFolder(root, out, outArgument, options.force);
  const declaration = loadReleaseDeclaration(root);
  const { source, base, uncommitted } = releaseSource(root, declaration, options.allowDirty === true);
  const tree = buildStudentTree(root, declaration, source);
  const checked = checkTree(root, declaration, tree, existsSync(out) ? out : null);
  const stubGrading = await gradeReleasedStubs(root, tree);
  const leaks = { ...checked, leaks: [...checked.leaks, ...stubGrading.findings] };
  const result = { out, leaks, stubGrading, sync: null, commit: null, source: base, uncommitted, notShipped: notOnAllowList(declaration, source) };
  if (leaks.leaks.length > 0) return { ...result, seconds: (performance.now() - started) / 1000 };

  const sync = syncTree(out, tree);
  let commit: string | null = null;
  if (options.git) {
    const from = base ? ` from source ${base.id.slice(0, 10)}: ${base.subject}` : " from the source folder as it was";
    const dirty = uncommitted.length > 0 ? ` (with uncommitted changes to ${uncommitted.length} file${uncommitted.length === 1 ? "" : "s"})` : "";
    commit = commitAll(out, `Release of the course "${loadCourse(root).title}"${from}${dirty}`);
  }
  return { ...result, sync, commit, seconds: (performance.now() - started) / 1000 };
}

/** `npm run release -- --check DIR`: the leak check of a student repository, its history included. */
export function checkStudentRepository(root: string, dirArgument: string): TimedLeakReport {
  const dir = path.resolve(dirArgument);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new GraderInputError(`--check: ${dirArgument} is not a folder`);
  if (!isCourseCopy(dir)) throw new GraderInputError(`--check: ${dirArgument} is not a copy of the course (it has no course.json and exercises/)`);
  return checkTree(root, loadReleaseDeclaration(root), readFolderTree(dir), dir);
}

import { type Stats, chmodSync, copyFileSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { JudgeSetup } from "../judge/judge-setup.ts";
import { readSurface } from "./exercise-surface.ts";
import type { GradingPlan } from "./plan.ts";
import { writeSubmissionBundle } from "./submission-bundle.ts";
import { readSubmissionFile } from "./submission-read.ts";
import { cgroupPlan, groupPrefixFor, killProcessesOf, removeLeftoverGroups, stagingPrefix } from "./kernel-limits.ts";
import { launchSpec, nodeRunsAsUser, unprivilegedUser, type Isolation } from "./submission-process.ts";

/** Submission files the grader will run; anything else under exercises/ is ignored. */
const sourceExtensions = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json"]);
const maxSourceBytes = 1024 * 1024;
/** What one module's folder may hold: far more than any exercise needs, far less than a disk. */
const maxModuleFiles = 100;
const maxModuleBytes = 4 * 1024 * 1024;

export interface StagedModule {
  /** Where vitest runs: the suites, their support code and the course's packages. */
  workspace: string;
  /** The judge's setup file (MQ_JUDGE_SETUP), or null when the suites import the exercises directly. */
  judgeSetup: string | null;
}

export interface StagedWorkspaces {
  /** A clean folder per graded module that has an exercise. */
  dirs: Map<string, StagedModule>;
  /** Submission paths that were present but not used, for the report. */
  ignored: string[];
  cleanup(): void;
}

interface Collected {
  files: string[];
  bytes: number;
}

/** lstat, or null where the system refuses (a missing file, a path too long for it). */
function lstatOrNull(file: string): Stats | null {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}

/** A module's runnable sources, skipping links, anything too large, and whatever passes the module's limits. */
function collectSources(dir: string, relative: string, ignored: string[], collected: Collected): void {
  let entries: string[];
  try {
    entries = readdirSync(path.join(dir, relative)).sort();
  } catch {
    return;
  }
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry}` : entry;
    const stats = lstatOrNull(path.join(dir, child));
    if (!stats) ignored.push(`exercises/${child} (cannot be read)`);
    else if (stats.isDirectory()) collectSources(dir, child, ignored, collected);
    else if (stats.isSymbolicLink()) ignored.push(`exercises/${child} (a symbolic link)`);
    else if (!stats.isFile() || !sourceExtensions.has(path.extname(entry))) ignored.push(`exercises/${child}`);
    else if (stats.size > maxSourceBytes) ignored.push(`exercises/${child} (over 1 MiB)`);
    else if (collected.files.length >= maxModuleFiles || collected.bytes + stats.size > maxModuleBytes) {
      ignored.push(`exercises/${child} (past the limit of ${maxModuleFiles} files or ${maxModuleBytes / 1024 / 1024} MiB per module)`);
    } else {
      collected.files.push(child);
      collected.bytes += stats.size;
    }
  }
}

/** Folders under exercises/ that belong to no graded module: never copied anywhere. */
function otherFolders(exercisesDir: string, graded: ReadonlySet<string>): string[] {
  try {
    return readdirSync(exercisesDir)
      .filter((entry) => !graded.has(entry))
      .sort()
      .map((entry) => `exercises/${entry}`);
  } catch {
    return [];
  }
}

/** Top-level entries of a submission that grading never reads (its own tests, config, package.json …). */
function unusedTopLevel(submissionDir: string): string[] {
  const used = new Set(["exercises", "lessons", ".git", "node_modules"]);
  try {
    return readdirSync(submissionDir, { withFileTypes: true })
      .filter((entry) => !used.has(entry.name))
      .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
      .sort();
  } catch {
    return [];
  }
}

/**
 * The stage step: builds one clean workspace per module from trusted course
 * files (suites, their support code, dependencies), and apart from it that
 * module's exercise sources, within limits. The submission's own tests,
 * config and package.json are never copied, so they cannot change how it is
 * graded, and no module's files reach another module's workspace.
 *
 * Judged (isolation "process" or "sandbox"), the sources are transpiled into
 * a separate submission folder, the only one the submission process sees,
 * and the workspace holds no submission file at all. In process (the
 * student's own loop) they are copied into the workspace's exercises/.
 */
export function stageWorkspaces(plan: GradingPlan, isolation: Isolation, memoryLimitMb: number): StagedWorkspaces {
  const { course, source } = plan;
  const root = mkdtempSync(path.join(os.tmpdir(), stagingPrefix));
  // Everything is root's and closed (0700), but for what the submission process
  // must reach as nobody under "user" isolation: a path down to its bundle.
  chmodSync(root, 0o711);
  const groupPrefix = groupPrefixFor(root);
  const node = isolation === "user" ? nodeForUser(root) : process.execPath;
  const ignored: string[] = [];
  if (source.otherCheckout) ignored.push(...unusedTopLevel(source.otherCheckout));
  const graded = new Set(plan.modules.filter(({ suites }) => suites.length > 0).map(({ module }) => module.id));
  ignored.push(...otherFolders(source.exercisesDir, new Set(course.modules.map((module) => module.id))));

  const dirs = new Map<string, StagedModule>();
  for (const { module, suites } of plan.modules) {
    if (!graded.has(module.id)) continue;
    const moduleRoot = path.join(root, module.id);
    const workspace = path.join(moduleRoot, "workspace");
    mkdirSync(moduleRoot);
    chmodSync(moduleRoot, 0o711); // not through mkdir's mode, which the umask can narrow
    // The suites, hidden ones included: for the judge's eyes only.
    mkdirSync(workspace, { mode: 0o700 });
    writeFileSync(path.join(workspace, "package.json"), '{ "private": true, "type": "module" }\n');
    symlinkSync(path.join(course.root, "node_modules"), path.join(workspace, "node_modules"), "dir");
    const collected: Collected = { files: [], bytes: 0 };
    // A linked exercises/ or module folder could lead anywhere, the solutions included.
    const linked = [source.exercisesDir, path.join(source.exercisesDir, module.id)].find((folder) => lstatOrNull(folder)?.isSymbolicLink());
    if (linked) ignored.push(`${path.relative(path.dirname(source.exercisesDir), linked)} (a symbolic link)`);
    else collectSources(source.exercisesDir, module.id, ignored, collected);
    cpSync(path.join(course.root, "tests", "support"), path.join(workspace, "tests", "support"), { recursive: true });
    for (const suite of suites) cpSync(path.join(course.root, suite.file), path.join(workspace, suite.file));

    let judgeSetup: string | null = null;
    if (isolation === "in-process") {
      for (const file of collected.files) {
        const read = readSubmissionFile(source.exercisesDir, path.join(source.exercisesDir, file), maxSourceBytes);
        if (!read.ok) {
          ignored.push(`exercises/${file} (${read.problem})`);
          continue;
        }
        mkdirSync(path.dirname(path.join(workspace, "exercises", file)), { recursive: true });
        writeFileSync(path.join(workspace, "exercises", file), read.bytes);
      }
    } else {
      // Read as hostile input once more: the file listed a moment ago may have been swapped for a link or a pipe.
      const sources = collected.files.flatMap((file) => {
        const read = readSubmissionFile(source.exercisesDir, path.join(source.exercisesDir, file), maxSourceBytes);
        if (read.ok) return [{ relative: file.slice(module.id.length + 1), text: read.bytes.toString("utf8") }];
        ignored.push(`exercises/${file} (${read.problem})`);
        return [];
      });
      const stems = (module.exerciseFiles ?? []).map((file) => file.replace(/\.[^.]+$/, ""));
      const bundle = writeSubmissionBundle(path.join(moduleRoot, "submission"), module.id, stems, sources);
      // Whatever the grader's umask, nobody must be able to read its bundle (and only that).
      if (isolation === "user") openToOthers(bundle.dir);
      mkdirSync(path.join(moduleRoot, "pipes"));
      chmodSync(path.join(moduleRoot, "pipes"), 0o711);
      const setup: JudgeSetup = {
        launch: launchSpec(isolation, bundle, stems, memoryLimitMb, path.join(moduleRoot, "pipes"), `${groupPrefix}${module.id}-`, node),
        exercisesDir: path.join(workspace, "exercises", module.id),
        surfaces: Object.fromEntries(
          (module.exerciseFiles ?? []).map((file) => {
            const surface = readSurface(path.join(course.root, "exercises", module.id, file));
            return [`${module.id}/${surface.stem}`, surface];
          }),
        ),
      };
      judgeSetup = path.join(moduleRoot, "judge-setup.json");
      writeFileSync(judgeSetup, JSON.stringify(setup), { mode: 0o600 });
    }
    dirs.set(module.id, { workspace, judgeSetup });
  }
  const cleanup = () => {
    removeLeftoverGroups(cgroupPlan(), groupPrefix);
    if (isolation === "user") killProcessesOf(unprivilegedUser.uid);
    rmSync(root, { recursive: true, force: true });
  };
  return { dirs, ignored, cleanup };
}

/** Makes a folder and everything in it readable (and its folders enterable) by every user. */
function openToOthers(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) openToOthers(full);
    else chmodSync(full, 0o644);
  }
}

/**
 * A Node binary nobody may run: this one, or a copy beside the bundles when
 * this one sits where only root can enter (npm's cache under /root, say).
 */
function nodeForUser(root: string): string {
  const node = realpathSync(process.execPath);
  if (nodeRunsAsUser(node)) return node;
  const copy = path.join(root, "node");
  copyFileSync(node, copy);
  chmodSync(copy, 0o755);
  return copy;
}

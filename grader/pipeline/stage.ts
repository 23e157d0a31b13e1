import { copyFileSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { GradingPlan } from "./plan.ts";

/** Submission files the grader will run; anything else under exercises/ is ignored. */
const sourceExtensions = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json"]);
const maxSourceBytes = 1024 * 1024;
/** What one module's folder may hold: far more than any exercise needs, far less than a disk. */
const maxModuleFiles = 100;
const maxModuleBytes = 4 * 1024 * 1024;

export interface StagedWorkspaces {
  /** A clean folder per graded module that has an exercise. */
  dirs: Map<string, string>;
  /** Submission paths that were present but not used, for the report. */
  ignored: string[];
  cleanup(): void;
}

interface Collected {
  files: string[];
  bytes: number;
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
    const stats = lstatSync(path.join(dir, child));
    if (stats.isDirectory()) collectSources(dir, child, ignored, collected);
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
 * files (suites, their support code, dependencies) plus only that module's
 * exercise sources, within limits. The submission's own tests, config and
 * package.json are never copied, so they cannot change how it is graded, and
 * no module's files reach another module's workspace.
 */
export function stageWorkspaces(plan: GradingPlan): StagedWorkspaces {
  const { course, source } = plan;
  const root = mkdtempSync(path.join(os.tmpdir(), "mq-grade-"));
  const ignored: string[] = [];
  if (source.otherCheckout) ignored.push(...unusedTopLevel(source.otherCheckout));
  const graded = new Set(plan.modules.filter(({ suites }) => suites.length > 0).map(({ module }) => module.id));
  ignored.push(...otherFolders(source.exercisesDir, new Set(course.modules.map((module) => module.id))));

  const dirs = new Map<string, string>();
  for (const { module, suites } of plan.modules) {
    if (!graded.has(module.id)) continue;
    const dir = path.join(root, module.id);
    mkdirSync(path.join(dir, "exercises"), { recursive: true });
    writeFileSync(path.join(dir, "package.json"), '{ "private": true, "type": "module" }\n');
    symlinkSync(path.join(course.root, "node_modules"), path.join(dir, "node_modules"), "dir");
    const collected: Collected = { files: [], bytes: 0 };
    // A linked exercises/ or module folder could lead anywhere, the solutions included.
    const linked = [source.exercisesDir, path.join(source.exercisesDir, module.id)].find((folder) => lstatSync(folder, { throwIfNoEntry: false })?.isSymbolicLink());
    if (linked) ignored.push(`${path.relative(path.dirname(source.exercisesDir), linked)} (a symbolic link)`);
    else collectSources(source.exercisesDir, module.id, ignored, collected);
    for (const file of collected.files) {
      mkdirSync(path.dirname(path.join(dir, "exercises", file)), { recursive: true });
      copyFileSync(path.join(source.exercisesDir, file), path.join(dir, "exercises", file));
    }
    cpSync(path.join(course.root, "tests", "support"), path.join(dir, "tests", "support"), { recursive: true });
    for (const suite of suites) cpSync(path.join(course.root, suite.file), path.join(dir, suite.file));
    dirs.set(module.id, dir);
  }
  return { dirs, ignored, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { GradingPlan } from "./plan.ts";

/** Submission files the grader will run; anything else under exercises/ is ignored. */
const sourceExtensions = new Set([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".json"]);
const maxSourceBytes = 1024 * 1024;

export interface StagedWorkspaces {
  /** A clean folder per graded module that has an exercise. */
  dirs: Map<string, string>;
  /** Submission paths that were present but not used, for the report. */
  ignored: string[];
  cleanup(): void;
}

/** Copies the submission's runnable sources, skipping links and anything too large. */
function collectSources(dir: string, relative: string, ignored: string[], sources: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(path.join(dir, relative)).sort();
  } catch {
    return;
  }
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry}` : entry;
    const stats = lstatSync(path.join(dir, child));
    if (stats.isDirectory()) collectSources(dir, child, ignored, sources);
    else if (stats.isSymbolicLink()) ignored.push(`exercises/${child} (a symbolic link)`);
    else if (!stats.isFile() || !sourceExtensions.has(path.extname(entry))) ignored.push(`exercises/${child}`);
    else if (stats.size > maxSourceBytes) ignored.push(`exercises/${child} (over 1 MiB)`);
    else sources.push(child);
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
 * files (suites, their support code, dependencies) plus only the submission's
 * exercise sources. The submission's own tests, config and package.json are
 * never copied, so they cannot change how it is graded.
 */
export function stageWorkspaces(plan: GradingPlan): StagedWorkspaces {
  const { course, source } = plan;
  const root = mkdtempSync(path.join(os.tmpdir(), "mq-grade-"));
  const ignored: string[] = [];
  const sources: string[] = [];
  collectSources(source.exercisesDir, "", ignored, sources);
  if (source.otherCheckout) ignored.unshift(...unusedTopLevel(source.otherCheckout));

  const dirs = new Map<string, string>();
  for (const { module, suites } of plan.modules) {
    if (suites.length === 0) continue;
    const dir = path.join(root, module.id);
    mkdirSync(path.join(dir, "exercises"), { recursive: true });
    writeFileSync(path.join(dir, "package.json"), '{ "private": true, "type": "module" }\n');
    symlinkSync(path.join(course.root, "node_modules"), path.join(dir, "node_modules"), "dir");
    for (const file of sources) {
      cpSync(path.join(source.exercisesDir, file), path.join(dir, "exercises", file));
    }
    cpSync(path.join(course.root, "tests", "support"), path.join(dir, "tests", "support"), { recursive: true });
    for (const suite of suites) cpSync(path.join(course.root, suite.file), path.join(dir, suite.file));
    dirs.set(module.id, dir);
  }
  return { dirs, ignored, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

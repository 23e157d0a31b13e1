import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "vitest/config";

/** Every file below `dir`, read now, keyed by absolute path. */
function readTree(dir: string, files = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) readTree(full, files);
    else if (entry.isFile()) files.set(full, readFileSync(full, "utf8"));
  }
  return files;
}

const isInside = (file: string, dir: string) => file.startsWith(dir + path.sep);

/**
 * Two guards for a staged workspace, applied where vitest loads modules (its
 * main process, which submission code cannot reach):
 * - the suites and their support code are served from memory, as they were
 *   before any submission code ran, so rewriting a test file on disk changes
 *   nothing;
 * - nothing outside the workspace loads except packages and the grader's
 *   own files, so code cannot import course files such as the reference
 *   solutions.
 * Under the judge no submission code runs in vitest at all; the guards still
 * matter there because, without the sandbox, the submission process runs as
 * the same user and could rewrite the next test file before vitest reads it.
 */
export function workspaceGuards(workspace: string, trusted: string[]): Plugin {
  const testsDir = path.join(workspace, "tests");
  const exercisesDir = path.join(workspace, "exercises");
  const suites = readTree(testsDir);
  return {
    name: "mq-grader:workspace-guards",
    enforce: "pre",
    load(id) {
      const file = id.split("?")[0] ?? id;
      const suite = suites.get(file);
      if (suite !== undefined) return suite;
      const allowed =
        !existsSync(file) || // vite reports what it cannot find in its own words
        isInside(file, exercisesDir) ||
        trusted.some((entry) => file === entry || isInside(file, entry)) ||
        file.split(path.sep).includes("node_modules");
      if (allowed) return null;
      throw new Error(`only files under exercises/ and packages can be imported, not ${path.relative(workspace, file)}`);
    },
  };
}

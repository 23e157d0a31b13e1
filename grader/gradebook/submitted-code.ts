import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { Course } from "../course/manifest.ts";
import { writeFileAtomically } from "../write-atomically.ts";
import { git } from "./fetch.ts";

/** Path (exercises/<module>/<file>) → the text a student committed there. */
export type SubmittedCode = Record<string, string>;

/** A student's exercise file larger than this is not compared: no honest answer comes near it. */
const maxCodeBytes = 256 * 1024;

/** Where a gradebook folder keeps each graded student's exercise files, for the similarity report. */
export const codeFolder = "code";

/** The exercise files of the graded modules, as paths in a student's repository. */
export function exercisePaths(course: Course, moduleIds: readonly string[]): string[] {
  return course.modules
    .filter((module) => moduleIds.includes(module.id))
    .flatMap((module) => (module.exerciseFiles ?? []).map((file) => `exercises/${module.id}/${file}`));
}

/**
 * The exercise files of a graded commit, read from git's objects rather than
 * the checkout: a submission's file may be a link (to /dev/zero, say) or
 * huge, and a blob is neither. Only regular files, each at most 256 KiB.
 */
export async function readSubmittedCode(checkout: string, commit: string, paths: readonly string[]): Promise<SubmittedCode> {
  const code: SubmittedCode = {};
  if (paths.length === 0) return code;
  // "<mode> blob <object> <size>\t<path>" for each path that exists.
  const listing = await git(checkout, ["ls-tree", "-l", "--full-tree", commit, "--", ...paths]);
  for (const line of listing.split("\n")) {
    const match = /^(100644|100755) blob ([0-9a-f]+) +(\d+)\t(.+)$/.exec(line);
    if (!match || Number(match[3]) > maxCodeBytes || !paths.includes(match[4] ?? "")) continue;
    code[match[4] as string] = await git(checkout, ["cat-file", "blob", match[2] as string], true);
  }
  return code;
}

const codeFile = (dir: string, student: string) => path.join(dir, codeFolder, `${encodeURIComponent(student)}.json`);

/** Keeps one student's code in a gradebook folder (replacing what was kept before). */
export function keepSubmittedCode(dir: string, student: string, code: SubmittedCode): void {
  mkdirSync(path.join(dir, codeFolder), { recursive: true });
  writeFileAtomically(codeFile(dir, student), `${JSON.stringify(code)}\n`);
}

/** The code kept in gradebook folders for these students; a student with none kept is left out. */
export function readKeptCode(dirs: readonly string[], students: readonly string[]): Map<string, SubmittedCode> {
  const kept = new Map<string, SubmittedCode>();
  for (const student of students) {
    for (const dir of dirs) {
      try {
        kept.set(student, JSON.parse(readFileSync(codeFile(dir, student), "utf8")) as SubmittedCode);
        break;
      } catch {
        // Not kept in this folder (another shard's row, or not graded).
      }
    }
  }
  return kept;
}

/** Rewrites a gradebook folder's code to exactly these students' (a student who left the roster goes). */
export function replaceKeptCode(dir: string, code: ReadonlyMap<string, SubmittedCode>): void {
  const folder = path.join(dir, codeFolder);
  const wanted = new Set([...code.keys()].map((student) => `${encodeURIComponent(student)}.json`));
  mkdirSync(folder, { recursive: true });
  for (const file of readdirSync(folder)) if (!wanted.has(file)) rmSync(path.join(folder, file), { force: true });
  for (const [student, files] of code) keepSubmittedCode(dir, student, files);
}

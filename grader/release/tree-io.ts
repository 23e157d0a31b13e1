import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { listFolderFiles } from "./course-files.ts";
import { readTreeFile, type Tree } from "./student-tree.ts";

/** A folder's files as a tree (for checking a repository edited by hand). */
export function readFolderTree(dir: string): Tree {
  return new Map(listFolderFiles(dir).map((file) => [file, readTreeFile(dir, file)]));
}

export interface SyncResult {
  written: string[];
  removed: string[];
  unchanged: number;
}

function removeEmptyFolders(dir: string, relative = ""): void {
  for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    if (!entry.isDirectory() || (relative === "" && (entry.name === ".git" || entry.name === "node_modules"))) continue;
    const child = path.join(relative, entry.name);
    removeEmptyFolders(dir, child);
    if (readdirSync(path.join(dir, child)).length === 0) rmdirSync(path.join(dir, child));
  }
}

function sameFile(full: string, wanted: { content: Buffer; executable: boolean }): boolean {
  try {
    const stats = lstatSync(full);
    return stats.isFile() && ((stats.mode & 0o111) !== 0) === wanted.executable && readFileSync(full).equals(wanted.content);
  } catch {
    return false;
  }
}

/**
 * Makes `dir` hold exactly `tree`, beside its `.git` and `node_modules`:
 * files the tree no longer has are removed, and only files whose content or
 * mode differ are written, so an update touches what changed and nothing else.
 */
export function syncTree(dir: string, tree: Tree): SyncResult {
  mkdirSync(dir, { recursive: true });
  const removed = listFolderFiles(dir, { links: true }).filter((file) => !tree.has(file));
  for (const file of removed) rmSync(path.join(dir, file), { force: true });
  removeEmptyFolders(dir);
  const written: string[] = [];
  for (const [file, wanted] of tree) {
    const full = path.join(dir, file);
    if (sameFile(full, wanted)) continue;
    mkdirSync(path.dirname(full), { recursive: true });
    // A link or folder in the way is replaced, never written through.
    if (lstatSync(full, { throwIfNoEntry: false })?.isFile() === false) rmSync(full, { recursive: true, force: true });
    writeFileSync(full, wanted.content);
    chmodSync(full, wanted.executable ? 0o755 : 0o644);
    written.push(file);
  }
  return { written, removed, unchanged: tree.size - written.length };
}

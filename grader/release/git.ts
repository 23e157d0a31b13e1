import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { GraderInputError } from "../errors.ts";
import type { CheckedFile } from "./leak-check.ts";

export function git(dir: string, args: string[], input?: string): Buffer {
  const result = spawnSync("git", ["-C", dir, ...args], { input, maxBuffer: 1024 * 1024 * 1024 });
  if (result.error) throw new GraderInputError(`git is needed here and could not run (${result.error.message})`);
  if (result.status !== 0) {
    const reason = result.stderr.toString("utf8").trim().split("\n")[0] ?? `exit ${result.status}`;
    throw new GraderInputError(`git ${args[0]} failed in ${dir}: ${reason}`);
  }
  return result.stdout;
}

export function isGitRepository(dir: string): boolean {
  return existsSync(path.join(dir, ".git"));
}

/** The id git gives a file's content, to tell history apart from what the tree holds now. */
function blobId(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

/**
 * Everything a clone of the repository carries besides its current files:
 * every blob reachable from any ref (with the path it had), and every commit
 * message. Blobs identical to the current file at their path are left out,
 * because the tree check already reads them.
 */
export function historyFiles(dir: string, current: ReadonlyMap<string, Buffer>): CheckedFile[] {
  const hasCommits = spawnSync("git", ["-C", dir, "rev-parse", "--verify", "--quiet", "HEAD"]).status === 0;
  const hasRefs = git(dir, ["for-each-ref", "--format=%(objectname)"]).length > 0;
  if (!hasCommits && !hasRefs) return [];
  const currentIds = new Set([...current].map(([file, content]) => `${blobId(content)} ${file}`));
  const objects = git(dir, ["rev-list", "--objects", "--all"]).toString("utf8").split("\n").filter(Boolean);
  const named = new Map<string, string>();
  for (const line of objects) {
    const space = line.indexOf(" ");
    if (space > 0) named.set(line.slice(0, space), line.slice(space + 1));
  }
  const types = git(dir, ["cat-file", "--batch-check=%(objectname) %(objecttype)"], `${[...named.keys()].join("\n")}\n`).toString("utf8").split("\n");
  const blobs = types.flatMap((line) => {
    const [id = "", type] = line.split(" ");
    const file = named.get(id);
    return type === "blob" && file !== undefined && !currentIds.has(`${id} ${file}`) ? [{ id, file }] : [];
  });

  const files: CheckedFile[] = [];
  const contents = readBlobs(dir, blobs.map((blob) => blob.id));
  blobs.forEach((blob, index) => {
    files.push({ label: `git history ${blob.id.slice(0, 10)}:${blob.file}`, path: blob.file, content: contents[index] as Buffer });
  });
  const log = git(dir, ["log", "--all", "--format=%H%x00%B%x00"]).toString("utf8").split("\0");
  for (let at = 0; at + 1 < log.length; at += 2) {
    const commit = (log[at] ?? "").trim();
    files.push({ label: `git history: message of commit ${commit.slice(0, 10)}`, path: null, content: Buffer.from(log[at + 1] ?? "") });
  }
  return files;
}

/** The contents of blobs, in the order asked, in one `git cat-file --batch`. */
export function readBlobs(dir: string, ids: string[]): Buffer[] {
  if (ids.length === 0) return [];
  const batch = git(dir, ["cat-file", "--batch"], `${ids.join("\n")}\n`);
  const contents: Buffer[] = [];
  let offset = 0;
  for (let index = 0; index < ids.length; index++) {
    // "<id> blob <size>\n<content>\n"
    const headerEnd = batch.indexOf(0x0a, offset);
    const size = Number(batch.toString("utf8", offset, headerEnd).split(" ")[2]);
    contents.push(batch.subarray(headerEnd + 1, headerEnd + 1 + size));
    offset = headerEnd + 1 + size + 1;
  }
  return contents;
}

/** Commits everything in `dir` (a new repository on branch main if it is none yet); null when nothing changed. */
export function commitAll(dir: string, message: string): string | null {
  if (!isGitRepository(dir)) git(dir, ["init", "--quiet", "--initial-branch=main"]);
  git(dir, ["add", "--all"]);
  if (spawnSync("git", ["-C", dir, "diff", "--cached", "--quiet"]).status === 0 && spawnSync("git", ["-C", dir, "rev-parse", "--verify", "--quiet", "HEAD"]).status === 0) {
    return null;
  }
  // Use the instructor's identity when git has one; a fresh machine (CI) has none.
  const hasIdentity = spawnSync("git", ["-C", dir, "config", "user.email"]).status === 0;
  const identity = hasIdentity ? [] : ["-c", "user.name=Course release", "-c", "user.email=course-release@users.noreply.github.com"];
  git(dir, [...identity, "commit", "--quiet", "--no-verify", "--message", message]);
  return git(dir, ["rev-parse", "HEAD"]).toString("utf8").trim();
}

import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { GraderInputError } from "../errors.ts";
import { listCourseFiles } from "./course-files.ts";
import { git, readBlobs } from "./git.ts";

export interface TreeFile {
  content: Buffer;
  executable: boolean;
}

/** A repository's files by relative path ("/" separators), held in memory until written. */
export type Tree = Map<string, TreeFile>;

export function readTreeFile(root: string, file: string): TreeFile {
  const full = path.join(root, file);
  return { content: readFileSync(full), executable: (statSync(full).mode & 0o111) !== 0 };
}

/** Where a release reads the course from: a commit, or the folder as it is. */
export interface SourceFiles {
  /** Every file, as relative paths with "/" separators, sorted. */
  files: string[];
  read(file: string): TreeFile;
  /** The commit read, with its subject; null for a folder. */
  commit: { id: string; subject: string } | null;
}

/** The files of a folder as they are: every file git tracks or would track (see listCourseFiles). */
export function folderFiles(root: string): SourceFiles {
  return { files: listCourseFiles(root), read: (file) => readTreeFile(root, file), commit: null };
}

/** HEAD's id and subject. */
export function headCommit(root: string): { id: string; subject: string } {
  const id = git(root, ["rev-parse", "HEAD"]).toString("utf8").trim();
  return { id, subject: git(root, ["log", "-1", "--format=%s", id]).toString("utf8").trim() };
}

/** The files of HEAD, read from git's objects: what is committed, whatever the folder holds now. */
export function committedFiles(root: string): SourceFiles {
  const { id, subject } = headCommit(root);
  const entries = git(root, ["ls-tree", "-r", "-z", "--full-tree", id])
    .toString("utf8")
    .split("\0")
    .filter(Boolean)
    .flatMap((line) => {
      // "<mode> <type> <object>\t<path>"; links (120000) and submodules are not course files.
      const [meta = "", file = ""] = line.split("\t");
      const [mode = "", type = "", object = ""] = meta.split(" ");
      return type === "blob" && (mode === "100644" || mode === "100755") ? [{ file, object, executable: mode === "100755" }] : [];
    });
  const blobs = readBlobs(root, entries.map((entry) => entry.object));
  const contents = new Map(entries.map((entry, index) => [entry.file, blobs[index] as Buffer]));
  const byFile = new Map(entries.map((entry) => [entry.file, entry]));
  return {
    files: entries.map((entry) => entry.file).sort(),
    read: (file) => {
      const content = contents.get(file);
      if (content === undefined) throw new GraderInputError(`${file} is not in commit ${id.slice(0, 10)}`);
      return { content, executable: byFile.get(file)?.executable === true };
    },
    commit: { id, subject },
  };
}

/** Files that differ from HEAD: changed, staged, deleted or new (git's ignored files are not the course's). */
export function uncommittedFiles(root: string): string[] {
  const status = git(root, ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"]).toString("utf8");
  return [...new Set(status.split("\0").filter(Boolean).map((entry) => entry.slice(3)))].sort();
}

import { mkdtempSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { courseRoot } from "../grader/course/manifest.ts";
import { listCourseFiles } from "../grader/release/course-files.ts";
import { buildStudentTree, readTreeFile, type Tree } from "../grader/release/student-tree.ts";
import { syncTree } from "../grader/release/tree-io.ts";

/**
 * Copies the course into a temporary folder: as students get it (exactly what
 * `npm run release` writes, by the same declaration) or as the instructors'
 * source holds it. node_modules is linked, not copied. The caller removes the folder.
 */
export function copyCourse(kind: "student" | "instructor"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `course-${kind}-`));
  const tree: Tree =
    kind === "student" ? buildStudentTree(courseRoot) : new Map(listCourseFiles(courseRoot).map((file) => [file, readTreeFile(courseRoot, file)]));
  syncTree(dir, tree);
  symlinkSync(path.join(courseRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

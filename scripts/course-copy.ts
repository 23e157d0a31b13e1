import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { courseRoot } from "../grader/course/manifest.ts";

/**
 * Copies the course into a temporary folder, as a student's repository holds
 * it (no solutions, hidden suites or quiz keys) or as the instructors' source
 * does. node_modules is linked, not copied. The caller removes the folder.
 */
export function copyCourse(kind: "student" | "instructor"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `course-${kind}-`));
  const parts = ["course.json", "package.json", "tsconfig.json", "vitest.config.ts", "grader", "lessons", "exercises", "tests/public", "tests/support"];
  if (kind === "instructor") parts.push("solutions", "tests/hidden");
  for (const part of parts) {
    const from = path.join(courseRoot, part);
    if (!existsSync(from)) continue;
    mkdirSync(path.dirname(path.join(dir, part)), { recursive: true });
    cpSync(from, path.join(dir, part), { recursive: true });
  }
  symlinkSync(path.join(courseRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

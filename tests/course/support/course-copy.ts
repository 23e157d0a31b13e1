import { rmSync } from "node:fs";
import { copyCourse as copy } from "../../../scripts/course-copy.ts";

const copies: string[] = [];

/** A copy of the course for a test (see scripts/course-copy.ts); `removeCourseCopies` deletes them all. */
export function copyCourse(kind: "student" | "instructor"): string {
  const dir = copy(kind);
  copies.push(dir);
  return dir;
}

export function removeCourseCopies(): void {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
}

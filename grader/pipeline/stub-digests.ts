import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Course } from "../course/manifest.ts";

/**
 * A student's copy records the stubs it was released with, by digest: there
 * the exercise files are the student's own, so the stubs cannot be read
 * beside them, and a practice run must still tell a module not started.
 */
export const stubDigestsFile = "grader/stub-digests.json";

export const digestOf = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** The digests file for a tree about to be released: each module's exercise files, by their path under exercises/. */
export function stubDigests(course: Course, tree: ReadonlyMap<string, { content: Buffer }>): string {
  const digests: Record<string, string> = {};
  for (const module of course.modules) {
    for (const file of module.exerciseFiles ?? []) {
      const relative = `${module.id}/${file}`;
      const stub = tree.get(`exercises/${relative}`);
      if (stub) digests[relative] = digestOf(stub.content);
    }
  }
  return `${JSON.stringify(digests, null, 2)}\n`;
}

/** The released stubs' digests, when this copy has them (a student's copy); null in the instructors' source. */
export function readStubDigests(course: Course): Map<string, string> | null {
  try {
    const data: unknown = JSON.parse(readFileSync(path.join(course.root, stubDigestsFile), "utf8"));
    if (typeof data !== "object" || data === null) return null;
    return new Map(Object.entries(data).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  } catch {
    return null;
  }
}

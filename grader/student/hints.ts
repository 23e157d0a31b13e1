import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Course, CourseModule } from "../course/manifest.ts";

// How many hints a student has asked for, per module. It lives in the
// course folder, not in node_modules (which npm ci wipes), and .gitignore
// keeps it out of the student's commits.
export function hintStateFile(course: Course): string {
  return path.join(course.root, ".course-state", "hints.json");
}

function readState(course: Course): Record<string, number> {
  try {
    const data: unknown = JSON.parse(readFileSync(hintStateFile(course), "utf8"));
    return typeof data === "object" && data !== null ? (data as Record<string, number>) : {};
  } catch {
    return {};
  }
}

export interface HintView {
  /** Hints revealed so far, oldest first. */
  revealed: string[];
  remaining: number;
}

/** Reveals the next hint of a module (or none, with reveal false) and says how many remain. */
export function revealHint(course: Course, module: CourseModule, options: { reveal: boolean; reset?: boolean }): HintView {
  const state = readState(course);
  const seen = options.reset ? 0 : Math.min(state[module.id] ?? 0, module.hints.length);
  const shown = options.reveal ? Math.min(seen + 1, module.hints.length) : seen;
  if (shown !== (state[module.id] ?? 0)) {
    mkdirSync(path.dirname(hintStateFile(course)), { recursive: true });
    writeFileSync(hintStateFile(course), `${JSON.stringify({ ...state, [module.id]: shown }, null, 2)}\n`);
  }
  return { revealed: module.hints.slice(0, shown), remaining: module.hints.length - shown };
}

export function renderHints(module: CourseModule, view: HintView): string {
  if (module.hints.length === 0) return `Module ${module.id} has no hints.`;
  const lines = view.revealed.map((hint, index) => `Hint ${index + 1} of ${module.hints.length}: ${hint}`);
  lines.push(
    view.remaining > 0
      ? `${view.remaining} more hint${view.remaining === 1 ? "" : "s"} left: run it again to see the next.`
      : "That was the last hint.",
  );
  return lines.join("\n\n");
}

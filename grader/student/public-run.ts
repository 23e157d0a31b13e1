import type { GradeOptions } from "../grade.ts";

/** A test's limit in the student's own runs unless it sets its own: a hung test is named in seconds. */
const studentTestTimeoutMs = 8_000;

/**
 * How the student's own commands (the loop, progress, hint) run the public
 * tests: importing the code directly, which is fastest on their own machine,
 * with 8 s a test so a hung one is named soon, and a module's time for it all.
 */
export function publicRunOptions(extra: Pick<GradeOptions, "only" | "signal" | "skipUntouched" | "courseRoot"> = {}): GradeOptions {
  return { parts: ["public"], timeoutSeconds: 30, isolation: "in-process", testTimeoutMs: studentTestTimeoutMs, ...extra };
}

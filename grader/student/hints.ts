import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Course, CourseModule, Hint } from "../course/manifest.ts";
import { ruleNote } from "../report/text.ts";
import type { ModuleReport } from "../report/types.ts";

// Which hints a student has seen, per module: the indexes of the revealed
// hints. It lives in the course folder, not in node_modules (which npm ci
// wipes), and .gitignore keeps it out of the student's commits.
export function hintStateFile(course: Course): string {
  return path.join(course.root, ".course-state", "hints.json");
}

type HintState = Record<string, unknown>;

function readState(course: Course): HintState {
  try {
    const data: unknown = JSON.parse(readFileSync(hintStateFile(course), "utf8"));
    return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as HintState) : {};
  } catch {
    return {};
  }
}

/**
 * The hints of a module a student has seen, as indexes in course order. An
 * older copy of the course kept a count instead: n means hints 0 to n-1.
 */
function revealedHints(state: HintState, module: CourseModule): Set<number> {
  const entry = state[module.id];
  const valid = (index: unknown): index is number => Number.isInteger(index) && (index as number) >= 0 && (index as number) < module.hints.length;
  if (typeof entry === "number") return new Set(module.hints.map((_, index) => index).filter((index) => index < entry));
  return new Set(Array.isArray(entry) ? entry.filter(valid) : []);
}

/** A public test that did not pass, and the rules it checks. */
export interface FailingTest {
  name: string;
  rules: readonly string[];
}

/** Why this hint comes now. */
export type HintReason =
  /** It names `rules`, rules of the first failing test. */
  | { kind: "failing-test"; test: string; rules: string[] }
  /** No unseen hint names a rule of the first failing test, so the next in course order. */
  | { kind: "no-hint-for-test"; test: string; rules: string[] }
  /** Every public test passes, so the next in course order. */
  | { kind: "all-passing" }
  /** No test results to go by (a module without an exercise): the next in course order. */
  | { kind: "in-order" };

export interface HintChoice {
  /** The hint's index in course order. */
  index: number;
  reason: HintReason;
}

/** The public tests of a report that did not pass, in suite order; null when the report is not this module's. */
export function failingPublicTests(module: CourseModule, report: ModuleReport | undefined): FailingTest[] | null {
  if (!report || report.id !== module.id) return null;
  return report.tests.filter((test) => test.kind === "public" && test.status !== "passed").map((test) => ({ name: test.name, rules: test.rules }));
}

/**
 * The hint to reveal next, or null when every hint has been seen. With the
 * failing public tests known, the first unseen hint that names a rule of the
 * first failing test; otherwise, and once those run out, the first unseen hint
 * in course order.
 */
export function hintToReveal(module: CourseModule, failing: readonly FailingTest[] | null, revealed: ReadonlySet<number>): HintChoice | null {
  const unseen = module.hints.map((_, index) => index).filter((index) => !revealed.has(index));
  const [next] = unseen;
  if (next === undefined) return null;
  if (failing === null) return { index: next, reason: { kind: "in-order" } };
  const [test] = failing;
  if (!test) return { index: next, reason: { kind: "all-passing" } };
  for (const index of unseen) {
    const named = (module.hints[index]?.rules ?? []).filter((rule) => test.rules.includes(rule));
    if (named.length > 0) return { index, reason: { kind: "failing-test", test: test.name, rules: test.rules.filter((rule) => named.includes(rule)) } };
  }
  return { index: next, reason: { kind: "no-hint-for-test", test: test.name, rules: [...test.rules] } };
}

export interface HintView {
  /** Hints seen before this call, in course order. */
  earlier: number[];
  /** The hint this call revealed, if any. */
  latest: HintChoice | null;
  remaining: number;
}

/**
 * Reveals the next hint of a module (none with reveal false) and records it.
 * `report` is the module's latest run of its public tests, when there is one:
 * its first failing test decides which hint comes next.
 */
export function revealHint(course: Course, module: CourseModule, options: { reveal: boolean; reset?: boolean; report?: ModuleReport | undefined }): HintView {
  const state = readState(course);
  const seen = options.reset ? new Set<number>() : revealedHints(state, module);
  const latest = options.reveal ? hintToReveal(module, failingPublicTests(module, options.report), seen) : null;
  const earlier = [...seen].sort((a, b) => a - b);
  const now = latest ? [...earlier, latest.index].sort((a, b) => a - b) : earlier;
  // Written as a list even when nothing changed, so an older count is read only once.
  if (options.reset || latest || typeof state[module.id] === "number") {
    mkdirSync(path.dirname(hintStateFile(course)), { recursive: true });
    writeFileSync(hintStateFile(course), `${JSON.stringify({ ...state, [module.id]: now }, null, 2)}\n`);
  }
  return { earlier, latest, remaining: module.hints.length - now.length };
}

/** The hints of a module the student has seen, as indexes in course order. */
export function seenHints(course: Course, module: CourseModule): Set<number> {
  return revealedHints(readState(course), module);
}

/** "Hint 2 of 5: [empty-null] [falsy] An empty queue…": the ids lead, as each rule does in the stub. */
function hintLine(module: CourseModule, index: number): string {
  const hint: Hint | undefined = module.hints[index];
  const rules = (hint?.rules ?? []).map((rule) => `[${rule}] `).join("");
  return `Hint ${index + 1} of ${module.hints.length}: ${rules}${hint?.text ?? ""}`;
}

/** Why the new hint comes now, for the line above it; null when there is nothing to say. */
function reasonLine(module: CourseModule, reason: HintReason): string | null {
  switch (reason.kind) {
    case "failing-test":
      return `For the failing test "${reason.test}" (${ruleNote(reason.rules)}):`;
    case "no-hint-for-test":
      return `No hint is left for the failing test "${reason.test}" (${ruleNote(reason.rules)}): reread ${reason.rules.length === 1 ? "that rule" : "those rules"} in the stub. The next hint in order:`;
    case "all-passing":
      return `Every public test of ${module.id} passes, so hints come in order:`;
    case "in-order":
      return null;
  }
}

/**
 * The hints seen so far in course order, then the new one with why it comes
 * now, then how many are left and how to see the next (`again`).
 */
export function renderHints(module: CourseModule, view: HintView, again = "run it again"): string {
  if (module.hints.length === 0) return `Module ${module.id} has no hints.`;
  const blocks = view.earlier.map((index) => hintLine(module, index));
  if (view.latest) {
    const reason = reasonLine(module, view.latest.reason);
    blocks.push(`${reason ? `${reason}\n` : ""}${hintLine(module, view.latest.index)}`);
  }
  blocks.push(
    view.remaining > 0
      ? `${view.remaining} more hint${view.remaining === 1 ? "" : "s"} left: ${again} to see the next.`
      : "That was the last hint.",
  );
  return blocks.join("\n\n");
}

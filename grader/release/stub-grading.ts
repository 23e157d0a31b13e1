import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadCourse } from "../course/manifest.ts";
import { courseDigest, submissionDigest } from "../gradebook/fingerprint.ts";
import { ResultCache } from "../gradebook/result-cache.ts";
import { grade } from "../grade.ts";
import { probeSandbox } from "../pipeline/submission-process.ts";
import type { GradeReport } from "../report/types.ts";
import type { Finding } from "./leak-check.ts";
import type { Tree } from "./student-tree.ts";
import { syncTree } from "./tree-io.ts";

export interface StubGrading {
  /** One per module whose stubs earn a hidden point, or that could not be graded. */
  findings: Finding[];
  isolation: "sandbox" | "process";
  /** Why not the sandbox, when not. */
  reason: string | null;
  modules: number;
  hiddenTests: number;
  /** The same stubs, suites and grader were graded before: the result was read back, not run again. */
  cached: boolean;
  seconds: number;
}

export interface StubGradingOptions {
  /** Only these modules (comma-separated ids, as `npm run grade -- --only`). */
  only?: string | undefined;
  /** Where results are kept by what decided them; null grades every time. */
  cacheDir?: string | null | undefined;
}

const shownTests = 3;

/** The cache only saves time: a folder that cannot be made or written (read-only, full) grades every time instead. */
function openCache(dir: string): ResultCache | null {
  try {
    return new ResultCache(dir);
  } catch {
    return null;
  }
}

function keep(cache: ResultCache | null, key: string, report: GradeReport): void {
  try {
    cache?.set(key, report);
  } catch {
    // Graded again next time.
  }
}

/** What a graded module of stubs says about the release: nothing, or why it must not ship. */
function findingsOf(report: GradeReport): Finding[] {
  const findings: Finding[] = report.machineFaults.map((fault) => ({ where: "exercises/", what: `the stubs could not be graded with the hidden suites (${fault}); release again` }));
  for (const module of report.modules) {
    const earned = module.tests.filter((test) => test.kind === "hidden" && test.score > 0);
    if (earned.length === 0) continue;
    const names = earned.slice(0, shownTests).map((test) => `"${test.name}"`).join(", ") + (earned.length > shownTests ? ` and ${earned.length - shownTests} more` : "");
    const points = earned.reduce((sum, test) => sum + test.score, 0);
    findings.push({ where: `exercises/${module.id}/`, what: `earns ${points} hidden point${points === 1 ? "" : "s"} as shipped (a stub must earn none): ${names}` });
  }
  return findings;
}

/**
 * Grades the stubs a release would ship with the hidden suites, through the
 * pipeline `npm run grade` uses: a stub that passes a hidden test is (part
 * of) an answer. In the sandbox where bubblewrap can start one, else as a
 * plain process: the stubs are this course's own code. The result is kept by
 * what decided it (stubs, suites, grader, packages), so an unchanged course
 * is graded once.
 */
export async function gradeReleasedStubs(root: string, tree: Tree, options: StubGradingOptions = {}): Promise<StubGrading> {
  const started = performance.now();
  const course = loadCourse(root);
  const probe = probeSandbox();
  const isolation = probe.isolation === "sandbox" ? "sandbox" : "process";
  const submission = mkdtempSync(path.join(os.tmpdir(), "release-stubs-"));
  try {
    syncTree(submission, new Map([...tree].filter(([file]) => file.startsWith("exercises/"))));
    const cacheDir = options.cacheDir === undefined ? path.join(root, "node_modules", ".cache", "release-stub-grading") : options.cacheDir;
    const cache = cacheDir === null ? null : openCache(cacheDir);
    const key = ResultCache.key(courseDigest(course, { purpose: "release stubs", parts: ["hidden"], only: options.only ?? null, isolation }), submissionDigest(course, submission));
    const cached = cache?.get(key) ?? null;
    const report = cached ?? (await grade({ courseRoot: root, submission, submissionLabel: "the released stubs", parts: ["hidden"], only: options.only, isolation }));
    if (!cached && report.machineFaults.length === 0) keep(cache, key, report);
    return {
      findings: findingsOf(report),
      isolation,
      reason: probe.reason,
      modules: report.modules.filter((module) => module.tests.some((test) => test.kind === "hidden")).length,
      hiddenTests: report.modules.reduce((sum, module) => sum + module.tests.filter((test) => test.kind === "hidden").length, 0),
      cached: cached !== null,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    rmSync(submission, { recursive: true, force: true });
  }
}

import os from "node:os";
import path from "node:path";
import { loadCourse, type Course } from "../course/manifest.ts";
import { GraderInputError } from "../errors.ts";
import { grade } from "../grade.ts";
import { planGrading, resolveSource } from "../pipeline/plan.ts";
import { mapConcurrently } from "../pipeline/run.ts";
import { scoreModule } from "../pipeline/score.ts";
import type { Isolation } from "../pipeline/submission-process.ts";
import { withTotals } from "../report/class/totals.ts";
import type { Gradebook, GradebookRow, GradeReport, LatePolicy } from "../report/types.ts";
import { fetchSubmission } from "./fetch.ts";
import { courseDigest, submissionDigest } from "./fingerprint.ts";
import { mergeRegraded, regradeEntry } from "./regrade.ts";
import { ResultCache } from "./result-cache.ts";
import { exercisePaths, readSubmittedCode, type SubmittedCode } from "./submitted-code.ts";
import { inShard, loadRoster, type RosterEntry, type Shard } from "./roster.ts";

export interface GradebookOptions {
  roster: string;
  /** The class's deadline (ISO 8601, UTC); a roster row's own deadline wins. */
  deadline: string | null;
  cacheDir: string;
  jobs: number;
  shard: Shard | null;
  only?: string | undefined;
  timeoutSeconds?: number | undefined;
  isolation: Extract<Isolation, "sandbox" | "process">;
  courseRoot?: string | undefined;
  /** The late policy, when not course.json's (undefined: course.json's; null: none). */
  latePolicy?: LatePolicy | null;
  /**
   * Grade only this student's row, afresh (the result cache is not read for
   * it), and merge it into `previous`, the gradebook made before in `where`.
   */
  regrade?: { student: string; previous: Gradebook; where: string };
  /** Called once the roster and the modules are known to be good, before anything is fetched. */
  onStart?: () => void;
  /** Called with a student's exercise files as committed, once their commit is fetched (for the similarity report). */
  onCode?: (student: string, code: SubmittedCode) => void;
  /** Called as each row is known, in the order they finish. */
  onRow?: (row: GradebookRow, how: "graded" | "cached" | "not graded") => void;
}

/** The modules a gradebook has columns for, with the points each is out of. */
async function gradedModules(course: Course, only: string | undefined): Promise<Gradebook["modules"]> {
  const plan = await planGrading(course, resolveSource(course, {}), only);
  const context = { timeoutSeconds: course.moduleTimeoutSeconds, memoryLimitMb: course.memoryLimitMb, exercisesPath: "exercises" };
  return plan.modules.map((modulePlan) => {
    const { id, title, weight } = modulePlan.module;
    return { id, title, maxScore: scoreModule(modulePlan, null, context).maxScore, ...(weight === null ? {} : { weight }) };
  });
}

/** A roster entry's row, not yet graded unless `fields` say so. */
function rowOf(entry: RosterEntry, fields: Partial<GradebookRow>): GradebookRow {
  return { row: entry.row, student: entry.student, repo: entry.repo, commit: null, deadline: entry.commit ? null : entry.deadline, gradedAt: null, report: null, problems: [], columns: entry.columns, ...fields };
}

/**
 * Grades a class: load the roster → fetch each student's commit → grade it
 * (or take its report from the cache) → one row per student. A student
 * whose repository cannot be fetched, or whose row is malformed, gets a row
 * saying why, and the others are still graded.
 */
export async function runGradebook(options: GradebookOptions): Promise<Gradebook> {
  const course = loadCourse(options.courseRoot);
  // An unknown module or a bad roster stops here, before any fetch.
  const modules = await gradedModules(course, options.only);
  const roster = loadRoster(options.roster, options.deadline);
  const latePolicy = options.latePolicy === undefined ? course.latePolicy : options.latePolicy;
  const gradingOptions = { only: modules.map((module) => module.id), timeoutSeconds: options.timeoutSeconds ?? course.moduleTimeoutSeconds, isolation: options.isolation };
  const digest = courseDigest(course, gradingOptions);
  const codePaths = exercisePaths(course, gradingOptions.only);
  const regrade = options.regrade;
  const regradedEntry = regrade ? regradeEntry(regrade.previous, roster, regrade.student, latePolicy, regrade.where) : null;
  if (regrade && regrade.previous.courseDigest !== digest) {
    throw new GraderInputError(`--regrade: ${regrade.where} was graded with a different course, grader or options (--only, --timeout); grade the class again, or regrade with its options`);
  }
  options.onStart?.();
  const cache = new ResultCache(options.cacheDir);
  const rosterDir = path.dirname(path.resolve(options.roster));
  const moduleConcurrency = Math.max(1, Math.floor(os.availableParallelism() / options.jobs));
  // Identical submissions (two untouched templates) are graded once, even when they are graded at the same moment.
  const inFlight = new Map<string, Promise<GradeReport>>();

  /** One row, whatever its repository holds: a failure anywhere in it (fetch, hash, plan, stage, grade) costs only this row. */
  const gradeEntry = async (entry: RosterEntry): Promise<GradebookRow> => {
    try {
      return await gradeRow(entry);
    } catch (error) {
      const result = rowOf(entry, { problems: [`could not grade: ${(error as Error).message.split("\n")[0]?.slice(0, 300)}`] });
      options.onRow?.(result, "not graded");
      return result;
    }
  };

  const gradeRow = async (entry: RosterEntry): Promise<GradebookRow> => {
    const row = (fields: Partial<GradebookRow>) => rowOf(entry, fields);
    const notGraded = (problem: string) => {
      const result = row({ problems: [problem] });
      options.onRow?.(result, "not graded");
      return result;
    };
    if (entry.problem) return notGraded(entry.problem);
    const fetched = await fetchSubmission(entry, options.cacheDir, rosterDir, latePolicy);
    if (!fetched.ok) return notGraded(fetched.problem);
    if (options.onCode) {
      // The similarity report is a reading aid: a file it cannot read is left out of it, never the grade.
      const code = await readSubmittedCode(fetched.checkout, fetched.commit, codePaths).catch(() => null);
      if (code) options.onCode(entry.student, code);
    }

    const key = ResultCache.key(digest, submissionDigest(course, fetched.checkout));
    // A regrade is asked for because a result is doubted: it never comes from the cache.
    const cached = regradedEntry ? null : cache.get(key);
    let report = cached;
    if (!report) {
      let grading = inFlight.get(key);
      if (!grading) {
        const gradeOnce = () =>
          grade({
            submission: fetched.checkout,
            submissionLabel: entry.student,
            only: options.only,
            timeoutSeconds: options.timeoutSeconds,
            isolation: options.isolation,
            moduleConcurrency,
            courseRoot: options.courseRoot,
          });
        // What the machine may have caused (a fault in the report, or the grader failing outright: a full disk while staging, say)
        // is graded once more; a result that still has it is no grade, and is never cached.
        grading = gradeOnce()
          .then(
            (first) => (first.machineFaults.length > 0 ? gradeOnce() : first),
            () => gradeOnce(),
          )
          .then((graded) => {
            if (graded.machineFaults.length === 0) cache.set(key, graded);
            return graded;
          });
        inFlight.set(key, grading);
      }
      try {
        report = await grading;
      } catch (error) {
        return notGraded(`could not grade: the grader failed on this submission: ${(error as Error).message.split("\n")[0]}`);
      }
      if (report.machineFaults.length > 0) return notGraded(`could not grade, twice: ${report.machineFaults.join("; ")}`);
    }
    // A cached report may be another student's identical submission: it is named for this one.
    const result = row({ commit: fetched.commit, committedAt: fetched.committedAt, laterCommits: fetched.laterCommits, gradedAt: report.gradedAt, report: { ...report, submission: entry.student } });
    options.onRow?.(result, cached ? "cached" : "graded");
    return result;
  };

  const entries = regradedEntry ? [regradedEntry] : roster.entries.filter((entry) => inShard(entry.row, options.shard));
  const rows = await mapConcurrently(entries, options.jobs, gradeEntry);
  const gradebook = withTotals({
    version: 1,
    course: course.title,
    generatedAt: new Date().toISOString(),
    modules,
    ...(latePolicy ? { latePolicy } : {}),
    rosterDigest: roster.digest,
    courseDigest: digest,
    rosterRows: roster.entries.length,
    shard: options.shard,
    rows,
  });
  return regrade ? mergeRegraded(regrade.previous, gradebook) : gradebook;
}

import os from "node:os";
import { loadCourse } from "./course/manifest.ts";
import { planGrading, resolveSource, type GradedPart, type GradingPlan, type SourceOptions } from "./pipeline/plan.ts";
import { mapConcurrently, runModule } from "./pipeline/run.ts";
import { machineFault, scoreModule } from "./pipeline/score.ts";
import { stageWorkspaces } from "./pipeline/stage.ts";
import { readStubDigests } from "./pipeline/stub-digests.ts";
import { GraderInputError } from "./errors.ts";
import { cgroupPlan } from "./pipeline/kernel-limits.ts";
import { othersCanEnter, probeSandbox, probeUserIsolation, type Isolation } from "./pipeline/submission-process.ts";
import type { GradeReport } from "./report/types.ts";

export interface GradeOptions extends SourceOptions {
  only?: string | undefined;
  /** Overrides the manifest's per-module time limit. */
  timeoutSeconds?: number | undefined;
  courseRoot?: string | undefined;
  /** Grade only these parts; the student's loop runs just the public tests. */
  parts?: readonly GradedPart[] | undefined;
  /**
   * Where submission code runs. By default in the sandbox where bubblewrap can
   * start one, else in a process of its own; "sandbox" demands the sandbox.
   * The student's own loop keeps it in the test process.
   */
  isolation?: Isolation | undefined;
  /** How many modules run at once; by default one per core. A class gradebook grades several submissions at once and shares the cores out. */
  moduleConcurrency?: number | undefined;
  /** Stops the test runs early (the student's loop, when a newer save makes this run stale). */
  signal?: AbortSignal | undefined;
  /** In a practice run (this checkout, no hidden suites here), also typecheck the modules the student has started. */
  typecheck?: boolean | undefined;
  /**
   * In a practice run, do not run the tests of a module whose files are still
   * the stubs as released (grader/stub-digests.json says so): each fails,
   * saying it is not started. A student's first push then takes seconds.
   */
  skipUntouched?: boolean | undefined;
  /** In process: each test's limit unless it sets its own; the student's loop gives 8 s, so a hung test is named soon. */
  testTimeoutMs?: number | undefined;
}

/**
 * The isolation to grade with, and a note when it is not the sandbox. It
 * fails closed: another person's submission, graded with the hidden suites,
 * runs only in the sandbox, or under an isolation the instructor named.
 */
function chooseIsolation(requested: Isolation | undefined, plan: GradingPlan, courseRoot: string): { isolation: Isolation; note: string | null } {
  if (requested === "in-process") return { isolation: requested, note: null };
  if (requested === "process") return { isolation: requested, note: "graded without the sandbox, as asked with --isolation process: the submission ran as an ordinary process" };
  if (requested === "user") {
    const reason = probeUserIsolation();
    if (reason) throw new GraderInputError(`--isolation user: ${reason}`);
    if (othersCanEnter(courseRoot)) throw new GraderInputError("--isolation user: other users can reach the course's folder (its hidden suites and quiz keys); chmod 700 it, or a folder above it, first");
    const why = probeSandbox().reason ?? "as asked with --isolation user";
    return { isolation: requested, note: `graded without the sandbox (${why}): the submission ran as the unprivileged user nobody, with resource limits` };
  }
  const probe = probeSandbox();
  if (probe.isolation === "sandbox") return { isolation: "sandbox", note: null };
  if (requested === "sandbox") throw new GraderInputError(`--isolation sandbox: ${probe.reason}`);
  const untrustedHidden = plan.source.otherCheckout !== null && plan.modules.some(({ suites }) => suites.some((suite) => suite.kind === "hidden"));
  if (untrustedHidden) throw new GraderInputError(`${probe.reason}; a submission is graded with the hidden suites only in the sandbox (--isolation process, or user as root, grades it without)`);
  return { isolation: "process", note: `graded without the sandbox (${probe.reason}): the code ran as an ordinary process` };
}

/** load → stage → run → score, returning one report. Input problems throw GraderInputError before any code runs. */
/** How many unused files a report lists, and how long each name may be: a submission of 60,000 files, or of 4 KB paths, must not make a 12 MB report. */
const ignoredShownLimit = 50;
const ignoredNameLimit = 200;

function shownIgnored(ignored: string[]): string[] {
  return ignored.slice(0, ignoredShownLimit).map((name) => (name.length > ignoredNameLimit ? `${name.slice(0, ignoredNameLimit)}…` : name));
}

export async function grade(options: GradeOptions): Promise<GradeReport> {
  const started = performance.now();
  const course = loadCourse(options.courseRoot);
  const plan = await planGrading(course, resolveSource(course, options), options.only, options.parts);
  const timeoutSeconds = options.timeoutSeconds ?? course.moduleTimeoutSeconds;
  const { isolation, note } = chooseIsolation(options.isolation, plan, course.root);
  const staged = stageWorkspaces(plan, isolation, course.memoryLimitMb);
  try {
    const concurrency = Math.max(1, options.moduleConcurrency ?? os.availableParallelism());
    const machineFaults: string[] = [];
    // A student's copy: what it cannot check is said, with where and when the instructor's grader does.
    const practice = plan.source.otherCheckout === null && plan.modules.some((module) => module.notGraded.includes("hidden tests"));
    // Only where the released stubs are on record: without them every file would read as untouched.
    const skipUntouched = practice && options.skipUntouched === true && readStubDigests(course) !== null;
    const modules = await mapConcurrently(plan.modules, concurrency, async (modulePlan) => {
      const notRun = skipUntouched && modulePlan.untouched ? `not started: exercises/${modulePlan.module.id}/ is still the stub as released, so its tests were not run` : undefined;
      const workspace = notRun === undefined ? staged.dirs.get(modulePlan.module.id) : undefined;
      const run = workspace
        ? await runModule(course.root, workspace, modulePlan.suites.map((suite) => suite.file), {
            timeoutMs: timeoutSeconds * 1_000,
            memoryLimitMb: course.memoryLimitMb,
            signal: options.signal,
            testTimeoutMs: options.testTimeoutMs,
          })
        : null;
      const fault = isolation === "in-process" ? null : machineFault(modulePlan.module.id, run);
      if (fault) machineFaults.push(fault);
      return scoreModule(modulePlan, run, {
        timeoutSeconds,
        memoryLimitMb: course.memoryLimitMb,
        exercisesPath: plan.source.exercisesPath,
        notRun,
      });
    });
    if (practice && options.typecheck) {
      const { typeErrorsOfStartedModules } = await import("./student/practice-typecheck.ts");
      const typeErrors = typeErrorsOfStartedModules(course, modules);
      for (const module of modules) {
        const found = typeErrors.get(module.id);
        if (found) module.typeErrors = found;
      }
    }
    return {
      version: 1,
      course: course.title,
      submission: plan.source.label,
      gradedAt: new Date().toISOString(),
      score: modules.reduce((sum, module) => sum + module.score, 0),
      maxScore: modules.reduce((sum, module) => sum + module.maxScore, 0),
      modules,
      leftOut: course.modules.map((module) => module.id).filter((id) => !plan.modules.some((planned) => planned.module.id === id)),
      ignored: shownIgnored(staged.ignored),
      ignoredCount: staged.ignored.length,
      durationMs: Math.round(performance.now() - started),
      isolation,
      isolationNote: note,
      limits: isolation === "in-process" ? null : cgroupPlan().held,
      machineFaults: machineFaults.sort(),
      ...(practice ? { hiddenResults: course.hiddenResults } : {}),
    };
  } finally {
    staged.cleanup();
  }
}

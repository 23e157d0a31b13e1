import path from "node:path";
import type { Course } from "../course/manifest.ts";
import type { CodeProblem, ModuleReport } from "../report/types.ts";
import { ExerciseTypechecker } from "./typecheck.ts";

/** Enough to act on: a file with more has one mistake repeated, and the job summary stays small. */
const shownPerModule = 20;

/**
 * The syntax and type errors of each started module's files, for a practice
 * run: they cost no points, but a student on track has none, and the push
 * workflow marks them on the lines first. A module still as its stub is not
 * checked (its stub is clean, and it is not the student's yet).
 */
export function typeErrorsOfStartedModules(course: Course, modules: ModuleReport[]): Map<string, CodeProblem[]> {
  const started = modules.filter((report) => !report.untouched && report.tests.some((test) => test.kind !== "quiz"));
  const found = new Map<string, CodeProblem[]>();
  if (started.length === 0) return found;
  const typechecker = new ExerciseTypechecker(course.root);
  for (const report of started) {
    const module = course.modules.find((candidate) => candidate.id === report.id);
    const files = (module?.exerciseFiles ?? []).map((file) => path.join(course.root, "exercises", report.id, file));
    found.set(report.id, typechecker.check(files).diagnostics.slice(0, shownPerModule));
  }
  return found;
}

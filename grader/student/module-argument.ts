import { findModule, type Course, type CourseModule } from "../course/manifest.ts";
import { GraderInputError } from "../errors.ts";
import type { ModuleProgress } from "./progress.ts";

/** The module a student named on the command line, or a one-line error listing what exists. */
export function moduleArgument(course: Course, value: string | undefined, usage: string): CourseModule {
  if (value === undefined) throw new GraderInputError(`which module? (usage: ${usage})`);
  const module = findModule(course, value);
  if (!module) {
    const known = course.modules.map((m) => m.id).join(", ");
    throw new GraderInputError(`unknown module "${value}" (known modules: ${known})`);
  }
  return module;
}

/** The module after this one in course order, if any. */
export function nextModule(course: Course, module: CourseModule): CourseModule | undefined {
  return course.modules[course.modules.indexOf(module) + 1];
}

/** Where a student who named no module is: the first module whose exercise does not pass all its public tests, if any. */
export function firstUnfinishedExercise(progress: ModuleProgress[]): CourseModule | undefined {
  return progress.find((entry) => entry.exercise === "not started" || entry.exercise === "in progress")?.module;
}

import { findModule, type Course, type CourseModule } from "../course/manifest.ts";
import { GraderInputError } from "../errors.ts";

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

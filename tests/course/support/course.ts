import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { courseRoot, loadCourse } from "../../../grader/course/manifest.ts";

export { courseRoot };
export const course = loadCourse();
export const exerciseModules = course.modules.filter((module) => module.exerciseFiles !== null);

export function readCourseFile(relative: string): string {
  return readFileSync(path.join(courseRoot, relative), "utf8");
}

/** Folder names directly inside a course folder, e.g. the module folders of exercises/. */
export function foldersIn(relative: string): string[] {
  return readdirSync(path.join(courseRoot, relative), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

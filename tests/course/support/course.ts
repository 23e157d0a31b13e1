import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { courseRoot, loadCourse } from "../../../grader/course/manifest.ts";
import { listSuiteTests } from "../../../grader/course/suite-tests.ts";

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

/** How many tests a module's public suite declares (a student's scorecard counts them). */
export function publicTests(moduleId: string): number {
  return listSuiteTests(readCourseFile(`tests/public/${moduleId}.test.ts`), `tests/public/${moduleId}.test.ts`).length;
}

/** How many tests a module's hidden suite declares. */
export function hiddenTests(moduleId: string): number {
  return listSuiteTests(readCourseFile(`tests/hidden/${moduleId}.test.ts`), `tests/hidden/${moduleId}.test.ts`).length;
}

/** How many questions a module's quiz key has. */
export function quizQuestions(moduleId: string): number {
  return (JSON.parse(readCourseFile(`tests/hidden/quiz-keys/${moduleId}.json`)) as { questions: unknown[] }).questions.length;
}

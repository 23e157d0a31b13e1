import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { loadCourse } from "../course/manifest.ts";
import { parseQuiz, wholeQuiz } from "../course/quiz.ts";
import { tickOptions } from "../student/quiz-answers.ts";
import { listCourseFiles } from "./course-files.ts";
import { isMaintainerOnly, loadReleaseDeclaration, type ReleaseDeclaration } from "./declaration.ts";
import { studentPackage } from "./student-package.ts";
import { studentReadme } from "./student-readme.ts";

export interface TreeFile {
  content: Buffer;
  executable: boolean;
}

/** A repository's files by relative path ("/" separators), held in memory until written. */
export type Tree = Map<string, TreeFile>;

export function readTreeFile(root: string, file: string): TreeFile {
  const full = path.join(root, file);
  return { content: readFileSync(full), executable: (statSync(full).mode & 0o111) !== 0 };
}

const text = (content: string): TreeFile => ({ content: Buffer.from(content), executable: false });

/** A quiz with every box unticked, whatever the source holds. */
function untickedQuiz(markdown: string, label: string): string {
  let result = markdown;
  for (const question of wholeQuiz(parseQuiz(markdown, label), label).questions) result = tickOptions(result, question, new Set());
  return result;
}

/**
 * The students' repository, in memory: every course file the declaration does
 * not keep back, the student-only files laid over the root, and the files made
 * for students (README, package.json, lockfile, unticked quizzes).
 */
export function buildStudentTree(root: string, declaration: ReleaseDeclaration = loadReleaseDeclaration(root)): Tree {
  const files = listCourseFiles(root);
  const tree: Tree = new Map();
  for (const file of files) {
    if (!isMaintainerOnly(declaration, file)) tree.set(file, readTreeFile(root, file));
  }
  for (const file of files) {
    if (file.startsWith(declaration.studentFiles)) tree.set(file.slice(declaration.studentFiles.length), readTreeFile(root, file));
  }
  tree.set("README.md", text(studentReadme(readFileSync(path.join(root, "README.md"), "utf8"))));
  const { packageJson, lockfile } = studentPackage(root, declaration);
  tree.set("package.json", text(packageJson));
  tree.set("package-lock.json", text(lockfile));
  for (const module of loadCourse(root).modules) {
    const quiz = tree.get(module.quiz);
    if (quiz) tree.set(module.quiz, text(untickedQuiz(quiz.content.toString("utf8"), module.quiz)));
  }
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

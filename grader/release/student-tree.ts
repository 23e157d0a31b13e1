import { loadCourse } from "../course/manifest.ts";
import { stubDigests, stubDigestsFile } from "../pipeline/stub-digests.ts";
import { parseQuiz, wholeQuiz } from "../course/quiz.ts";
import { tickOptions } from "../student/quiz-answers.ts";
import { isMaintainerOnly, isShipped, loadReleaseDeclaration, type ReleaseDeclaration } from "./declaration.ts";
import { folderFiles, type SourceFiles, type Tree, type TreeFile } from "./source-files.ts";
import { studentPackage } from "./student-package.ts";
import { studentReadme } from "./student-readme.ts";

export { readTreeFile, type Tree, type TreeFile } from "./source-files.ts";

const text = (content: string): TreeFile => ({ content: Buffer.from(content), executable: false });

/** A quiz with every box unticked, whatever the source holds. */
function untickedQuiz(markdown: string, label: string): string {
  let result = markdown;
  for (const question of wholeQuiz(parseQuiz(markdown, label), label).questions) result = tickOptions(result, question, new Set());
  return result;
}

/**
 * The students' repository, in memory: the course files the declaration lets
 * ship (its allow-list, less what it keeps back), the student-only files laid
 * over the root, and the files made for students (README, package.json,
 * lockfile, unticked quizzes). Read from `source`: a commit for a release, the
 * folder as it is for a test's copy.
 */
export function buildStudentTree(root: string, declaration: ReleaseDeclaration = loadReleaseDeclaration(root), source: SourceFiles = folderFiles(root)): Tree {
  const tree: Tree = new Map();
  for (const file of source.files) {
    if (isShipped(declaration, file)) tree.set(file, source.read(file));
  }
  for (const file of source.files) {
    if (file.startsWith(declaration.studentFiles)) tree.set(file.slice(declaration.studentFiles.length), source.read(file));
  }
  const textOf = (file: string) => source.read(file).content.toString("utf8");
  tree.set("README.md", text(studentReadme(textOf("README.md"))));
  const npmrc = source.files.includes(".npmrc") ? textOf(".npmrc") : null;
  const { packageJson, lockfile } = studentPackage({ packageJson: textOf("package.json"), lockfile: textOf("package-lock.json"), npmrc }, declaration);
  tree.set("package.json", text(packageJson));
  tree.set("package-lock.json", text(lockfile));
  const course = loadCourse(root);
  for (const module of course.modules) {
    const quiz = tree.get(module.quiz);
    if (quiz) tree.set(module.quiz, text(untickedQuiz(quiz.content.toString("utf8"), module.quiz)));
  }
  tree.set(stubDigestsFile, text(stubDigests(course, tree)));
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The source's files that neither ship nor are kept back by name: new files the allow-list does not cover (a roster, a TA's notes). */
export function notOnAllowList(declaration: ReleaseDeclaration, source: SourceFiles): string[] {
  const made = new Set(["package.json", "package-lock.json"]); // written for students from the source's own
  return source.files.filter((file) => !made.has(file) && !isShipped(declaration, file) && !isMaintainerOnly(declaration, file) && !file.startsWith(declaration.studentFiles));
}

import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { zipSync, type Zippable } from "fflate";
import { GraderInputError } from "../errors.ts";
import { defaultHiddenVisibility, gradescopeSettingsFile, type GradescopeSettings, type Visibility } from "../report/gradescope.ts";
import { writeFileAtomically } from "../write-atomically.ts";
import { listCourseFiles } from "./course-files.ts";
import { loadReleaseDeclaration, pathCovers, type ReleaseDeclaration } from "./declaration.ts";
import { buildStudentTree, readTreeFile, type Tree } from "./student-tree.ts";

/** What grading reads, from the student tree: the grader, its dependencies, the stubs (whose exports the judge offers) and the suites' support. */
const gradingPaths = ["course.json", "package.json", "package-lock.json", ".npmrc", "tsconfig.json", "grader/", "exercises/", "tests/public/", "tests/support/"];
const hiddenSuites = "tests/hidden/";
const gradescopeScripts = "release/gradescope/";

/**
 * The Gradescope autograder, as a tree: setup.sh and run_autograder at the
 * root (Gradescope's layout), the grader with the student lockfile, the public
 * suites, and the hidden suites and quiz keys. No solutions, no fixtures.
 */
export function buildGradescopeBundle(root: string, declaration: ReleaseDeclaration, hiddenVisibility: Visibility = defaultHiddenVisibility): Tree {
  const student = buildStudentTree(root, declaration);
  const bundle: Tree = new Map([...student].filter(([file]) => gradingPaths.some((entry) => pathCovers(entry, file))));
  for (const file of listCourseFiles(root)) {
    if (file.startsWith(hiddenSuites)) bundle.set(file, readTreeFile(root, file));
    if (file.startsWith(gradescopeScripts)) bundle.set(file.slice(gradescopeScripts.length), { ...readTreeFile(root, file), executable: true });
  }
  bundle.set(gradescopeSettingsFile, { content: Buffer.from(`${JSON.stringify({ hiddenVisibility } satisfies GradescopeSettings, null, 2)}\n`), executable: false });
  return bundle;
}

// Unix "made by" with permission bits, so run_autograder stays executable once unzipped.
const unix = 3;

/** A zip of the tree, each file with its Unix mode. */
export function zipTree(tree: Tree): Uint8Array {
  const entries: Zippable = {};
  for (const [file, { content, executable }] of tree) {
    entries[file] = [new Uint8Array(content), { os: unix, attrs: (executable ? 0o100755 : 0o100644) << 16, mtime: new Date("2026-01-01T00:00:00Z") }];
  }
  return zipSync(entries, { level: 9 });
}

/** `npm run release -- --gradescope FILE.zip`: checks where it goes, then writes it in one step. Returns how many files it holds. */
export function writeGradescopeZip(root: string, fileArgument: string, force: boolean, hiddenVisibility: Visibility = defaultHiddenVisibility): number {
  const file = path.resolve(fileArgument);
  if (!file.endsWith(".zip")) throw new GraderInputError(`--gradescope: ${fileArgument} should end in .zip`);
  if (!existsSync(path.dirname(file)) || !statSync(path.dirname(file)).isDirectory()) {
    throw new GraderInputError(`--gradescope: folder ${path.dirname(fileArgument)} does not exist`);
  }
  if (existsSync(file) && (statSync(file).isDirectory() || !force)) {
    throw new GraderInputError(`--gradescope: ${fileArgument} exists; use --force to overwrite it`);
  }
  const bundle = buildGradescopeBundle(root, loadReleaseDeclaration(root), hiddenVisibility);
  writeFileAtomically(file, zipTree(bundle));
  return bundle.size;
}

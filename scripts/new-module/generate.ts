import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadCourse, moduleNumber } from "../../grader/course/manifest.ts";
import { listSuiteTests } from "../../grader/course/suite-tests.ts";
import { GraderInputError } from "../../grader/errors.ts";
import { writeFileAtomically } from "../../grader/write-atomically.ts";
import { solutionSource, stubSource } from "./code.ts";
import { lessonMarkdown, quizKey, quizMarkdown, type LinkedModule } from "./lesson.ts";
import { reservedNumbers, type ModuleNames } from "./names.ts";
import { manifestEntry, withInventoryEntry, withManifestEntry, withReadmeRow } from "./registry.ts";
import { hiddenSuite, publicSuite } from "./suites.ts";

/** What the generator did, by path relative to the course root. */
export interface GeneratedModule {
  /** New files. */
  written: string[];
  /** Course files that list every module, now listing this one. */
  updated: string[];
  /** Course files it could not update, each with what to do by hand. */
  skipped: string[];
  /** The module's weight in course.json, when the course weights its modules. */
  weight: number | null;
}

const inventoryFile = "tests/course/__snapshots__/hidden-inventory.test.ts.snap";

/** Folders where a file or folder named `NN-…` belongs to module NN. */
const numberedFolders = ["lessons", "exercises", "solutions", "tests/public", "tests/hidden", "tests/hidden/quiz-keys", "tests/fixtures/submissions"];

/** What to use instead: the number after every module, reserved number and numbered path. */
function numberAdvice(taken: string[]): string {
  const next = Math.max(...[...taken, ...reservedNumbers.keys()].map(Number)) + 1;
  return next > 99 ? "no number is free after the last module: renumber the modules" : `pick a free number such as ${String(next).padStart(2, "0")}`;
}

/** Every file or folder in the numbered folders, with the module number its name starts with. */
function numberedPaths(root: string): Array<{ path: string; number: string }> {
  return numberedFolders.flatMap((folder) =>
    existsSync(path.join(root, folder))
      ? readdirSync(path.join(root, folder)).flatMap((entry) => (/^\d{2}-/.test(entry) ? [{ path: `${folder}/${entry}`, number: entry.slice(0, 2) }] : []))
      : [],
  );
}

/**
 * Writes a whole module into the course at `root`: lesson, quiz and key,
 * stub, solution, public and hidden suites, and its place in course.json,
 * the hidden inventory and the README. It refuses (a GraderInputError, and
 * nothing written) a number already in use and any file that exists.
 */
export function generateModule(root: string, names: ModuleNames): GeneratedModule {
  const { id, number, file } = names;
  const course = loadCourse(root);
  const numbered = numberedPaths(root);
  const taken = [...course.modules.map((module) => moduleNumber(module)), ...numbered.map((entry) => entry.number)];
  const sameNumber = course.modules.find((module) => moduleNumber(module) === number);
  if (sameNumber) throw new GraderInputError(`${number} is already used by ${sameNumber.id} in course.json; ${numberAdvice(taken)}`);

  const files = new Map<string, string>();
  const position = course.modules.findIndex((module) => moduleNumber(module) > number);
  const introduction: LinkedModule | null = course.modules[0] ?? null;
  const previous: LinkedModule | null = course.modules[(position === -1 ? course.modules.length : position) - 1] ?? null;
  files.set(`lessons/${id}/README.md`, lessonMarkdown(names, { introduction, previous: previous?.id === introduction?.id ? null : previous }));
  files.set(`lessons/${id}/quiz.md`, quizMarkdown(names));
  files.set(`exercises/${id}/${file}`, stubSource(names));
  files.set(`solutions/${id}/${file}`, solutionSource(names));
  files.set(`tests/public/${id}.test.ts`, publicSuite(names));
  files.set(`tests/hidden/${id}.test.ts`, hiddenSuite(names));
  files.set(`tests/hidden/quiz-keys/${id}.json`, quizKey(names));

  const existing = [...files.keys()].filter((relative) => existsSync(path.join(root, relative)));
  if (existing.length > 0) throw new GraderInputError(`${existing.join(", ")} already exist${existing.length === 1 ? "s" : ""}; new-module never overwrites a file: move ${existing.length === 1 ? "it" : "them"} away or pick another id`);
  const sameNumberPaths = numbered.filter((entry) => entry.number === number).map((entry) => entry.path);
  if (sameNumberPaths.length > 0) {
    throw new GraderInputError(`${number} is already used by ${sameNumberPaths.join(", ")}; ${numberAdvice(taken)}`);
  }

  // Every edit of a shared file is worked out before anything is written.
  const read = (relative: string) => readFileSync(path.join(root, relative), "utf8");
  const manifest = withManifestEntry(read("course.json"), manifestEntry(names));
  const updates = new Map<string, string>([["course.json", manifest.text]]);
  const skipped: string[] = [];
  const hiddenNames = listSuiteTests(files.get(`tests/hidden/${id}.test.ts`) ?? "", `tests/hidden/${id}.test.ts`).map((test) => test.name);
  const inventory = existsSync(path.join(root, inventoryFile)) ? withInventoryEntry(read(inventoryFile), id, hiddenNames) : null;
  if (inventory !== null) updates.set(inventoryFile, inventory);
  else skipped.push(`${inventoryFile}: no inventory to add to; record it with npm test -- hidden-inventory -u`);
  const readme = existsSync(path.join(root, "README.md")) ? withReadmeRow(read("README.md"), names) : null;
  if (readme !== null) updates.set("README.md", readme);
  else skipped.push("README.md: no table of modules found; add the module to it by hand");

  for (const [relative, content] of files) {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    // "wx": a file that appeared since the check above is still never overwritten.
    writeFileSync(path.join(root, relative), content, { flag: "wx" });
  }
  for (const [relative, content] of updates) writeFileAtomically(path.join(root, relative), content);
  return { written: [...files.keys()], updated: [...updates.keys()], skipped, weight: manifest.weight };
}

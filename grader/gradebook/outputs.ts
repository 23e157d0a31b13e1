import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { GraderInputError } from "../errors.ts";
import { feedbackFileName, hiddenTestsShown } from "../report/class/feedback.ts";
import { defaultHiddenVisibility, type Visibility } from "../report/gradescope.ts";
import { feedbackFormat, gradebookFormats } from "../report/class/formats.ts";
import { checkGradebook } from "../report/class/schema.ts";
import type { Gradebook } from "../report/types.ts";
import { writeFileAtomically } from "../write-atomically.ts";

export const gradebookFile = "gradebook.json";

/** An output folder that is a folder, or can become one; checked before any grading. */
export function checkOutFolder(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new GraderInputError(`--out: ${dir} is a file, not a folder`);
}

/** Writes gradebook.csv, gradebook.json, class-report.md and feedback/<student>.md; feedback of students no longer on the roster goes. */
export function writeGradebook(dir: string, gradebook: Gradebook, hiddenVisibility: Visibility = defaultHiddenVisibility): void {
  const now = Date.now();
  mkdirSync(dir, { recursive: true });
  const feedbackDir = path.join(dir, "feedback");
  rmSync(feedbackDir, { recursive: true, force: true });
  mkdirSync(feedbackDir);
  for (const row of gradebook.rows) writeFileAtomically(path.join(feedbackDir, feedbackFileName(row)), feedbackFormat.render({ row, course: gradebook.course, showHidden: hiddenTestsShown(row, hiddenVisibility, now) }));
  writeFileAtomically(path.join(dir, "gradebook.csv"), gradebookFormats.csv.render(gradebook));
  writeFileAtomically(path.join(dir, "class-report.md"), gradebookFormats.classReport.render(gradebook));
  // The JSON last: its presence says the folder is complete.
  writeFileAtomically(path.join(dir, gradebookFile), gradebookFormats.json.render(gradebook));
}

/** A gradebook folder's gradebook.json, checked against its schema. */
export function readGradebook(dir: string): Gradebook {
  const file = path.join(dir, gradebookFile);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new GraderInputError(`${dir}: ${missing ? `has no ${gradebookFile} (is it a gradebook folder?)` : `${gradebookFile} is not valid JSON`}`);
  }
  return checkGradebook(data, path.join(dir, gradebookFile));
}

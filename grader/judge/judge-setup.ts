import { readFileSync } from "node:fs";
import type { FileSurface } from "./remote.ts";
import type { LaunchSpec } from "./submission-link.ts";

/** What the grader tells the judge about one module: how to start the submission process, and what each exercise file offers. */
export interface JudgeSetup {
  launch: LaunchSpec;
  /** By `<module id>/<file stem>`, as the suites import them (`@exercise/<module id>/<file stem>`). */
  surfaces: Record<string, FileSurface>;
  /** Where the student's files of this module would be in the workspace: errors point there, for annotations. */
  exercisesDir: string;
}

/** The grader names the setup file in MQ_JUDGE_SETUP; the judge reads it, never the submission. */
export function readJudgeSetup(): JudgeSetup {
  const file = process.env["MQ_JUDGE_SETUP"];
  if (!file) throw new Error("MQ_JUDGE_SETUP is not set: the judge runs only under the grader");
  return JSON.parse(readFileSync(file, "utf8")) as JudgeSetup;
}

import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { courseRoot } from "../course/manifest.ts";
import { GraderInputError } from "../errors.ts";
import { grade } from "../grade.ts";
import { gradeReportFormats as formats } from "../report/formats.ts";
import { defaultHiddenVisibility, gradescopeSettingsFile, parseVisibility, renderGradescopeProblem, renderGradescopeResults, type GradescopeSettings, type Visibility } from "../report/gradescope.ts";
import { probeSandbox, type Isolation } from "../pipeline/submission-process.ts";
import { writeFileAtomically } from "../write-atomically.ts";
import { argumentError, npmChecked, runCommand } from "./run-command.ts";

const usage = "node --import tsx grader/cli/gradescope.ts [--root DIR]   (DIR: $AUTOGRADER_ROOT, else /autograder)";

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false; // missing, or a path through a file
  }
}

/**
 * Where the course sits in what the student submitted: the submission itself
 * (a GitHub submission holds the repository's root), or the one folder a zip
 * of the repository unpacks to.
 */
function findCheckout(submission: string): string {
  if (!isFolder(submission)) throw new GraderInputError(`there is no submission folder at ${submission}`);
  const holdsCourse = (dir: string) => isFolder(path.join(dir, "exercises")) || isFolder(path.join(dir, "lessons"));
  if (holdsCourse(submission)) return submission;
  const entries = readdirSync(submission).filter((name) => name !== "__MACOSX" && !name.startsWith("."));
  const [only] = entries;
  if (entries.length === 1 && only !== undefined && holdsCourse(path.join(submission, only))) return path.join(submission, only);
  throw new GraderInputError("your submission has no exercises/ folder: submit your whole repository (from GitHub, or a zip of the repository's folder)");
}

/**
 * When students see the hidden tests' results: as the bundle was released
 * (gradescope.json beside the grader), else the default. A broken file is the
 * bundle's fault, not the student's: it stops the grader before any grading.
 */
function releasedVisibility(): Visibility {
  const file = path.join(courseRoot, gradescopeSettingsFile);
  if (!existsSync(file)) return defaultHiddenVisibility;
  const chosen = parseVisibility((JSON.parse(readFileSync(file, "utf8")) as Partial<GradescopeSettings>).hiddenVisibility ?? "");
  if (typeof chosen !== "string") throw new Error(`${gradescopeSettingsFile}: hiddenVisibility ${chosen.problem}`);
  return chosen;
}

function writeResults(resultsDir: string, results: string): void {
  mkdirSync(resultsDir, { recursive: true, mode: 0o700 });
  // Written last and in one step, over anything the submission may have put there.
  writeFileAtomically(path.join(resultsDir, "results.json"), results);
}

/**
 * The sandbox where bubblewrap can start. Gradescope's containers run as root
 * under Docker's default seccomp profile, which refuses the user namespaces
 * bubblewrap needs; there the submission runs as nobody ("user" isolation),
 * and everything it must not read or write is closed to others first: the
 * grader with its hidden suites and keys, the results, the submission's
 * metadata (other submissions' scores). Never a plain process.
 */
function gradescopeIsolation(root: string): Isolation {
  if (probeSandbox().isolation === "sandbox") return "sandbox";
  for (const [entry, mode] of [["source", 0o700], ["results", 0o700], ["submission_metadata.json", 0o600]] as const) {
    const target = path.join(root, entry);
    if (existsSync(target)) chmodSync(realpathSync(target), mode);
  }
  return "user";
}

/**
 * Gradescope's run_autograder calls this: grade ROOT/submission with the
 * hidden suites and quiz keys of this bundle, write ROOT/results/results.json.
 * A submission that cannot be graded still gets a results.json saying why;
 * only a failure of the grader itself leaves none (Gradescope then reports it).
 */
await runCommand(async () => {
  let values;
  try {
    ({ values } = parseArgs(npmChecked({ options: { root: { type: "string" } }, strict: true, allowPositionals: false })));
  } catch (error) {
    throw argumentError(error, usage);
  }
  const root = path.resolve(values.root ?? process.env["AUTOGRADER_ROOT"] ?? "/autograder");
  const resultsDir = path.join(root, "results");
  const started = performance.now();
  const hiddenVisibility = releasedVisibility();
  const isolation = gradescopeIsolation(root);
  try {
    const gradeOnce = () => grade({ submission: findCheckout(path.join(root, "submission")), submissionLabel: "your submission", isolation });
    // A module the machine may have spoiled (out of its time on a busy host) is graded once more, as the gradebook does.
    const first = await gradeOnce();
    const report = first.machineFaults.length > 0 ? await gradeOnce() : first;
    writeResults(resultsDir, `${JSON.stringify(renderGradescopeResults(report, hiddenVisibility), null, 2)}\n`);
    process.stdout.write(formats.terminal.render(report));
  } catch (error) {
    if (!(error instanceof GraderInputError)) throw error;
    writeResults(resultsDir, `${JSON.stringify(renderGradescopeProblem(error.message, performance.now() - started), null, 2)}\n`);
    process.stdout.write(`could not grade: ${error.message}\n`);
  }
  return 0;
});

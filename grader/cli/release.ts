import { parseArgs } from "node:util";
import pc from "picocolors";
import { courseRoot } from "../course/manifest.ts";
import { GraderInputError } from "../errors.ts";
import type { TimedLeakReport } from "../release/release.ts";
import type { StubGrading } from "../release/stub-grading.ts";
import { parseVisibility } from "../report/gradescope.ts";
import { printable } from "../report/text.ts";
import { argumentError, npmChecked, runCommand } from "./run-command.ts";

const usage = "npm run release -- --out DIR [--git] [--force] [--allow-dirty] | --check DIR | --gradescope FILE.zip [--hidden-visibility WHEN] [--force]";

const help = `Builds what students get from this source, and checks it for leaks.

Usage: ${usage}

  --out DIR             write the student repository into DIR (outside this one);
                        an earlier release in DIR is updated: stale files removed,
                        only changed files written
                        from the last commit: the files release/release.json lets ship
  --git                 with --out: commit the result (a new repository gets one commit),
                        its message naming the source commit
  --allow-dirty         with --out: release uncommitted changes too (it names them)
  --force               replace a folder that holds something other than a release,
                        or overwrite an existing zip
  --check DIR           leak check of a student repository, its git history included
  --gradescope FILE.zip write a Gradescope autograder (setup.sh, run_autograder,
                        the grader with the hidden suites and quiz keys)
  --hidden-visibility WHEN
                        with --gradescope: when students see the hidden tests' names and
                        results: after_due_date (the default), after_published, hidden
                        or visible

Exit status: 0 done (or no leaks), 1 leaks found (each named), 2 bad input.`;

function printLeakReport(report: TimedLeakReport): void {
  for (const entry of report.allowed) process.stdout.write(pc.dim(`allowed ${printable(entry.where)} ${printable(entry.what)} (${printable(entry.why)})\n`));
  for (const entry of report.unusedAllowances) process.stdout.write(`${pc.yellow("stale allowance")} ${entry.file}: no longer matches "${printable(entry.line)}"\n`);
  for (const leak of report.leaks) process.stdout.write(`${pc.red("leak")} ${printable(leak.where)} ${printable(leak.what)}\n`);
  const files = new Set(report.leaks.map((leak) => leak.where.replace(/:\d+$/, ""))).size;
  const verdict = report.leaks.length === 0 ? pc.green("no leaks") : pc.red(`${report.leaks.length} leak${report.leaks.length === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}`);
  process.stdout.write(`Leak check: ${verdict} (${report.filesChecked} files and history entries checked in ${report.seconds.toFixed(2)} s)\n`);
}

function printStubGrading(grading: StubGrading): void {
  const verdict = grading.findings.length === 0 ? pc.green("the released stubs earn no hidden points") : pc.red("the released stubs earn hidden points (leaks below)");
  const where = grading.isolation === "sandbox" ? "in the sandbox" : `as a plain process, not in the sandbox (${grading.reason ?? "bubblewrap cannot start here"}); they are this course's own code`;
  const when = grading.cached ? "unchanged since they were last graded, so not run again" : `in ${grading.seconds.toFixed(1)} s`;
  process.stdout.write(`Stub grading: ${verdict} (${grading.hiddenTests} hidden tests of ${grading.modules} modules, ${where}; ${when})\n`);
}

/** `npm run release`: the student repository, its leak check, and the Gradescope autograder. */
await runCommand(async () => {
  let values;
  try {
    ({ values } = parseArgs(npmChecked({
      options: {
        out: { type: "string" },
        git: { type: "boolean" },
        force: { type: "boolean" },
        "allow-dirty": { type: "boolean" },
        check: { type: "string" },
        gradescope: { type: "string" },
        "hidden-visibility": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    })));
  } catch (error) {
    throw argumentError(error, usage);
  }
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const modes = [values.out, values.check, values.gradescope].filter((value) => value !== undefined);
  if (modes.length !== 1) throw new GraderInputError(`give exactly one of --out, --check and --gradescope (usage: ${usage})`);
  if (values.git && values.out === undefined) throw new GraderInputError("--git goes with --out");
  if (values["allow-dirty"] && values.out === undefined) throw new GraderInputError("--allow-dirty goes with --out");
  if (values["hidden-visibility"] !== undefined && values.gradescope === undefined) throw new GraderInputError("--hidden-visibility goes with --gradescope");
  const hiddenVisibility = parseVisibility(values["hidden-visibility"]);
  if (typeof hiddenVisibility !== "string") throw new GraderInputError(`--hidden-visibility: ${hiddenVisibility.problem}`);
  if (values.force && values.check !== undefined) throw new GraderInputError("--force goes with --out or --gradescope");
  // Loaded only now: a typo in the options is answered at once, without loading the release builder.
  const { checkStudentRepository, releaseStudentRepository } = await import("../release/release.ts");

  if (values.check !== undefined) {
    const report = checkStudentRepository(courseRoot, values.check);
    printLeakReport(report);
    return report.leaks.length === 0 ? 0 : 1;
  }
  if (values.gradescope !== undefined) {
    const { writeGradescopeZip } = await import("../release/gradescope-bundle.ts");
    const files = writeGradescopeZip(courseRoot, values.gradescope, values.force === true, hiddenVisibility);
    process.stdout.write(`Wrote ${values.gradescope}: the Gradescope autograder (${files} files), hidden tests' results shown ${hiddenVisibility.replaceAll("_", " ")}. Upload it under Configure Autograder (Ubuntu 22.04 base image).\n`);
    return 0;
  }

  const out = values.out ?? "";
  const result = await releaseStudentRepository(courseRoot, out, { git: values.git === true, force: values.force === true, allowDirty: values["allow-dirty"] === true });
  const listed = (files: string[]) => printable(files.slice(0, 10).join(", ") + (files.length > 10 ? ` and ${files.length - 10} more` : ""));
  if (!result.source) process.stdout.write(pc.yellow("Built from the source folder as it is: it is not a git repository.\n"));
  else if (result.uncommitted.length === 0) process.stdout.write(`Built from commit ${result.source.id.slice(0, 10)}: ${printable(result.source.subject)}\n`);
  else process.stdout.write(pc.yellow(`Built from the folder (commit ${result.source.id.slice(0, 10)} and uncommitted changes to ${result.uncommitted.length} file(s): ${listed(result.uncommitted)})\n`));
  if (result.notShipped.length > 0) process.stdout.write(`Not on the allow-list in release/release.json, so not shipped: ${listed(result.notShipped)}\n`);
  printStubGrading(result.stubGrading);
  printLeakReport(result.leaks);
  if (!result.sync) {
    process.stdout.write(pc.red(`Nothing was written to ${out}: fix the leaks above (or allow a line on purpose in release/release.json).\n`));
    return 1;
  }
  const { written, removed, unchanged } = result.sync;
  const files = (count: number) => `${count} file${count === 1 ? "" : "s"}`;
  process.stdout.write(`Wrote the student repository to ${out}: ${files(written.length)} written, ${removed.length} removed, ${unchanged} unchanged, in ${result.seconds.toFixed(1)} s.\n`);
  if (values.git) process.stdout.write(result.commit ? `Committed ${result.commit.slice(0, 10)} on main.\n` : "Nothing changed since the last release, so nothing was committed.\n");
  process.stdout.write(`Next: push it to the class template repository (see INSTRUCTORS.md, "Set up a class").\n`);
  return 0;
});

import { parseArgs } from "node:util";
import { loadCourse, type Course, type CourseModule } from "../course/manifest.ts";
import type { ModuleReport } from "../report/types.ts";
import { renderHints, revealHint, seenHints } from "../student/hints.ts";
import { moduleArgument } from "../student/module-argument.ts";
import { argumentError, npmChecked, runCommand } from "./run-command.ts";
import { forTerminal } from "./terminal-text.ts";
import { publicRunOptions } from "../student/public-run.ts";

const usage = "npm run hint <module> [-- --reset]";

/** A run of the module's public tests, as the exercise loop runs them; none for a module without an exercise. */
async function publicRun(course: Course, module: CourseModule): Promise<ModuleReport | undefined> {
  if (!module.exerciseFiles) return undefined;
  // Loaded only when needed: --reset, or a module whose hints are all seen, runs nothing.
  const { grade } = await import("../grade.ts");
  // A few seconds of silence would look like a hang; the note stays out of what a pipe reads.
  if (process.stderr.isTTY) process.stderr.write(`Running the public tests of ${module.id} to find the first that fails…\n`);
  const report = await grade(publicRunOptions({ only: module.id, courseRoot: course.root }));
  return report.modules[0];
}

/**
 * `npm run hint 01`: shows the module's hints revealed so far plus the next
 * one: the first that names a rule of the first failing public test, or,
 * when every public test passes, the next in course order.
 */
await runCommand(async () => {
  let parsed;
  try {
    parsed = parseArgs(npmChecked({ options: { reset: { type: "boolean" } }, allowPositionals: true, strict: true }));
  } catch (error) {
    throw argumentError(error, usage);
  }
  const course = loadCourse();
  if (parsed.positionals.length > 1) throw argumentError(new Error(`Unexpected argument '${parsed.positionals[1]}'`), usage);
  const module = moduleArgument(course, parsed.positionals[0], usage);
  if (parsed.values.reset === true) {
    revealHint(course, module, { reveal: false, reset: true });
    process.stdout.write(forTerminal(`Hints for ${module.id} are hidden again.\n`));
    return 0;
  }
  const unseen = seenHints(course, module).size < module.hints.length;
  const report = unseen ? await publicRun(course, module) : undefined;
  const view = revealHint(course, module, { reveal: true, report });
  process.stdout.write(forTerminal(`${renderHints(module, view)}\n`));
  return 0;
});

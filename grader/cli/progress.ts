import { loadCourse } from "../course/manifest.ts";
import { GraderInputError } from "../errors.ts";
import { grade } from "../grade.ts";
import { measureProgress, renderProgress } from "../student/progress.ts";
import { runCommand } from "./run-command.ts";
import { forTerminal } from "./terminal-text.ts";
import { publicRunOptions } from "../student/public-run.ts";

/** `npm run progress`: every module's state, read from the work itself. */
await runCommand(async () => {
  if (process.argv.length > 2) throw new GraderInputError(`npm run progress takes no arguments (got ${process.argv.slice(2).join(" ")})`);
  const course = loadCourse();
  // The student's own code on their own machine: imported directly, as the watch loop does, which is faster.
  const publicRun = await grade(publicRunOptions({ skipUntouched: true }));
  process.stdout.write(`${forTerminal(renderProgress(measureProgress(course, publicRun), course.hiddenResults))}\n`);
  return 0;
});

import { parseArgs } from "node:util";
import { loadCourse } from "../course/manifest.ts";
import { renderHints, revealHint } from "../student/hints.ts";
import { moduleArgument } from "../student/module-argument.ts";
import { argumentError, npmChecked, runCommand } from "./run-command.ts";
import { forTerminal } from "./terminal-text.ts";

const usage = "npm run hint <module> [-- --reset]";

/** `npm run hint 01`: shows the module's hints revealed so far plus the next one. */
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
  const reset = parsed.values.reset === true;
  const view = revealHint(course, module, { reveal: !reset, reset });
  process.stdout.write(forTerminal(reset ? `Hints for ${module.id} are hidden again.\n` : `${renderHints(module, view)}\n`));
  return 0;
});

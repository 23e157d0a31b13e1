// `npm run costs [-- --students N]`: measures on this machine what each kind of
// Actions job of the course spends (takes minutes; run it on an idle machine),
// writes costs/measurements.json, and prints the billed-minutes tables that
// INSTRUCTORS.md ("Costs") holds. `npm run costs -- --render` prints the tables
// from the committed measurements without measuring.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { argumentError, runCommand } from "../grader/cli/run-command.ts";
import { courseRoot } from "../grader/course/manifest.ts";
import { GraderInputError } from "../grader/errors.ts";
import { writeFileAtomically } from "../grader/write-atomically.ts";
import { measure } from "./costs/measure.ts";
import { measurementsPath, parseMeasurements, renderCosts, type Measurements } from "./costs/model.ts";

const usage = "npm run costs [-- --students N] | npm run costs -- --render";
const measurementsFile = path.join(courseRoot, measurementsPath);

/** Tenths of a second are as much as a shared machine's timing holds. */
function rounded(measured: Measurements): Measurements {
  const tenths = (value: number) => Math.round(value * 10) / 10;
  const steps = Object.fromEntries(Object.entries(measured.steps).map(([name, step]) => [name, step === null ? null : { wall: tenths(step.wall), cpu: step.cpu === null ? null : tenths(step.cpu) }]));
  return { ...measured, steps: steps as Measurements["steps"] };
}

await runCommand(async () => {
  let values;
  try {
    ({ values } = parseArgs({ options: { render: { type: "boolean" }, students: { type: "string" } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw argumentError(error, usage);
  }
  if (values.render) {
    if (values.students !== undefined) throw new GraderInputError(`--render measures nothing, so --students does not go with it (usage: ${usage})`);
    if (!existsSync(measurementsFile)) throw new GraderInputError(`${path.relative(courseRoot, measurementsFile)} does not exist: run npm run costs to measure`);
    let measured: Measurements;
    try {
      measured = parseMeasurements(readFileSync(measurementsFile, "utf8"), path.relative(courseRoot, measurementsFile));
    } catch (error) {
      throw new GraderInputError((error as Error).message);
    }
    process.stdout.write(`${renderCosts(measured)}\n`);
    return 0;
  }
  const students = Number(values.students ?? "4");
  // Two at a time on a 2-core runner: an even sample keeps both busy.
  if (!Number.isInteger(students) || students < 2 || students > 50) throw new GraderInputError(`--students: "${values.students}" is not a whole number from 2 to 50`);
  const started = performance.now();
  const measured = rounded(measure(students));
  mkdirSync(path.dirname(measurementsFile), { recursive: true });
  writeFileAtomically(measurementsFile, `${JSON.stringify(measured, null, 2)}\n`);
  process.stdout.write(`\nMeasured in ${Math.round((performance.now() - started) / 1000)} s; wrote ${path.relative(process.cwd(), measurementsFile)}. Paste this between the markers in INSTRUCTORS.md ("Costs"):\n\n${renderCosts(measured)}\n`);
  return 0;
});

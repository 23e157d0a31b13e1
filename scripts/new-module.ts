// `npm run new-module -- NN-name "Title"`: writes a whole module that passes
// npm test at once, around a starter exercise (a bounded buffer) for the
// instructor to replace. Instructors only: scripts/ never ships to students.
import path from "node:path";
import { parseArgs } from "node:util";
import { courseRoot } from "../grader/course/manifest.ts";
import { GraderInputError } from "../grader/errors.ts";
import { argumentError, npmChecked, runCommand } from "../grader/cli/run-command.ts";
import { instructorTodo } from "./new-module/code.ts";
import { generateModule } from "./new-module/generate.ts";
import { moduleNames } from "./new-module/names.ts";

const usage = 'npm run new-module -- NN-name "Title"';

const help = `Writes a new module that passes npm test at once: the lesson, the quiz and its key,
the stub, the reference solution, the public and hidden suites, and its entries in
course.json, the hidden-test inventory and the README. They teach a starter exercise,
a bounded buffer, marked ${instructorTodo} wherever you replace it with your own.

Usage: ${usage}

  NN-name   two digits and a name in lower-case words joined by hyphens (10-rate-limiter);
            the name also names the exercise's file and class (rate-limiter.ts, RateLimiter)
  Title     the lesson's title, in quotes

It never overwrites a file, and refuses a number already in use: by a module, by a
file named NN-… where modules live, or kept for a module to come (07, 08, 09).

Exit status: 0 written; 2 bad input (nothing written).`;

await runCommand(async () => {
  let parsed;
  try {
    parsed = parseArgs(npmChecked({ options: { help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: true }));
  } catch (error) {
    throw argumentError(error, usage);
  }
  if (parsed.values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const [id, title, ...extra] = parsed.positionals;
  if (extra.length > 0) throw new GraderInputError(`expected an id and a title, got ${parsed.positionals.length} arguments: put the title in quotes (${usage})`);
  const names = moduleNames(id, title);
  const result = generateModule(courseRoot, names);

  const lines = [`Wrote module ${names.id}, "${names.title}", around the starter exercise (a bounded buffer, class ${names.className}):`];
  for (const file of result.written) lines.push(`  new      ${file}`);
  for (const file of result.updated) lines.push(`  updated  ${file}${file === "course.json" && result.weight !== null ? ` (weight ${result.weight}, as most exercise modules have)` : ""}`);
  for (const note of result.skipped) lines.push(`  skipped  ${note}`);
  lines.push(
    "",
    "Next:",
    `  1. npm run grade -- --solutions --only ${names.number}   earns every point; npm run grade -- --only ${names.number} earns no hidden point.`,
    `  2. Replace the starter with your module: grep -rn "${instructorTodo}" lessons/${names.id} exercises/${names.id} solutions/${names.id} tests/public/${names.id}.test.ts tests/hidden/${names.id}.test.ts`,
    `     and rewrite the quiz key, the hints (and weight) in course.json and the README row with them. The checklist is in INSTRUCTORS.md, "Writing or changing a module".`,
    "  3. After adding, renaming or removing hidden tests, record the inventory on purpose: npm test -- hidden-inventory -u",
    `  4. Add fixture submissions, tests/fixtures/submissions/${names.number}-wrong-…/exercises/${names.id}/${names.file}, each with an expected.json.`,
    "  5. npm test.",
  );
  process.stdout.write(`${lines.join("\n")}\n`);
  // Printed paths are relative to the course root, which is where npm runs this.
  if (path.resolve(process.cwd()) !== path.resolve(courseRoot)) process.stdout.write(`(Paths are relative to ${courseRoot}.)\n`);
  return 0;
});

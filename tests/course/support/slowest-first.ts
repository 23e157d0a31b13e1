import { BaseSequencer, type TestSpecification } from "vitest/node";

// The files that take longest, slowest first, as measured on a 2-core machine.
// Vitest orders a run without its results cache (a fresh clone in CI) by file
// size, which starts the fixture submissions last: they then run alone for
// minutes, waiting on time limits with a core idle. Started first, their
// waits overlap with every other file's work.
const slowest = [
  "fixture-submissions",
  "release",
  "gradescope",
  "grade-workflow",
  "gradebook",
  "instructor-path",
  "new-module",
  "student-commands",
  "exercise-terminal",
  "course-invariants",
  "grade-cli",
  "sandbox",
];

const rank = (spec: TestSpecification) => {
  const index = slowest.findIndex((name) => spec.moduleId.endsWith(`/${name}.test.ts`));
  return index === -1 ? slowest.length : index;
};

export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rest = await super.sort(files);
    return [...rest].sort((a, b) => rank(a) - rank(b));
  }
}

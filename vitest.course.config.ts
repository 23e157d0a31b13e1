import { defineConfig } from "vitest/config";
import { exerciseAlias } from "./grader/pipeline/exercise-alias.ts";
import { SlowestFirst } from "./tests/course/support/slowest-first.ts";

// `npm test`: the course's own checks (grader units, course invariants,
// fixture submissions, linters and the typecheck).
export default defineConfig({
  resolve: { alias: [exerciseAlias("exercises")] },
  test: {
    include: ["tests/course/**/*.test.ts"],
    reporters: ["default", "./tests/course/support/summary-reporter.ts"],
    pool: "forks",
    // Two files at a time, even on 2 cores (where vitest would pick one): most
    // of these tests wait on child processes (graders, npm, git).
    maxWorkers: 2,
    // Tests that grade side by side (describe.concurrent) run three at a time, not vitest's five:
    // each grading is several processes, and more at once on two cores only pushes modules
    // toward their time limits without finishing sooner.
    maxConcurrency: 3,
    sequence: { sequencer: SlowestFirst },
    watch: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

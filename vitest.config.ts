import { defineConfig } from "vitest/config";
import { exerciseAlias } from "./grader/pipeline/exercise-alias.ts";

// Runs the exercise suites directly: students run the public tests against
// exercises/; instructors can set EXERCISES=solutions to try a suite against
// the reference solutions. Grading uses grader/pipeline/grading.config.ts.
export default defineConfig({
  resolve: { alias: [exerciseAlias(process.env["EXERCISES"] ?? "exercises")] },
  test: {
    include: ["tests/public/**/*.test.ts", "tests/hidden/**/*.test.ts"],
    reporters: ["default"],
    pool: "forks",
    watch: false,
  },
});

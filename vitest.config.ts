import { defineConfig } from "vitest/config";
import { exerciseAlias } from "./grader/pipeline/exercise-alias.ts";
import { heapMeasurementFlags } from "./grader/pipeline/heap-flags.ts";

// Runs the exercise suites directly, outside the grader. By default: the
// public suites against exercises/ (what students and the VS Code test
// explorer run). Instructors can choose SUITES=hidden or SUITES=all, and
// EXERCISES=solutions to test the reference solutions. With the public suites
// come the lessons' runnable examples and the student's own tests in scratch/
// (`npx vitest run scratch` runs only those).
const suites = process.env["SUITES"] ?? "public";
const studentTests = ["lessons/**/*.test.ts", "scratch/**/*.test.ts"];
const include =
  suites === "all"
    ? ["tests/public/**/*.test.ts", "tests/hidden/**/*.test.ts"]
    : suites === "hidden"
      ? ["tests/hidden/**/*.test.ts"]
      : ["tests/public/**/*.test.ts", ...studentTests];

export default defineConfig({
  resolve: { alias: [exerciseAlias(process.env["EXERCISES"] ?? "exercises")] },
  test: {
    include,
    reporters: ["default"],
    pool: "forks",
    execArgv: heapMeasurementFlags,
    watch: false,
    // A test's tags name the rules of the module's stub it checks (see tests/course/rules.test.ts, which checks them).
    strictTags: false,
    // The rules about speed and memory, by name, so a run can leave their long workloads out (the coverage check does).
    tags: [
      { name: "speed", description: "an operation's time does not grow with the items held" },
      { name: "sim-speed", description: "simulate's time does not grow with the messages simulated" },
      { name: "memory", description: "memory follows what is held, not what has passed through" },
    ],
  },
});

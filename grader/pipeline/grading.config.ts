import path from "node:path";
import { defineConfig } from "vitest/config";
import { exerciseAlias } from "./exercise-alias.ts";
import ChannelReporter from "./reporter.ts";

// The grader starts vitest in a staged workspace (the working directory) with
// this trusted config; nothing in the workspace can change it.
const workspace = process.cwd();
const memoryLimitMb = Number(process.env["MQ_GRADER_MEMORY_MB"] ?? "512");

export default defineConfig({
  root: workspace,
  resolve: { alias: [exerciseAlias(path.join(workspace, "exercises"))] },
  test: {
    include: ["tests/**/*.test.ts"],
    reporters: [new ChannelReporter()],
    pool: "forks",
    // One fresh process per test file, one file at a time: the grader already
    // runs modules side by side, and a runaway test only hurts its own module.
    isolate: true,
    maxWorkers: 1,
    execArgv: [`--max-old-space-size=${memoryLimitMb}`],
    globals: false,
    watch: false,
    testTimeout: 10_000,
    hookTimeout: 10_000,
    teardownTimeout: 2_000,
    allowOnly: false,
    passWithNoTests: true,
    printConsoleTrace: false,
  },
});

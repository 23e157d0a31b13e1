import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { exerciseAlias } from "./exercise-alias.ts";
import ChannelReporter from "./reporter.ts";
import { workspaceGuards } from "./workspace-guards.ts";

// The grader starts vitest in a staged workspace (the working directory) with
// this trusted config; nothing in the workspace can change it.
const workspace = process.cwd();
const memoryLimitMb = Number(process.env["MQ_GRADER_MEMORY_MB"] ?? "512");
const setupFile = fileURLToPath(new URL("./sandbox-setup.ts", import.meta.url));
// Node 22+ can run .ts files natively; the test processes must not, so that
// course files can only be reached through vitest, where the guards apply.
const nodeMajor = Number(process.versions.node.split(".")[0]);
const noNativeTypeScript = nodeMajor >= 22 ? ["--no-experimental-strip-types"] : [];

export default defineConfig({
  root: workspace,
  plugins: [workspaceGuards(workspace, [setupFile])],
  resolve: { alias: [exerciseAlias(path.join(workspace, "exercises"))] },
  test: {
    include: ["tests/**/*.test.ts"],
    setupFiles: [setupFile],
    reporters: [new ChannelReporter()],
    pool: "forks",
    // One fresh process per test file, one file at a time: the grader already
    // runs modules side by side, and a runaway test only hurts its own module.
    isolate: true,
    maxWorkers: 1,
    execArgv: [`--max-old-space-size=${memoryLimitMb}`, ...noNativeTypeScript],
    globals: false,
    watch: false,
    // The results cache lives in the shared node_modules: one run must not see another's pass/fail.
    cache: false,
    testTimeout: 10_000,
    hookTimeout: 10_000,
    teardownTimeout: 2_000,
    allowOnly: false,
    passWithNoTests: true,
    printConsoleTrace: false,
  },
});

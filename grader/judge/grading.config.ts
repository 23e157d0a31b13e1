import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { exerciseAlias } from "../pipeline/exercise-alias.ts";
import { heapMeasurementFlags } from "../pipeline/heap-flags.ts";
import ChannelReporter from "./reporter.ts";
import { remoteExercises } from "./remote-exercises.ts";
import { workspaceGuards } from "./workspace-guards.ts";

// The grader starts vitest (the judge) in a staged workspace, the working
// directory, with this trusted config; nothing in the workspace can change it.
// With MQ_JUDGE_SETUP set, the suites reach the submission only through
// stand-ins for its exports, and its code runs in a process of its own. Without
// it (the student's own loop, on their own code) the suites import the staged
// exercises directly, which is faster.
const workspace = process.cwd();
const judged = Boolean(process.env["MQ_JUDGE_SETUP"]);
const memoryLimitMb = Number(process.env["MQ_GRADER_MEMORY_MB"] ?? "512");
const judgeFolder = path.dirname(fileURLToPath(import.meta.url));
// The one file both sides share: the messages and how a primitive travels.
const protocolFile = fileURLToPath(new URL("../submission/protocol.ts", import.meta.url));
// Node 22+ can run .ts files natively; the test processes must not, so that
// course files can only be reached through vitest, where the guards apply.
const nodeMajor = Number(process.versions.node.split(".")[0]);
const noNativeTypeScript = nodeMajor >= 22 ? ["--no-experimental-strip-types"] : [];
// In process, each test's start is written down as it begins, so the grader can name a test stuck in a loop (see run.ts).
const testEvents = fileURLToPath(new URL("./test-events.ts", import.meta.url));

export default defineConfig({
  root: workspace,
  plugins: judged ? [remoteExercises(workspace), workspaceGuards(workspace, [judgeFolder, protocolFile])] : [workspaceGuards(workspace, [testEvents])],
  resolve: { alias: judged ? [] : [exerciseAlias(path.join(workspace, "exercises"))] },
  test: {
    include: ["tests/**/*.test.ts"],
    reporters: [new ChannelReporter()],
    pool: "forks",
    // One fresh process per test file, one file at a time: the grader already
    // runs modules side by side, and a runaway test only hurts its own module.
    isolate: true,
    maxWorkers: 1,
    execArgv: [`--max-old-space-size=${memoryLimitMb}`, ...heapMeasurementFlags, ...noNativeTypeScript],
    setupFiles: judged ? [] : [testEvents],
    globals: false,
    watch: false,
    // The results cache lives in the shared node_modules: one run must not see another's pass/fail.
    cache: false,
    // Generous: a long random run makes thousands of calls into the submission process, and a busy
    // machine slows each one; a call that hangs is stopped at its own 8 s deadline anyway.
    // In process there are no such calls: the student's loop gives each test 8 s unless it asks for more
    // (MQ_TEST_TIMEOUT_MS), and the grader stops one stuck past its limit (see run.ts).
    testTimeout: judged ? 30_000 : Number(process.env["MQ_TEST_TIMEOUT_MS"] ?? 30_000),
    hookTimeout: 10_000,
    teardownTimeout: 2_000,
    allowOnly: false,
    // A test's tags name the rules it checks; the course's own tests check them, not vitest.
    strictTags: false,
    passWithNoTests: true,
    printConsoleTrace: false,
  },
});

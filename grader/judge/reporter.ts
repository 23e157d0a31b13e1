import { readSync, rmdirSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import type { SerializedError } from "vitest";
import { channelFd, encodeRecord, submissionErrorMark, type ChannelRecord, type Location } from "./channel.ts";

// Vitest colours some messages; the grader renders its own.
const ansiPattern = /\u001b\[[0-9;]*[A-Za-z]/g;
const messageLimit = 600;

/** Says what a student can fix, in paths relative to their checkout. */
export function cleanMessage(error: Pick<SerializedError, "message" | "name"> | undefined, root: string): string {
  if (!error) return "failed without an error message";
  const missing = /Cannot find (?:package|module) '@exercise\/([^']+)'/.exec(String(error.message));
  if (missing) return `exercises/${missing[1]}.ts is missing (check the file name and folder)`;
  const message = String(error.message ?? "")
    .replace(ansiPattern, "")
    .split(`${root}/`)
    .join("")
    // Any other path in the grader's staging folder (say a pipe's): only its last part.
    .replace(/(?:\/[^\s/'"`]+)*\/mq-grade-[^\s/'"`]+(?:\/[^\s/'"`]+)*/g, (full) => `…/${path.basename(full)}`)
    .trim();
  const named = error.name && error.name !== "Error" && error.name !== "AssertionError" ? `${error.name}: ${message}` : message;
  return named.length > messageLimit ? `${named.slice(0, messageLimit)}…` : named;
}

/**
 * Reads the signing key from standard input, synchronously, while vitest loads
 * its config and before any test process exists to read it first. The pipe
 * may not hold the key yet (EAGAIN), so wait briefly and try again.
 */
function readKey(): string {
  const buffer = Buffer.alloc(256);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let text = "";
  const deadline = Date.now() + 30_000;
  while (!text.includes("\n")) {
    try {
      const read = readSync(0, buffer, 0, buffer.length, null);
      if (read === 0) break;
      text += buffer.toString("utf8", 0, read);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN" || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
  return text.trim();
}

/**
 * Runs in vitest's main process, never in a worker, and is the only source
 * of results the grader accepts. The signing key arrives on standard input
 * before any worker starts.
 */
export default class ChannelReporter implements Reporter {
  private readonly key = readKey();
  private root = process.cwd();

  constructor() {
    // The grader holds standard input open while it waits for this run. If it
    // dies (killed, say), the pipe closes: stop everything this run started,
    // the test processes and their sandboxes with it, and remove the module's
    // staged files, hidden suites included, rather than run on unwatched.
    process.stdin.on("data", () => {});
    // Watching must not keep vitest alive once its run is over.
    (process.stdin as NodeJS.ReadStream & { unref?: () => void }).unref?.();
    process.stdin.on("close", () => {
      // Only ever a folder the grader staged: <tmp>/mq-grade-…/<module>/workspace.
      const moduleRoot = path.dirname(this.root);
      const staged = path.basename(this.root) === "workspace" && path.basename(path.dirname(moduleRoot)).startsWith("mq-grade-");
      if (staged) {
        rmSync(moduleRoot, { recursive: true, force: true });
        try {
          rmdirSync(path.dirname(moduleRoot)); // the last module out removes the grader's folder
        } catch {
          // other modules are still there
        }
      }
      try {
        process.kill(-process.pid, "SIGKILL"); // vitest leads its own process group
      } catch {
        process.exit(1);
      }
    });
  }

  onInit(vitest: { config: { root: string } }): void {
    this.root = vitest.config.root;
  }

  private send(record: ChannelRecord): void {
    writeSync(channelFd, encodeRecord(this.key, record));
  }

  private relative(file: string): string {
    return path.relative(this.root, file).split(path.sep).join("/");
  }

  /** The first stack frame inside the staged exercises: where the student's code failed. */
  private locate(error: SerializedError | undefined): Location | null {
    const exercises = path.join(this.root, "exercises") + path.sep;
    const frame = error?.stacks?.find((stack) => stack.file.startsWith(exercises));
    return frame ? { file: this.relative(frame.file), line: frame.line, column: frame.column } : null;
  }

  onTestCaseReady(testCase: TestCase): void {
    this.send({ type: "ready", file: this.relative(testCase.module.moduleId), name: testCase.fullName });
  }

  /**
   * In process (the student's loop), vitest's words for a test past its limit
   * advise changing the test's timeout: say what to look for in the code instead.
   */
  private failureMessage(testCase: TestCase, error: SerializedError | undefined): string {
    const timedOut = process.env["MQ_JUDGE_SETUP"] ? null : /^Test timed out in (\d+)ms/.exec(String(error?.message ?? ""));
    if (timedOut) return `\`${testCase.fullName}\` did not finish within ${Number(timedOut[1]) / 1_000} s: a promise that never settles?`;
    return cleanMessage(error, this.root);
  }

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    const state = result.state === "passed" || result.state === "failed" ? result.state : "skipped";
    const error = result.state === "failed" ? result.errors[0] : undefined;
    this.send({
      type: "result",
      file: this.relative(testCase.module.moduleId),
      name: testCase.fullName,
      state,
      message: state === "failed" ? this.failureMessage(testCase, error) : null,
      location: this.locate(error),
      ...(error?.[submissionErrorMark] === true ? { thrownBySubmission: true } : {}),
    });
  }

  onTestModuleEnd(testModule: TestModule): void {
    for (const error of testModule.errors()) {
      this.send({ type: "file-error", file: this.relative(testModule.moduleId), message: cleanMessage(error, this.root) });
    }
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    this.send({ type: "end", unhandledErrors: unhandledErrors.map((error) => cleanMessage(error, this.root)) });
  }
}

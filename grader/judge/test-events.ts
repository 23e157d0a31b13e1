import { openSync, writeSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, type RunnerTask } from "vitest";

/**
 * A line of the file this setup writes: the tests a suite holds, a test
 * began (with its time limit), or ended (how, and the first error's words).
 */
export type TestEvent =
  | { event: "tests"; file: string; names: string[] }
  | { event: "start"; file: string; name: string; limitMs: number }
  | { event: "end"; file: string; name: string; state: string; error: { name: string; message: string } | null };

/**
 * A setup file for in-process runs only (the student's loop): each test's
 * start and end are written to a file the grader watches (MQ_TEST_EVENTS),
 * synchronously, the start before the test's own code runs. A test stuck in a
 * synchronous loop blocks this worker, and with it every report vitest would
 * send, so only this file can name it. Tests named in MQ_SKIP_TESTS (finished
 * or stuck in an earlier run of the same suite) are skipped, so a run again
 * after a stuck test goes on from it.
 */
const eventsFile = process.env["MQ_TEST_EVENTS"];
const skipped = new Set((JSON.parse(process.env["MQ_SKIP_TESTS"] ?? "[]") as Array<[string, string]>).map(([file, name]) => `${file}\u0000${name}`));

if (eventsFile) {
  const fd = openSync(eventsFile, "a");
  const write = (event: TestEvent) => writeSync(fd, `${JSON.stringify(event)}\n`);
  const fileOf = (filepath: string) => path.relative(process.cwd(), filepath).split(path.sep).join("/");
  const testNames = (task: RunnerTask): string[] => (task.type === "test" ? [task.fullTestName] : task.tasks.flatMap(testNames));
  // Every test of the suite, so those a stuck test kept from running can be named.
  // vitest hands the suite over second, after a context it requires to be destructured.
  beforeAll(({}, suite) => {
    write({ event: "tests", file: fileOf(suite.file.filepath), names: testNames(suite) });
  });
  beforeEach(({ task, skip }) => {
    const file = fileOf(task.file.filepath);
    if (skipped.has(`${file}\u0000${task.fullTestName}`)) return skip();
    write({ event: "start", file, name: task.fullTestName, limitMs: task.timeout });
  });
  // The last afterEach to run, so the state is the test's own. Vitest sends results in batches, and a
  // test stuck right after this one keeps the batch from leaving this worker: then this line is its result.
  afterEach(({ task }) => {
    const error = task.result?.errors?.[0];
    const state = task.result?.state ?? "run";
    write({ event: "end", file: fileOf(task.file.filepath), name: task.fullTestName, state, error: error ? { name: String(error.name), message: String(error.message) } : null });
  });
}

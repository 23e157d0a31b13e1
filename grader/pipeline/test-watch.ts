import { readFileSync } from "node:fs";
import { testKey, type ChannelRecord } from "../judge/channel.ts";
import { cleanMessage } from "../judge/reporter.ts";
import type { TestEvent } from "../judge/test-events.ts";

// The in-process run's watch over its tests (see runWatchingTests in run.ts):
// the events file a setup writes as each test starts and ends, and the
// results given to tests that got stuck or were never tried.

export interface StartedTest {
  file: string;
  name: string;
  limitMs: number;
  /** When this process saw it start (performance.now()): the test's own clock may be fake. */
  seenAt: number;
}

export type TestEnd = Extract<TestEvent, { event: "end" }>;

/** How long after its limit a test is stopped: vitest fails a test waiting on a promise at the limit, by itself. */
export const stuckGraceMs = 1_000;
export const watchIntervalMs = 100;

/** A line of the events file; null for anything else (the code under test shares the process that writes it). */
function parseEvent(line: string): TestEvent | null {
  try {
    const event = JSON.parse(line) as TestEvent;
    return typeof event === "object" && event !== null ? event : null;
  } catch {
    return null;
  }
}

/** Follows the events file of one run: which test is running now, if any, and which tests the suites hold. */
export class TestEvents {
  private lines = 0;
  running: StartedTest | null = null;
  readonly listed: Array<{ file: string; name: string }> = [];
  readonly ended: TestEnd[] = [];

  private readonly file: string;

  // A plain field, not a parameter property: the pushes check runs this file under Node's type stripping.
  constructor(file: string) {
    this.file = file;
  }

  poll(now = performance.now()): StartedTest | null {
    let text = "";
    try {
      text = readFileSync(this.file, "utf8");
    } catch {
      return this.running; // no test has started yet
    }
    const complete = text.split("\n").slice(0, -1);
    for (const line of complete.slice(this.lines)) {
      const event = parseEvent(line);
      if (!event) continue;
      if (event.event === "tests") this.listed.push(...event.names.map((name) => ({ file: event.file, name })));
      else if (event.event === "start") this.running = { file: event.file, name: event.name, limitMs: event.limitMs, seenAt: now };
      else {
        this.ended.push(event);
        if (this.running?.file === event.file && this.running.name === event.name) this.running = null;
      }
    }
    this.lines = complete.length;
    return this.running;
  }

  /** The running test, once it has run past its limit. */
  stuck(now = performance.now()): StartedTest | null {
    const running = this.poll(now);
    return running && now - running.seenAt > running.limitMs + stuckGraceMs ? running : null;
  }
}

export type ResultRecord = Extract<ChannelRecord, { type: "result" }>;

/** After this many stuck tests, the rest of the suite is not tried again: each one costs its whole limit. */
export const maxStuckTests = 3;

/** The failure of a test stopped at its limit, in the words the student sees. */
export function stuckResult(test: Pick<StartedTest, "file" | "name" | "limitMs">): ResultRecord {
  const seconds = Number((test.limitMs / 1_000).toFixed(1));
  return { type: "result", file: test.file, name: test.name, state: "failed", message: `\`${test.name}\` did not finish within ${seconds} s: an infinite loop?`, location: null };
}

/**
 * A test's result as its setup wrote it when it ended. Vitest sends results
 * in batches, and a test stuck right after this one kept its batch in the
 * worker; the reporter's record, where there is one, says more.
 */
export function endedResult(test: TestEnd, workspace: string): ResultRecord | null {
  if (test.state !== "pass" && test.state !== "fail") return null;
  const message = test.state === "fail" ? cleanMessage(test.error ?? undefined, workspace) : null;
  return { type: "result", file: test.file, name: test.name, state: test.state === "pass" ? "passed" : "failed", message, location: null };
}

/** A test that the stuck tests before it kept from running. */
export function notTriedResult(test: { file: string; name: string }, stuck: number): ResultRecord {
  const message = `not run: ${stuck} tests before it did not finish, so the rest of the suite was not tried; fix those first`;
  return { type: "result", file: test.file, name: test.name, state: "failed", message, location: null };
}

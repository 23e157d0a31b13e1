import type { Step } from "../../tests/support/steps.ts";
import { currentRemote } from "./remote-module.ts";

/** The judge's version of tests/support/steps.ts: every step in one round trip; the suite checks the answers. */
export function runSteps<T extends object>(target: T, steps: ReadonlyArray<Step<T>>): unknown[] {
  return currentRemote().steps(target, steps as ReadonlyArray<readonly unknown[]>);
}

/** Every call of an exported function in one round trip; the suite checks the answers. */
export function callEach<Args extends unknown[], Result>(fn: (...args: Args) => Result, calls: ReadonlyArray<Args>): Result[] {
  return currentRemote().callEach(fn as (...args: unknown[]) => unknown, calls) as Result[];
}

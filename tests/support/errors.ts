import { expect } from "vitest";

/** What `run` threw, or undefined when it returned. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

function describeThrown(thrown: unknown): string {
  return thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Checks that `run` throws an instance of `type` with a message that says
 * something: every exercise's contract asks an error to explain itself, not
 * just to be thrown. What the message says is up to the student.
 */
export function expectThrows(run: () => unknown, type: ErrorClass, what: string): Error {
  const thrown = thrownBy(run);
  const instead = thrown === undefined ? " (it threw nothing)" : thrown instanceof type ? "" : ` (it threw ${describeThrown(thrown)})`;
  expect(thrown, `${what}${instead}`).toBeInstanceOf(type);
  const { message } = thrown as Error;
  expect(String(message).trim(), `${what}, with a message that says what is wrong (its message is empty)`).not.toBe("");
  return thrown as Error;
}

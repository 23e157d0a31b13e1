// Long random runs check thousands of calls against a model. Their steps do
// not depend on the answers, so a suite builds the steps first, runs them all
// with runSteps, and then checks each answer against its model. Here the steps
// run in the test's own process; under the grader they cross into the
// process that holds the submission as one script, in one round trip, and the
// judge still checks every answer itself.

/** One call on `T`: a method's name, then its arguments. */
export type Step<T> = { [Name in keyof T]: T[Name] extends (...args: infer Args) => unknown ? [Name, ...Args] : never }[keyof T];

/** Calls each step on `target` in order and returns what each call returned. A call that throws ends the run, as in a loop. */
export function runSteps<T extends object>(target: T, steps: ReadonlyArray<Step<T>>): unknown[] {
  return steps.map(([name, ...args]) => (target[name] as (...values: unknown[]) => unknown).apply(target, args));
}

/**
 * Calls `fn` once for each argument list, in order, and returns what each
 * call returned; a call that throws ends the run, as in a loop. For long
 * random runs of an exported function: under the grader they too cross as
 * one script.
 */
export function callEach<Args extends unknown[], Result>(fn: (...args: Args) => Result, calls: ReadonlyArray<Args>): Result[] {
  return calls.map((args) => fn(...args));
}

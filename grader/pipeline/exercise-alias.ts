import path from "node:path";

/**
 * Tests import the code under test as `@exercise/<module id>/<file>`. Pointing
 * this one alias at a folder decides what is tested: the stubs, the reference
 * solutions or a staged submission.
 */
export function exerciseAlias(exercisesDir: string): { find: RegExp; replacement: string } {
  return { find: /^@exercise\//, replacement: `${path.resolve(exercisesDir)}/` };
}

import { readJudgeSetup } from "./judge-setup.ts";
import { Remote } from "./remote.ts";

// One submission process per test file: vitest runs each file in a fresh
// process (see grading.config.ts), so this module-level state is per file.
let remote: Remote | null = null;

export function currentRemote(): Remote {
  if (!remote) {
    const setup = readJudgeSetup();
    remote = new Remote(setup.launch, setup.exercisesDir, Object.values(setup.surfaces));
  }
  return remote;
}

/**
 * The exports the suites import as `@exercise/<key>`: stand-ins that call
 * into the submission process. Loading happens here, at import, so code that
 * cannot load fails the whole test file, as a local import would.
 */
export function remoteExports(key: string): Record<string, unknown> {
  const surface = readJudgeSetup().surfaces[key];
  if (!surface) throw new Error(`exercises/${key}.ts is not part of the course`);
  const exports = currentRemote().exportsOf(surface);
  currentRemote().load();
  return exports;
}

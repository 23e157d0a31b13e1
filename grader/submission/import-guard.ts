/**
 * Module hooks of the submission process (registered by harness.ts once its
 * own modules have loaded): from then on an import may reach only the
 * student's own files and Node's built-in modules. The harness, the
 * workloads and their packages stay loaded, but no import can reach them,
 * whoever asks (a student's file, a data: URL, a Function's import()). These
 * hooks run on Node's loader thread, beyond the student's code.
 */
interface ResolveContext {
  parentURL?: string | undefined;
}
interface Resolved {
  url: string;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Resolved | Promise<Resolved>;

let exerciseURL = "";

export function initialize(data: { exerciseURL: string }): void {
  exerciseURL = data.exerciseURL;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<Resolved> {
  const resolved = await nextResolve(specifier, context);
  if (resolved.url.startsWith("node:") || resolved.url.startsWith(exerciseURL)) return resolved;
  throw new Error(`your code can import only its own files and Node's built-in modules (node:…), not "${specifier}"`);
}

/**
 * The submission process. It loads the student's transpiled modules and does
 * what the judge asks, one JSON message per line over two named pipes (one
 * each way). It holds no tests, no expected values and no say in any result:
 * whatever it answers, the judge checks.
 *
 * Usage: node harness.mjs REQUESTS ANSWERS EXERCISE_DIR WORKLOADS_FILE STEM…
 * (REQUESTS and ANSWERS are the named pipes the judge made.)
 */
import { openSync, readSync, writeSync } from "node:fs";
import { createRequire, isBuiltin, register } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { FakeClock } from "./fake-clock.ts";
import type { LoadedExports, Message, Outcome, Request, Wire } from "./protocol.ts";
import { SubmissionValues, type SurfaceClasses } from "./values.ts";

// Taken before the student's code loads, which may replace the globals.
const realSetImmediate = globalThis.setImmediate;
const { parse, stringify } = JSON;
const [requestsPipe = "", answersPipe = "", exerciseDir = ".", workloadsFile = "", ...stems] = process.argv.slice(2);
const requests = openSync(requestsPipe, "r");
const answers = openSync(answersPipe, "w");

// The student's own printing all goes to standard error, which the judge keeps a tail of.
const printToStderr = (...args: unknown[]) => {
  writeSync(2, `${format(...args)}\n`);
};
for (const method of ["log", "info", "debug", "warn", "error", "trace", "dir"] as const) console[method] = printToStderr;
process.stdout.write = ((chunk: string | Uint8Array) => {
  writeSync(2, typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return true;
}) as typeof process.stdout.write;
process.on("unhandledRejection", () => {});
process.on("uncaughtException", (error) => printToStderr("uncaught:", error));

// --- The line channel ---------------------------------------------------------

const decoder = new TextDecoder();
const chunk = Buffer.alloc(1 << 16);
let pending = "";

function readMessage(): Message | null {
  for (;;) {
    const newline = pending.indexOf("\n");
    if (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      return parse(line) as Message;
    }
    let read: number;
    try {
      read = readSync(requests, chunk, 0, chunk.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") continue;
      throw error;
    }
    if (read === 0) return null;
    pending += decoder.decode(chunk.subarray(0, read), { stream: true });
  }
}

/** The next message, once the judge's changes to objects it shared are applied here. */
function receive(): Message | null {
  const message = readMessage();
  if (message?.newTest) values.forgetShared();
  if (message !== null) values.applySync(message.sync);
  return message;
}

/** Sends a message with the changes the student's code made to the judge's objects since the judge last spoke. */
function send(message: Message): void {
  const sync = values.takeSync();
  if (sync) message.sync = sync;
  const bytes = Buffer.from(`${stringify(message)}\n`);
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(answers, bytes, offset);
}

// --- State -------------------------------------------------------------------

const modules = new Map<string, Record<string, unknown>>();
const clock = new FakeClock();
let nextRequestId = 1;
type Workload = { stem: string; run(exports: Record<string, unknown> | undefined, options: unknown): unknown };
let workloads: Record<string, Workload> = {};

const values: SubmissionValues = new SubmissionValues((target: number, args: unknown[]): unknown => {
  const id = nextRequestId++;
  send({ kind: "request", id, request: { op: "callback", target, args: args.map((arg) => values.encode(arg)) } });
  // The judge may call back in while its function runs; serve it until the answer comes.
  for (;;) {
    const message = receive();
    if (message === null) process.exit(0);
    if (message.kind === "request") {
      send(reply(message.id, message.request));
      continue;
    }
    if (message.to !== id) continue;
    if (message.ok) return values.decode(message.value);
    throw values.decode(message.error);
  }
}, path.resolve(exerciseDir));

/** Freezes an object and everything reachable from its properties: what the harness uses can be read, never changed. */
function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) return value;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
    if (descriptor && "value" in descriptor) deepFreeze(descriptor.value, seen);
  }
  return Object.freeze(value);
}

/**
 * From here on, an import or require may reach only the student's own files
 * and Node's built-ins: the harness, the workloads and the packages they use
 * are loaded already, and stay out of reach (see import-guard.ts). The clock
 * library's exports, which require.cache still hands out, are not frozen (the
 * library changes them as it installs); the harness holds its own clock, made
 * when it loaded, so nothing changed there reaches it.
 */
function guardImports(): void {
  const exerciseRoot = path.resolve(exerciseDir);
  register(new URL("./import-guard.mjs", import.meta.url), { data: { exerciseURL: `${pathToFileURL(exerciseRoot).href}/` } });
  const commonJs = createRequire(import.meta.url)("node:module") as { _resolveFilename: (...args: unknown[]) => string };
  const resolveFilename = commonJs._resolveFilename;
  Object.defineProperty(commonJs, "_resolveFilename", {
    value(this: unknown, ...args: unknown[]): string {
      const resolved = resolveFilename.apply(this, args);
      if (isBuiltin(resolved) || resolved.startsWith(`${exerciseRoot}${path.sep}`)) return resolved;
      throw new Error(`your code can import only its own files and Node's built-in modules (node:…), not "${String(args[0])}"`);
    },
    writable: false,
    configurable: false,
  });
}

/**
 * Imports the student's modules; what they export is checked where the suites
 * use it. `surface` names the stub's classes: instances of those travel as
 * instances, and everything else the code returns as data, whatever classes
 * the student made.
 */
async function load(surface: string[]): Promise<LoadedExports> {
  workloads = deepFreeze(((await import(pathToFileURL(workloadsFile).href)) as { workloads: typeof workloads }).workloads);
  guardImports();
  const loaded: LoadedExports = { names: [] };
  const classes: SurfaceClasses = new Map();
  for (const stem of stems) {
    const namespace = (await import(pathToFileURL(path.join(exerciseDir, `${stem}.mjs`)).href)) as Record<string, unknown>;
    modules.set(stem, namespace);
    for (const [name, value] of Object.entries(namespace)) {
      loaded.names.push(`${stem}#${name}`);
      if (surface.includes(`${stem}#${name}`) && typeof value === "function" && typeof value.prototype === "object") classes.set(`${stem}#${name}`, value as (...args: unknown[]) => unknown);
    }
  }
  values.useSurface(classes);
  return loaded;
}

function exported(file: string, name: string): unknown {
  const namespace = modules.get(file);
  if (!namespace || !(name in namespace)) throw new Error(`${file}.ts does not export ${name}`);
  return namespace[name];
}

function callable(value: unknown, what: string): (...args: unknown[]) => unknown {
  if (typeof value !== "function") throw new TypeError(`${what} is not a function`);
  return value as (...args: unknown[]) => unknown;
}

function perform(request: Request): unknown {
  const args = "args" in request ? request.args.map((arg) => values.decode(arg)) : [];
  switch (request.op) {
    case "construct": {
      const [file = "", name = ""] = request.className.split("#");
      return Reflect.construct(callable(exported(file, name), name), args);
    }
    case "call-export": {
      const [file = "", name = ""] = request.name.split("#");
      return Reflect.apply(callable(exported(file, name), name), undefined, args);
    }
    case "call-method": {
      const target = values.live(request.target);
      return Reflect.apply(callable(Reflect.get(target, request.name), request.name), target, args);
    }
    case "call-function":
      return Reflect.apply(callable(values.live(request.target), "the function"), undefined, args);
    case "get-property":
      return Reflect.get(values.live(request.target), request.name);
    case "snapshot":
      return values.snapshot(values.live(request.target));
    case "set":
      return Reflect.set(values.live(request.target), request.key, values.decode(request.value));
    case "delete":
      return Reflect.deleteProperty(values.live(request.target), request.key);
    case "clock":
      if (request.action === "install") clock.install(request.now);
      else if (request.action === "advance") clock.advance(request.ms);
      else clock.uninstall();
      return undefined;
    case "steps": {
      const target = values.live(request.target);
      return request.steps.map(([name, ...args]) => Reflect.apply(callable(Reflect.get(target, name), name), target, args.map((arg) => values.decode(arg))));
    }
    case "call-export-each": {
      const [file = "", name = ""] = request.name.split("#");
      const fn = callable(exported(file, name), name);
      return request.calls.map((args) => Reflect.apply(fn, undefined, args.map((arg) => values.decode(arg))));
    }
    case "workload": {
      const workload = Object.hasOwn(workloads, request.name) ? workloads[request.name] : undefined;
      if (!workload) throw new Error(`there is no workload called ${request.name}`);
      return workload.run(modules.get(workload.stem), values.decode(request.options));
    }
    case "load":
    case "drain":
    case "callback":
      throw new Error(`${request.op} cannot be asked here`);
  }
}

function outcome(request: Request): Outcome {
  try {
    const result = perform(request);
    // A snapshot is already plain data; everything else is encoded. A script's answers come back whole, however many.
    const budget = request.op === "steps" || request.op === "call-export-each" ? { left: Number.MAX_SAFE_INTEGER } : undefined;
    const value: Wire = request.op === "snapshot" ? { $: "live", id: request.target, array: Array.isArray(values.live(request.target)), snapshot: result as never } : values.encode(result, budget);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: values.encodeError(error) };
  }
}

async function workloadOutcome(request: Request): Promise<Outcome> {
  try {
    return { ok: true, value: values.encode(await perform(request)) };
  } catch (error) {
    return { ok: false, error: values.encodeError(error) };
  }
}

function reply(id: number, request: Request): Message {
  return { kind: "reply", to: id, ...outcome(request), settlements: values.takeSettlements() };
}

/**
 * Lets the submission's promise callbacks run, as they would when the test
 * awaits in a single process: a macrotask starts only once the microtask
 * queue is empty. Calls never do this, so several calls the test makes one
 * after another all run before any callback, as they would in one process.
 */
async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) await new Promise<void>((resolve) => realSetImmediate(resolve));
}

for (;;) {
  const message = receive();
  if (message === null) break;
  if (message.kind !== "request") continue;
  if (message.request.op === "load") {
    let result: Outcome;
    try {
      result = { ok: true, value: stringify(await load(message.request.classes)) };
    } catch (error) {
      result = { ok: false, error: values.encodeError(error) };
    }
    await settle();
    send({ kind: "reply", to: message.id, ...result, settlements: values.takeSettlements() });
    continue;
  }
  if (message.request.op === "workload") {
    // A workload may be asynchronous: its answer is what its promise settles to.
    send({ kind: "reply", to: message.id, ...(await workloadOutcome(message.request)), settlements: values.takeSettlements() });
    continue;
  }
  if (message.request.op === "drain") {
    await settle();
    send({ kind: "reply", to: message.id, ok: true, value: { $: "undefined" }, settlements: values.takeSettlements() });
    continue;
  }
  send({ kind: "reply", to: message.id, ...outcome(message.request), settlements: values.takeSettlements() });
}
process.exit(0);

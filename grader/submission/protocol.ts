/**
 * The messages between the judge (vitest, holding the suites) and the
 * submission process (holding the student's code). Only plain JSON crosses:
 * objects travel as tagged values, never as code. One message per line.
 */

/** A value in transit. Objects are always wrapped, so data never looks like a tag. */
export type Wire =
  | string
  | boolean
  | null
  | number
  | { $: "undefined" }
  | { $: "number"; value: "NaN" | "Infinity" | "-Infinity" | "-0" }
  | { $: "bigint"; value: string }
  /** A judge object or array, sent by value; `id` lets the same object come back as itself. */
  | { $: "copy"; id: number; array: boolean; entries: Array<[string, Wire]> }
  /** An object already sent in this message (a cycle or a shared child). */
  | { $: "seen"; id: number }
  /** A judge function: calling it asks the judge to run it. */
  | { $: "judge-function"; id: number }
  /** A submission object, read live through the judge's view of it. `snapshot` saves a round trip. */
  | { $: "live"; id: number; array: boolean; snapshot?: Snapshot }
  /** An instance of a class the exercise exports. */
  | { $: "instance"; id: number; className: string }
  /** A submission function returned by a call (an unsubscribe, say). */
  | { $: "submission-function"; id: number }
  /** A submission promise; its settlement follows in a later `settlements` list. */
  | { $: "promise"; id: number }
  /** An object of the receiver's own, coming back. */
  | { $: "yours"; id: number }
  | WireError;

export interface WireError {
  $: "error";
  /** The judge's id when the error is the judge's own; absent for submission errors, which are copies. */
  id?: number;
  /** A built-in class name (`RangeError` …) or `export:Name` for a class the exercise exports. */
  className: string;
  name: string;
  message: string;
  errors?: Wire[];
  /** Where in the student's own files it was thrown (the first such stack frame), relative to the exercise folder. */
  location?: { file: string; line: number; column: number };
}

/** Own properties of a live object at one moment. */
export interface Snapshot {
  /** [key, enumerable, value]; a function-valued property reads as undefined and is marked so. */
  own: Array<[string, boolean, Wire]>;
  /** Getters from the object's own class, read now, since a judge cannot run them. */
  inherited: Array<[string, Wire]>;
}

export type Request =
  | { op: "load" }
  /** Exports are named `file#Name`, the file without its extension. */
  | { op: "construct"; className: string; args: Wire[] }
  | { op: "call-export"; name: string; args: Wire[] }
  | { op: "call-method"; target: number; name: string; args: Wire[] }
  | { op: "call-function"; target: number; args: Wire[] }
  | { op: "get-property"; target: number; name: string }
  | { op: "snapshot"; target: number }
  | { op: "set"; target: number; key: string; value: Wire }
  | { op: "delete"; target: number; key: string }
  | { op: "clock"; action: "install"; now: number }
  | { op: "clock"; action: "advance"; ms: number }
  | { op: "clock"; action: "uninstall" }
  | { op: "workload"; name: string; options: Wire }
  /** Calls on one object, in order: each step is a method name, then its arguments. */
  | { op: "steps"; target: number; steps: Array<[string, ...Wire[]]> }
  /** The judge is about to run its own promise callbacks: the submission runs its own first. */
  | { op: "drain" }
  /** The submission asks the judge to run one of its functions. */
  | { op: "callback"; target: number; args: Wire[] };

export interface Settlement {
  promise: number;
  fulfilled: boolean;
  value: Wire;
}

export type Outcome = { ok: true; value: Wire } | { ok: false; error: Wire };

export type Message =
  | ({ kind: "request"; id: number } & { request: Request })
  | ({ kind: "reply"; to: number; settlements: Settlement[] } & Outcome);

/** What `load` answers, as JSON text: every `file#Name` the exercise exports. */
export interface LoadedExports {
  names: string[];
}

// Taken when this module loads, before the student's code can replace it.
const { is } = Object;

/** A primitive as it travels; null for an object or function, which each side encodes its own way. */
export function encodePrimitive(value: unknown): Wire | null {
  switch (typeof value) {
    case "undefined":
    case "symbol":
      return { $: "undefined" };
    case "string":
    case "boolean":
      return value;
    case "bigint":
      return { $: "bigint", value: String(value) };
    case "number":
      if (value !== value) return { $: "number", value: "NaN" };
      if (value === Infinity) return { $: "number", value: "Infinity" };
      if (value === -Infinity) return { $: "number", value: "-Infinity" };
      if (is(value, -0)) return { $: "number", value: "-0" };
      return value;
    default:
      return null;
  }
}

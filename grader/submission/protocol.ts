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
  | WireSymbol
  /**
   * A judge object or array, sent by value; `id` lets the same object come
   * back as itself. The copy and the original are kept the same from then on
   * (see `SyncedObject`). `sealed` copies the object's integrity level.
   */
  | { $: "copy"; id: number; array: boolean; entries: Array<[string, Wire]>; sealed?: Integrity }
  /** An object already sent in this message (a cycle or a shared child). */
  | { $: "seen"; id: number }
  /** A judge function: calling it asks the judge to run it. */
  | { $: "judge-function"; id: number }
  /** A submission object, read live through the judge's view of it. `snapshot` saves a round trip. */
  | { $: "live"; id: number; array: boolean; snapshot?: Snapshot }
  /** An instance of a class the exercise's stub declares (`file#Name`), called through the judge's stand-in for that class. */
  | { $: "instance"; id: number; className: string }
  /** A submission function returned by a call (an unsubscribe, say). */
  | { $: "submission-function"; id: number }
  /** A submission promise; its settlement follows in a later `settlements` list. */
  | { $: "promise"; id: number }
  /** An object of the receiver's own, coming back. */
  | { $: "yours"; id: number }
  | WireError
  /** Sent in place of a value past `messageLimits`: the judge stops the process, as it would on the value itself, without reading megabytes first. */
  | TooLarge;

/** What is too large, and its size: characters, items or keys. */
export interface TooLarge {
  $: "too-large";
  what: "string" | "array" | "object";
  size: number;
}

/**
 * What one message from the submission may hold. The judge decodes and vitest
 * compares and prints whatever arrives, on the judge's own thread, where no
 * deadline can stop it: a 20 MB string or an object of 300,000 keys held it
 * for a minute. Honest answers stay far below (the reference solutions' largest
 * is 1.4 MB, with arrays of 51,000 items, strings of a few dozen characters and
 * objects of a few keys). The harness checks first and sends a `TooLarge` in
 * their place; the judge checks again whatever arrives.
 */
export const messageLimits = { bytes: 8 * 1024 * 1024, stringLength: 100_000, arrayLength: 500_000, objectKeys: 1_000 };

const arrayIndex = /^(?:0|[1-9]\d*)$/;

/** Whether a property key is an array index, which `messageLimits.objectKeys` does not count. */
export function isArrayIndex(key: string): boolean {
  return arrayIndex.test(key);
}

/** A value past messageLimits, as a test's failure says it. */
export function describeTooLarge(what: TooLarge["what"], size: number): string {
  const unit = { string: "characters", array: "items", object: "keys" }[what];
  const limit = { string: messageLimits.stringLength, array: messageLimits.arrayLength, object: messageLimits.objectKeys }[what];
  return `${what === "array" || what === "object" ? "an" : "a"} ${what} of ${size.toLocaleString("en-US")} ${unit}; the limit is ${limit.toLocaleString("en-US")}`;
}

export type Integrity = "frozen" | "sealed" | "non-extensible";

/**
 * A symbol: a well-known one by name, a registered one by its key, any other
 * by an id of its sender's. The receiver stands in for the sender's symbol
 * with one of its own, which comes back as `yours`, so a symbol makes the
 * round trip as itself.
 */
export type WireSymbol =
  | { $: "symbol"; wellKnown: string }
  | { $: "symbol"; registered: string }
  | { $: "symbol"; id: number; description?: string; yours?: true };

export interface WireError {
  $: "error";
  /** The judge's id when the error is the judge's own; absent for submission errors, which are copies. */
  id?: number;
  /**
   * Where the error's class chain meets a class the other side has: a
   * built-in error class (`RangeError` …), or a class the exercise's surface
   * exports (`file#Name`).
   */
  className: string;
  /** The classes between the error and `className`, most derived first, for the other side to rebuild (an `InvalidPriorityError extends RangeError`). */
  chain?: ErrorClassLink[];
  name: string;
  message: string;
  errors?: Wire[];
  /** Its other own properties (`cause`, a field the student added, an own `name`): [key, enumerable, value]. */
  own?: Array<[string, boolean, Wire]>;
  /** Where in the student's own files it was thrown (the first such stack frame), relative to the exercise folder. */
  location?: { file: string; line: number; column: number };
}

/** One class of a submission error's chain: its name, and a `name` its prototype gives instances, if it does. */
export interface ErrorClassLink {
  className: string;
  prototypeName?: string;
}

/** One prototype of a live object's chain, below Object.prototype or Array.prototype. */
export interface PrototypeLink {
  /** The same prototype always has the same id, so instances of one class share one chain on the judge's side. */
  id: number;
  /** Its constructor's name, as the class is called. */
  className: string;
  /** Its accessor properties: [key, enumerable]. Their values, read now, are in `inherited`. */
  accessors: Array<[string, boolean]>;
}

/** Own properties of a live object at one moment. */
export interface Snapshot {
  /** [key, enumerable, value]; a function-valued property reads as undefined and is marked so. */
  own: Array<[string, boolean, Wire]>;
  /** Getters from the object's own class, read now, since a judge cannot run them. */
  inherited: Array<[string, Wire]>;
  /** Its class's prototype chain, most derived first; absent for a plain object or array. */
  prototypes?: PrototypeLink[];
  /** Set when the object is frozen: its snapshot is then final. */
  frozen?: true;
}

/**
 * An object one side sent the other by value, as it is now. An object passed
 * in is shared in one process; here each side holds its own copy, so every
 * message carries the objects its sender changed since it last spoke: the
 * two copies agree whenever either side's code runs.
 */
export interface SyncedObject {
  id: number;
  entries: Array<[string, Wire]>;
  /** An array's length, which its entries alone do not give (holes at the end). */
  length?: number;
  /** The object was frozen, sealed or made non-extensible: the other side's copy is too. */
  sealed?: Integrity;
}

export type Request =
  /** `classes`: the exercise classes whose instances travel as instances (`file#Name`); the rest travel as data. */
  | { op: "load"; classes: string[] }
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
  /** Calls of one exported function, in order, one argument list each. */
  | { op: "call-export-each"; name: string; calls: Wire[][] }
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

/** What every message carries besides its own content. */
export interface SyncFields {
  /** The sender's changes to objects the other side sent it, or it sent the other side. */
  sync?: SyncedObject[];
  /** From the judge: a new test has begun, so the objects shared before it need not be kept in step any more. */
  newTest?: true;
}

export type Message =
  | ({ kind: "request"; id: number } & { request: Request } & SyncFields)
  | ({ kind: "reply"; to: number; settlements: Settlement[] } & Outcome & SyncFields);

/** What `load` answers, as JSON text: every `file#Name` the exercise exports. */
export interface LoadedExports {
  names: string[];
}

// Taken when this module loads, before the student's code can replace them.
const { is, keys: ownEnumerableKeys, isFrozen, isSealed, isExtensible, hasOwn, defineProperty, freeze, seal, preventExtensions } = Object;

const { keyFor } = Symbol;
const wellKnownSymbols = new Map<symbol, string>(
  Object.getOwnPropertyNames(Symbol)
    .filter((name) => typeof (Symbol as unknown as Record<string, unknown>)[name] === "symbol")
    .map((name) => [(Symbol as unknown as Record<string, symbol>)[name] as symbol, name]),
);

/**
 * How a primitive travels, the same on both sides. Symbols need a memory:
 * each side numbers its own, and stands in for the other side's.
 */
export class Primitives {
  private readonly ownIds = new Map<symbol, number>();
  private readonly own = new Map<number, symbol>();
  private readonly standIns = new Map<number, symbol>();
  private readonly standInIds = new Map<symbol, number>();

  /** A primitive as it travels; null for an object or function, which each side encodes its own way. */
  encode(value: unknown): Wire | null {
    switch (typeof value) {
      case "undefined":
        return { $: "undefined" };
      case "symbol":
        return this.encodeSymbol(value);
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

  private encodeSymbol(symbol: symbol): WireSymbol {
    const wellKnown = wellKnownSymbols.get(symbol);
    if (wellKnown !== undefined) return { $: "symbol", wellKnown };
    const registered = keyFor(symbol);
    if (registered !== undefined) return { $: "symbol", registered };
    const theirs = this.standInIds.get(symbol);
    if (theirs !== undefined) return { $: "symbol", id: theirs, yours: true };
    let id = this.ownIds.get(symbol);
    if (id === undefined) {
      id = this.ownIds.size + 1;
      this.ownIds.set(symbol, id);
      this.own.set(id, symbol);
    }
    return symbol.description === undefined ? { $: "symbol", id } : { $: "symbol", id, description: symbol.description };
  }

  decodeSymbol(wire: WireSymbol): symbol {
    if ("wellKnown" in wire) return (Symbol as unknown as Record<string, symbol>)[wire.wellKnown] ?? Symbol(wire.wellKnown);
    if ("registered" in wire) return Symbol.for(wire.registered);
    if (wire.yours) return this.own.get(wire.id) ?? Symbol(wire.description);
    let standIn = this.standIns.get(wire.id);
    if (standIn === undefined) {
      standIn = Symbol(wire.description);
      this.standIns.set(wire.id, standIn);
      this.standInIds.set(standIn, wire.id);
    }
    return standIn;
  }

  /** The other side's symbols are gone with its process. */
  forgetTheirs(): void {
    this.standIns.clear();
    this.standInIds.clear();
  }
}

/** An object's properties as the other side last saw them. */
interface Watched {
  object: object;
  keys: string[];
  values: unknown[];
  integrity: Integrity | null;
}

/** How far an object is locked: frozen, sealed, closed to new properties, or not at all. */
export function integrityOf(object: object): Integrity | null {
  if (isExtensible(object)) return null;
  return isFrozen(object) ? "frozen" : isSealed(object) ? "sealed" : "non-extensible";
}

export function applyIntegrity(object: object, integrity: Integrity | undefined): void {
  if (integrity === "frozen") freeze(object);
  else if (integrity === "sealed") seal(object);
  else if (integrity === "non-extensible") preventExtensions(object);
}

/**
 * The objects one side has shared with the other by value, each with its own
 * enumerable properties as they were when the two sides last agreed. Before
 * each message a side sends, `changed` finds the objects its code changed
 * since; comparing one level is enough, since a nested object is shared, and
 * watched, on its own.
 */
export class SharedObjects {
  private readonly watched = new Map<number, Watched>();

  /** Records what `object` holds now: the other side has the same. A frozen object cannot change, so it is not watched. */
  agree(id: number, object: object): void {
    const integrity = integrityOf(object);
    if (integrity === "frozen") {
      this.watched.delete(id);
      return;
    }
    const keys = ownEnumerableKeys(object);
    const values = new Array<unknown>(keys.length);
    for (let index = 0; index < keys.length; index++) values[index] = (object as Record<string, unknown>)[keys[index] as string];
    this.watched.set(id, { object, keys, values, integrity });
  }

  /** The shared objects whose properties (or whose lock: frozen, sealed) differ from what the other side has, by id. */
  changed(): Array<[number, object]> {
    const found: Array<[number, object]> = [];
    for (const [id, watched] of this.watched) {
      const { object, keys, values } = watched;
      const now = ownEnumerableKeys(object);
      let same = now.length === keys.length && integrityOf(object) === watched.integrity;
      for (let index = 0; same && index < now.length; index++) {
        const key = now[index] as string;
        same = key === keys[index] && is((object as Record<string, unknown>)[key], values[index]);
      }
      if (!same) found.push([id, object]);
    }
    return found;
  }

  clear(): void {
    this.watched.clear();
  }
}

/**
 * Makes `target` hold exactly `entries` (and, for an array, `length`), as the
 * other side's copy does. What a frozen or sealed object cannot change, it
 * keeps, as it would in one process.
 */
export function replaceEntries(target: object, entries: Array<[string, unknown]>, length?: number): void {
  const record = target as Record<string, unknown>;
  const wanted = new Map(entries);
  for (const key of ownEnumerableKeys(record)) {
    if (wanted.has(key)) continue;
    try {
      delete record[key];
    } catch {
      // kept
    }
  }
  if (length !== undefined) {
    try {
      (record as unknown as unknown[]).length = length;
    } catch {
      // kept
    }
  }
  for (const [key, value] of entries) {
    const own = hasOwn(record, key);
    if (own && is(record[key], value)) continue;
    try {
      // A new key is defined, not assigned, so that "__proto__" is an own property here too.
      if (own) record[key] = value;
      else defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
    } catch {
      // kept
    }
  }
}

import {
  applyIntegrity,
  integrityOf,
  isArrayIndex,
  messageLimits,
  Primitives,
  replaceEntries,
  SharedObjects,
  type ErrorClassLink,
  type PrototypeLink,
  type Settlement,
  type Snapshot,
  type SyncedObject,
  type TooLarge,
  type Wire,
  type WireError,
} from "./protocol.ts";

// Taken before the student's code loads, which may replace the globals; a
// replaced one would only garble this process's own answers, but the grader
// should read what the code really returned.
const { isArray } = Array;
const { ownKeys, getOwnPropertyDescriptor, getPrototypeOf, get } = Reflect;
const { keys: ownEnumerableKeys, defineProperty, isFrozen } = Object;

/** Built-in error classes, most specific first: where a thrown error's class chain meets one, the judge has the same class. */
const builtinErrors = { AggregateError, RangeError, TypeError, SyntaxError, ReferenceError, EvalError, URIError, Error } as const;
const builtinErrorPrototypes = new Map<object, string>(Object.entries(builtinErrors).map(([name, constructor]) => [constructor.prototype as object, name]));
/** Where a class chain ends for the judge's purposes: what every plain object and array already has. */
const plainPrototypes = new Set<object | null>([Object.prototype, Array.prototype, null]);
/** How many properties the snapshots in one message may hold; past it, the judge asks again. */
const snapshotBudget = 2_000;

type AnyFunction = (...args: unknown[]) => unknown;

/** The classes of the exercise's stub (its surface) as the submission defines them, by the judge's name for them (`file#Name`). */
export type SurfaceClasses = Map<string, AnyFunction>;

/** The name a class's constructor gives, read without running any getter of the student's. */
function classNameOf(prototype: object): string {
  const constructor = getOwnPropertyDescriptor(prototype, "constructor")?.value as unknown;
  if (typeof constructor !== "function") return "";
  const name = getOwnPropertyDescriptor(constructor, "name")?.value as unknown;
  return typeof name === "string" ? name : "";
}

/**
 * The submission side of the value encoding. Submission objects stay here and
 * the judge reads them live, by id; judge objects arrive as copies that
 * remember the judge's id, so handing one back gives the judge its own object,
 * and the copy and the original are kept in step (see SharedObjects).
 */
export class SubmissionValues {
  private readonly liveById = new Map<number, object>();
  private readonly idOfLive = new WeakMap<object, number>();
  /** Judge objects and functions this process holds, by the judge's id. */
  private readonly copyById = new Map<number, object>();
  private readonly judgeIdOf = new WeakMap<object, number>();
  /** The judge's plain objects and arrays this process holds, as the judge last saw them. */
  private readonly shared = new SharedObjects();
  private readonly primitives = new Primitives();
  private nextId = 1;
  private settlements: Settlement[] = [];
  /** Surface classes whose instances travel as instances, and surface error classes. */
  private instanceClasses: SurfaceClasses = new Map();
  private errorClasses: SurfaceClasses = new Map();

  constructor(
    private readonly callJudge: (target: number, args: unknown[]) => unknown,
    /** The folder of the student's modules, to find their frames in a stack. */
    private readonly exerciseDir: string,
  ) {}

  /** The stub's classes as the submission defines them, sorted into errors and the rest. */
  useSurface(classes: SurfaceClasses): void {
    this.instanceClasses = new Map();
    this.errorClasses = new Map();
    for (const [name, constructor] of classes) {
      const isError = constructor.prototype instanceof Error;
      (isError ? this.errorClasses : this.instanceClasses).set(name, constructor);
    }
  }

  /** The first stack frame in the student's own files; with source maps on, in their .ts lines. */
  private locate(error: Error): WireError["location"] {
    let stack = "";
    try {
      stack = String(error.stack ?? "");
    } catch {
      return undefined;
    }
    const folder = `${this.exerciseDir}/`;
    for (const match of stack.matchAll(/(?:\(|at )(?:file:\/\/)?(\/[^():\s]+):(\d+):(\d+)/g)) {
      const [, file = "", line = "0", column = "0"] = match;
      if (file.startsWith(folder)) return { file: file.slice(folder.length), line: Number(line), column: Number(column) };
    }
    return undefined;
  }

  /** Settlements of submission promises since the last call, in the order they happened. */
  takeSettlements(): Settlement[] {
    const taken = this.settlements;
    this.settlements = [];
    return taken;
  }

  live(id: number): object {
    const found = this.liveById.get(id);
    if (found === undefined) throw new Error(`the grader asked for object ${id}, which this process never handed out`);
    return found;
  }

  private register(value: object): number {
    let id = this.idOfLive.get(value);
    if (id === undefined) {
      id = this.nextId++;
      this.idOfLive.set(value, id);
      this.liveById.set(id, value);
    }
    return id;
  }

  encode(value: unknown, budget = { left: snapshotBudget }, seen = new Set<object>()): Wire {
    if (typeof value === "string" && value.length > messageLimits.stringLength) return { $: "too-large", what: "string", size: value.length };
    const primitive = this.primitives.encode(value);
    if (primitive !== null) return primitive;
    switch (typeof value) {
      case "function": {
        const judgeId = this.judgeIdOf.get(value);
        if (judgeId !== undefined) return { $: "yours", id: judgeId };
        return { $: "submission-function", id: this.register(value) };
      }
    }
    if (value === null) return null;
    const object = value as object;
    const judgeId = this.judgeIdOf.get(object);
    if (judgeId !== undefined) return { $: "yours", id: judgeId };
    if (object instanceof Promise) return this.encodePromise(object);
    if (object instanceof Error) return this.encodeError(object, budget, seen);
    for (const [className, constructor] of this.instanceClasses) {
      if (object instanceof constructor) return { $: "instance", id: this.register(object), className };
    }
    const array = isArray(object);
    const tooLarge = this.tooLarge(object, array);
    if (tooLarge) return tooLarge;
    const id = this.register(object);
    if (seen.has(object) || budget.left <= 0) return { $: "live", id, array };
    seen.add(object);
    return { $: "live", id, array, snapshot: this.snapshot(object, budget, seen) };
  }

  /** Whether an object is past messageLimits: the judge would stop the process on reading it, so it is not sent. */
  private tooLarge(object: object, array: boolean): TooLarge | null {
    try {
      if (array) {
        const { length } = object as unknown[];
        if (length > messageLimits.arrayLength) return { $: "too-large", what: "array", size: length };
      }
      const keys = ownKeys(object);
      if (keys.length <= messageLimits.objectKeys) return null;
      let count = 0;
      for (const key of keys) if (typeof key === "string" && !isArrayIndex(key)) count += 1;
      return count > messageLimits.objectKeys ? { $: "too-large", what: "object", size: count } : null;
    } catch {
      return null; // a proxy of the student's that throws: the snapshot reads what it can
    }
  }

  /** Own properties, the getters of the object's classes read now, and the chain of those classes. */
  snapshot(object: object, budget = { left: snapshotBudget }, seen = new Set<object>()): Snapshot {
    const own: Snapshot["own"] = [];
    for (const key of ownKeys(object)) {
      if (typeof key !== "string") continue;
      const descriptor = getOwnPropertyDescriptor(object, key);
      if (!descriptor) continue;
      budget.left -= 1;
      own.push([key, descriptor.enumerable === true, this.encodeProperty(() => get(object, key), budget, seen)]);
    }
    const inherited: Snapshot["inherited"] = [];
    const prototypes: PrototypeLink[] = [];
    for (let proto = getPrototypeOf(object) as object | null; !plainPrototypes.has(proto); proto = getPrototypeOf(proto as object) as object | null) {
      const link: PrototypeLink = { id: this.register(proto as object), className: classNameOf(proto as object), accessors: [] };
      prototypes.push(link);
      for (const key of ownKeys(proto as object)) {
        if (typeof key !== "string" || key === "constructor") continue;
        const descriptor = getOwnPropertyDescriptor(proto as object, key);
        if (!descriptor?.get) continue;
        link.accessors.push([key, descriptor.enumerable === true]);
        if (inherited.some(([name]) => name === key)) continue;
        budget.left -= 1;
        inherited.push([key, this.encodeProperty(() => get(object, key), budget, seen)]);
      }
    }
    const snapshot: Snapshot = { own, inherited };
    if (prototypes.length > 0) snapshot.prototypes = prototypes;
    if (isFrozen(object)) snapshot.frozen = true;
    return snapshot;
  }

  /**
   * A property's value. The student's functions never travel as properties, so
   * the judge can never call them by accident; the judge's own (a handler the
   * suite passed in, kept in an array) come back as themselves.
   */
  private encodeProperty(read: () => unknown, budget: { left: number }, seen: Set<object>): Wire {
    let value: unknown;
    try {
      value = read();
    } catch {
      return { $: "undefined" };
    }
    if (typeof value === "function" && !this.judgeIdOf.has(value)) return { $: "undefined" };
    return this.encode(value, budget, seen);
  }

  /**
   * An error as the judge can rebuild it: the class its chain meets that the
   * judge has too (a built-in, or the stub's own error class), the student's
   * classes in between, its message, its own properties and where it was thrown.
   */
  encodeError(error: unknown, budget = { left: snapshotBudget }, seen = new Set<object>()): Wire {
    if (!(error instanceof Error)) return this.encode(error, budget, seen);
    const judgeId = this.judgeIdOf.get(error);
    if (judgeId !== undefined) return { $: "yours", id: judgeId };
    let className = "Error";
    const chain: ErrorClassLink[] = [];
    try {
      for (let proto = getPrototypeOf(error) as object | null; proto !== null; proto = getPrototypeOf(proto) as object | null) {
        const surface = [...this.errorClasses].find(([, constructor]) => constructor.prototype === proto);
        const builtin = builtinErrorPrototypes.get(proto);
        if (surface || builtin) {
          className = surface ? surface[0] : (builtin as string);
          break;
        }
        const link: ErrorClassLink = { className: classNameOf(proto) };
        const prototypeName = getOwnPropertyDescriptor(proto, "name")?.value as unknown;
        if (typeof prototypeName === "string") link.prototypeName = prototypeName;
        chain.push(link);
      }
    } catch {
      // A prototype chain that cannot be walked (a proxy of the student's): a plain Error.
    }
    const read = (key: "name" | "message"): string => {
      try {
        return String(error[key]);
      } catch {
        return "";
      }
    };
    const wire: WireError = { $: "error", className, name: read("name"), message: read("message") };
    for (const text of [wire.name, wire.message]) if (text.length > messageLimits.stringLength) return { $: "too-large", what: "string", size: text.length };
    if (chain.length > 0) wire.chain = chain;
    const location = this.locate(error);
    if (location) wire.location = location;
    if (error instanceof AggregateError) {
      try {
        wire.errors = Array.from(error.errors as unknown[], (inner) => this.encodeError(inner, budget, seen));
      } catch {
        wire.errors = [];
      }
    }
    const own: NonNullable<WireError["own"]> = [];
    try {
      for (const key of ownKeys(error)) {
        if (typeof key !== "string" || key === "stack" || key === "message" || (key === "errors" && wire.errors)) continue;
        const descriptor = getOwnPropertyDescriptor(error, key);
        if (!descriptor) continue;
        own.push([key, descriptor.enumerable === true, this.encodeProperty(() => get(error, key), budget, seen)]);
      }
    } catch {
      // as above
    }
    if (own.length > 0) wire.own = own;
    return wire;
  }

  private encodePromise(promise: Promise<unknown>): Wire {
    const known = this.idOfLive.has(promise);
    const id = this.register(promise);
    if (known) return { $: "promise", id };
    promise.then(
      (value) => this.settlements.push({ promise: id, fulfilled: true, value: this.encode(value) }),
      (reason: unknown) => this.settlements.push({ promise: id, fulfilled: false, value: this.encodeError(reason) }),
    );
    return { $: "promise", id };
  }

  decode(wire: Wire): unknown {
    if (wire === null || typeof wire !== "object") return wire;
    switch (wire.$) {
      case "undefined":
        return undefined;
      case "number":
        return Number(wire.value);
      case "bigint":
        return BigInt(wire.value);
      case "symbol":
        return this.primitives.decodeSymbol(wire);
      case "seen":
      case "yours":
        return wire.$ === "seen" ? this.copyById.get(wire.id) : this.live(wire.id);
      case "copy":
        return this.decodeCopy(wire);
      case "judge-function":
        return this.judgeFunction(wire.id);
      case "error":
        return this.decodeJudgeError(wire);
      default:
        throw new Error(`the grader sent a value this process cannot hold (${wire.$})`);
    }
  }

  private decodeCopy(wire: Extract<Wire, { $: "copy" }>): object {
    let copy = this.copyById.get(wire.id);
    if (copy === undefined || isArray(copy) !== wire.array) {
      copy = wire.array ? [] : {};
      this.copyById.set(wire.id, copy);
      this.judgeIdOf.set(copy, wire.id);
    }
    // The judge's object again: this copy is brought up to date, as a shared object would be.
    replaceEntries(
      copy,
      wire.entries.map(([key, value]) => [key, this.decode(value)]),
    );
    applyIntegrity(copy, wire.sealed);
    this.shared.agree(wire.id, copy);
    return copy;
  }

  /** A new test: the judge's objects from earlier tests are no longer kept in step (each check costs every message some time). */
  forgetShared(): void {
    this.shared.clear();
  }

  /** Changes the judge made to its objects since it last spoke: the copies here follow. */
  applySync(items: readonly SyncedObject[] | undefined): void {
    for (const { id, entries, length, sealed } of items ?? []) {
      const copy = this.copyById.get(id);
      if (copy === undefined || typeof copy === "function") continue;
      replaceEntries(
        copy,
        entries.map(([key, value]) => [key, this.decode(value)]),
        length,
      );
      applyIntegrity(copy, sealed);
      this.shared.agree(id, copy);
    }
  }

  /** The judge's objects that the student's code changed since the judge last spoke, for the judge to change its own. */
  takeSync(): SyncedObject[] | undefined {
    const changed = this.shared.changed();
    if (changed.length === 0) return undefined;
    const items: SyncedObject[] = [];
    for (const [id, copy] of changed) {
      const entries: Array<[string, Wire]> = [];
      const tooLarge = this.tooLarge(copy, isArray(copy));
      // The judge stops the process on finding the marker in this copy's entries, where it would have found the keys themselves.
      if (tooLarge) return [{ id, entries: [["", tooLarge]] }];
      for (const key of ownEnumerableKeys(copy)) entries.push([key, this.encodeProperty(() => get(copy, key), { left: snapshotBudget }, new Set())]);
      const item: SyncedObject = isArray(copy) ? { id, entries, length: copy.length } : { id, entries };
      const sealed = integrityOf(copy);
      if (sealed) item.sealed = sealed;
      items.push(item);
      this.shared.agree(id, copy);
    }
    return items;
  }

  private judgeFunction(id: number): AnyFunction {
    const existing = this.copyById.get(id);
    if (typeof existing === "function") return existing as AnyFunction;
    const callJudge = this.callJudge;
    const stub = function (this: unknown, ...args: unknown[]) {
      return callJudge(id, args);
    };
    this.copyById.set(id, stub);
    this.judgeIdOf.set(stub, id);
    return stub;
  }

  private decodeJudgeError(wire: WireError): Error {
    const existing = wire.id === undefined ? undefined : this.copyById.get(wire.id);
    if (existing instanceof Error) return existing;
    const name = wire.className in builtinErrors ? (wire.className as keyof typeof builtinErrors) : "Error";
    const errors = (wire.errors ?? []).map((inner) => this.decode(inner));
    const error = name === "AggregateError" ? new AggregateError(errors, wire.message) : new builtinErrors[name](wire.message);
    if (wire.name !== error.name) defineProperty(error, "name", { value: wire.name, writable: true, enumerable: false, configurable: true });
    if (wire.id !== undefined) {
      this.copyById.set(wire.id, error);
      this.judgeIdOf.set(error, wire.id);
    }
    return error;
  }
}

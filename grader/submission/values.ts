import { encodePrimitive, type Settlement, type Snapshot, type Wire, type WireError } from "./protocol.ts";

// Taken before the student's code loads, which may replace the globals; a
// replaced one would only garble this process's own answers, but the grader
// should read what the code really returned.
const { isArray } = Array;
const { ownKeys, getOwnPropertyDescriptor, getPrototypeOf, get } = Reflect;

/** Built-in error classes a thrown error is matched against, most specific first. */
const errorClasses = ["AggregateError", "RangeError", "TypeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "Error"] as const;
/** How many properties the snapshots in one message may hold; past it, the judge asks again. */
const snapshotBudget = 2_000;

type AnyFunction = (...args: unknown[]) => unknown;

/** The exercise's exported classes, by the judge's name for them (`file#Name`). */
export type ExportedClasses = Map<string, AnyFunction>;

/**
 * The submission side of the value encoding. Submission objects stay here and
 * the judge reads them live, by id; judge objects arrive as copies that
 * remember the judge's id, so handing one back gives the judge its own object.
 */
export class SubmissionValues {
  private readonly liveById = new Map<number, object>();
  private readonly idOfLive = new WeakMap<object, number>();
  private readonly copyById = new Map<number, object>();
  private readonly judgeIdOf = new WeakMap<object, number>();
  private nextId = 1;
  private settlements: Settlement[] = [];

  constructor(
    private readonly classes: ExportedClasses,
    private readonly callJudge: (target: number, args: unknown[]) => unknown,
    /** The folder of the student's modules, to find their frames in a stack. */
    private readonly exerciseDir: string,
  ) {}

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
    const primitive = encodePrimitive(value);
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
    for (const [className, constructor] of this.classes) {
      if (object instanceof constructor) return { $: "instance", id: this.register(object), className };
    }
    const id = this.register(object);
    const array = isArray(object);
    if (seen.has(object) || budget.left <= 0) return { $: "live", id, array };
    seen.add(object);
    return { $: "live", id, array, snapshot: this.snapshot(object, budget, seen) };
  }

  /** Own properties, and getters of the object's class, read now. */
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
    const plain = [Object.prototype, Array.prototype, null];
    for (let proto = getPrototypeOf(object); !plain.includes(proto); proto = getPrototypeOf(proto as object)) {
      for (const key of ownKeys(proto as object)) {
        if (typeof key !== "string" || key === "constructor" || inherited.some(([name]) => name === key)) continue;
        const descriptor = getOwnPropertyDescriptor(proto as object, key);
        if (!descriptor?.get) continue;
        budget.left -= 1;
        inherited.push([key, this.encodeProperty(() => get(object, key), budget, seen)]);
      }
    }
    return { own, inherited };
  }

  /** A property's value; functions never travel as properties, so the judge can never call them by accident. */
  private encodeProperty(read: () => unknown, budget: { left: number }, seen: Set<object>): Wire {
    let value: unknown;
    try {
      value = read();
    } catch {
      return { $: "undefined" };
    }
    return typeof value === "function" ? { $: "undefined" } : this.encode(value, budget, seen);
  }

  encodeError(error: unknown, budget = { left: snapshotBudget }, seen = new Set<object>()): Wire {
    if (!(error instanceof Error)) return this.encode(error, budget, seen);
    const judgeId = this.judgeIdOf.get(error);
    if (judgeId !== undefined) return { $: "yours", id: judgeId };
    let className: string = "Error";
    const exported = [...this.classes].find(([, constructor]) => error instanceof constructor);
    if (exported) className = exported[0];
    else className = errorClasses.find((name) => error instanceof (globalThis[name] as AnyFunction)) ?? "Error";
    const read = (key: "name" | "message"): string => {
      try {
        return String(error[key]);
      } catch {
        return "";
      }
    };
    const wire: WireError = { $: "error", className, name: read("name"), message: read("message") };
    const location = this.locate(error);
    if (location) wire.location = location;
    if (error instanceof AggregateError) {
      try {
        wire.errors = Array.from(error.errors as unknown[], (inner) => this.encodeError(inner, budget, seen));
      } catch {
        wire.errors = [];
      }
    }
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
    let copy = this.copyById.get(wire.id) as Record<string, unknown> | undefined;
    if (copy === undefined || isArray(copy) !== wire.array) {
      copy = (wire.array ? [] : {}) as Record<string, unknown>;
      this.copyById.set(wire.id, copy);
      this.judgeIdOf.set(copy, wire.id);
    } else {
      // The judge's object again: bring this copy up to date, as a shared object would be.
      try {
        for (const key of Object.keys(copy)) delete copy[key];
        if (isArray(copy)) copy.length = 0;
      } catch {
        // A frozen copy keeps what it had.
      }
    }
    for (const [key, value] of wire.entries) {
      try {
        copy[key] = this.decode(value);
      } catch {
        // as above
      }
    }
    return copy;
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
    const name = errorClasses.find((candidate) => candidate === wire.className) ?? "Error";
    const errors = (wire.errors ?? []).map((inner) => this.decode(inner));
    const error = name === "AggregateError" ? new AggregateError(errors, wire.message) : new globalThis[name](wire.message);
    if (wire.name !== error.name) error.name = wire.name;
    if (wire.id !== undefined) {
      this.copyById.set(wire.id, error);
      this.judgeIdOf.set(error, wire.id);
    }
    return error;
  }
}

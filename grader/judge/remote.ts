import path from "node:path";
import { expect } from "vitest";
import {
  applyIntegrity,
  integrityOf,
  Primitives,
  replaceEntries,
  SharedObjects,
  type ErrorClassLink,
  type Outcome,
  type PrototypeLink,
  type Request,
  type Settlement,
  type Snapshot,
  type SyncedObject,
  type SyncFields,
  type Wire,
  type WireError,
} from "../submission/protocol.ts";
import { submissionErrorMark } from "./channel.ts";
import { SubmissionStopped, SubmissionLink, type LaunchSpec } from "./submission-link.ts";
import { realSetTimeout } from "./real-clock.ts";

/** What the suites may use of one exercise file, read from the course's own stub. */
export interface FileSurface {
  /** The file's name without extension, as the submission process knows it. */
  stem: string;
  classes: Array<{ name: string; methods: string[]; properties: string[]; isError: boolean }>;
  functions: string[];
}

type AnyFunction = (...args: unknown[]) => unknown;
type RemoteClass = new (...args: unknown[]) => object;

const builtinErrors: Record<string, ErrorConstructor | AggregateErrorConstructor> = {
  AggregateError,
  Error,
  RangeError,
  TypeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};
type ErrorClass = new (...args: never[]) => Error;

/** A live object's snapshot, decoded lazily, valid for one epoch. */
interface LiveState {
  id: number;
  generation: number;
  epoch: number;
  own: Map<string, { enumerable: boolean; wire: Wire }>;
  inherited: Map<string, Wire>;
  /** What the proxy stands over: its prototype is the stand-in for the object's class. */
  target: object;
  /** A frozen object's snapshot is final: it is written onto the target, which is frozen too, and the proxy reads the target. */
  frozen: boolean;
}

const callTimeoutMs = 8_000;

/**
 * The judge's side of the boundary: remote stand-ins for the submission's
 * classes, functions, objects and promises. Only plain data crosses. A
 * submission object is read through a proxy that answers from a snapshot of
 * its own data properties; the proxy never hands out the object's functions,
 * so nothing the judge does (equality, printing, awaiting) can run them.
 */
export class Remote {
  readonly link: SubmissionLink;
  private readonly judgeById = new Map<number, unknown>();
  private readonly judgeIdOf = new WeakMap<object, number>();
  private nextJudgeId = 1;
  private readonly remoteIdOf = new WeakMap<object, { id: number; generation: number }>();
  private readonly proxies = new Map<number, object>();
  private readonly states = new WeakMap<object, LiveState>();
  private readonly functions = new Map<number, AnyFunction>();
  private readonly promises = new Map<number, { promise: Promise<unknown>; resolve: (value: unknown) => void; reject: (reason: unknown) => void; settled: boolean }>();
  /** How many of those have not settled. */
  private pending = 0;
  private readonly classes = new Map<string, RemoteClass>();
  /** The stand-ins for exported functions, with the name the submission process knows each by. */
  private readonly exportNames = new WeakMap<AnyFunction, string>();
  /** The judge's plain objects and arrays the submission holds copies of, as it last saw them. */
  private readonly shared = new SharedObjects();
  private readonly primitives = new Primitives();
  /** The test whose objects are being kept in step, and whether the submission has heard of it yet. */
  private sharingTest: string | undefined = undefined;
  private newTest = false;
  /** Stand-ins for the prototypes of the submission's classes, by the submission's id for each. */
  private readonly prototypes = new Map<number, object>();
  /** Classes rebuilt for the submission's errors, by their chain. */
  private readonly errorChains = new Map<string, ErrorClass>();
  private loadError: Error | null = null;

  constructor(
    launch: LaunchSpec,
    /** Where the workspace would hold the student's files: a thrown error's stack points there, so annotations find the line. */
    private readonly exercisesDir: string,
    /** Every exercise file of the module: the classes the stub declares travel as instances, whichever file a suite imports first. */
    private readonly surfaces: readonly FileSurface[],
  ) {
    this.link = new SubmissionLink(
      launch,
      {
        callback: (target, args) => this.runCallback(target, args),
        settle: (settlement) => this.settle(settlement),
        outgoing: () => this.outgoing(),
        incoming: (sync) => this.applySync(sync),
      },
      () => this.onStart(),
    );
  }

  // --- Starting the process ---------------------------------------------------

  private onStart(): void {
    // A new process knows none of the old one's objects.
    this.proxies.clear();
    this.functions.clear();
    for (const { reject } of this.promises.values()) reject(new SubmissionStopped("your code's process stopped before this promise settled"));
    this.promises.clear();
    this.pending = 0;
    this.shared.clear();
    this.prototypes.clear();
    this.primitives.forgetTheirs();
    const classes = this.surfaces.flatMap((surface) => surface.classes.map((shape) => `${surface.stem}#${shape.name}`));
    try {
      const outcome = this.link.request({ op: "load", classes }, callTimeoutMs, "while loading", true);
      this.loadError = outcome.ok ? null : this.toError(outcome.error);
    } catch (error) {
      // Exiting or hanging while loading would do the same again: keep the reason.
      this.loadError = error as Error;
    }
  }

  /** Starts the process and loads the code, so that code that cannot load fails the test file at import, as a local import would. */
  load(): void {
    if (this.loadError) throw this.loadError;
    this.link.ensureStarted();
    if (this.loadError) throw this.loadError;
  }

  /** Sends a request, turning a failure into the judge's own error; `what` names the call in messages ("… during TaskQueue.dequeue()"). */
  call(request: Request, what: string, timeoutMs = callTimeoutMs, changesState = true): unknown {
    return this.decode(this.callRaw(request, what, timeoutMs, changesState));
  }

  /** Like call, but returns the wire value undecoded (a constructor binds it itself). */
  private callRaw(request: Request, what: string, timeoutMs = callTimeoutMs, changesState = true): Wire {
    this.load();
    const outcome: Outcome = this.link.request(request, timeoutMs, `during ${what}`, changesState);
    this.scheduleDrain();
    if (!outcome.ok) throw this.decodeThrown(outcome.error);
    return outcome.value;
  }

  private drainScheduled = false;

  /**
   * While the judge holds a pending promise of the submission's, the
   * submission's own promise callbacks must run when the judge's do: when the
   * test next yields (a microtask queued now runs then), not after each call.
   */
  private scheduleDrain(): void {
    if (this.drainScheduled || this.pending === 0) return;
    this.drainScheduled = true;
    queueMicrotask(() => {
      this.drainScheduled = false;
      if (this.link.isRunning) this.link.request({ op: "drain" }, callTimeoutMs, "while running your code's promise callbacks", true);
    });
  }

  // --- Exports ----------------------------------------------------------------

  exportsOf(surface: FileSurface): Record<string, unknown> {
    const exports: Record<string, unknown> = {};
    for (const shape of surface.classes) {
      const remoteClass = shape.isError ? this.errorClass(shape.name) : this.instanceClass(surface.stem, shape);
      this.classes.set(`${surface.stem}#${shape.name}`, remoteClass);
      exports[shape.name] = remoteClass;
    }
    for (const name of surface.functions) {
      const remote = this;
      const qualified = `${surface.stem}#${name}`;
      const standIn = {
        [name](...args: unknown[]) {
          return remote.call({ op: "call-export", name: qualified, args: args.map((arg) => remote.encode(arg)) }, `${name}()`);
        },
      }[name] as AnyFunction;
      this.exportNames.set(standIn, qualified);
      exports[name] = standIn;
    }
    return exports;
  }

  private errorClass(name: string): RemoteClass {
    // The judge's own class: errors the submission throws of its class arrive as this one. Their
    // name is whatever the student's error says (an Error subclass is called "Error" unless it says so).
    return { [name]: class extends Error {} }[name] as RemoteClass;
  }

  private instanceClass(stem: string, shape: FileSurface["classes"][number]): RemoteClass {
    const remote = this;
    const className = `${stem}#${shape.name}`;
    const remoteClass = {
      [shape.name]: class {
        constructor(...args: unknown[]) {
          const wire = remote.callRaw({ op: "construct", className, args: args.map((arg) => remote.encode(arg)) }, `new ${shape.name}()`);
          if (wire === null || typeof wire !== "object" || wire.$ !== "instance") throw new TypeError(`new ${shape.name}() did not make an object`);
          remote.bind(this, wire.id);
        }
      },
    }[shape.name] as RemoteClass;
    for (const method of shape.methods) {
      Object.defineProperty(remoteClass.prototype, method, {
        configurable: true,
        writable: true,
        value: {
          [method](this: object, ...args: unknown[]) {
            const target = remote.targetOf(this, `${shape.name}.${method}()`);
            return remote.call({ op: "call-method", target, name: method, args: args.map((arg) => remote.encode(arg)) }, `${shape.name}.${method}()`);
          },
        }[method],
      });
    }
    for (const property of shape.properties) {
      Object.defineProperty(remoteClass.prototype, property, {
        configurable: true,
        get(this: object) {
          const target = remote.targetOf(this, `${shape.name}.${property}`);
          return remote.call({ op: "get-property", target, name: property }, `${shape.name}.${property}`, callTimeoutMs, false);
        },
      });
    }
    return remoteClass;
  }

  private bind(object: object, id: number): void {
    this.remoteIdOf.set(object, { id, generation: this.link.generation });
    this.proxies.set(id, object);
  }

  private targetOf(object: object, what: string): number {
    const remote = this.remoteIdOf.get(object);
    if (!remote) throw new TypeError(`${what} was called on something that is not one of your objects`);
    if (remote.generation !== this.link.generation) {
      throw new SubmissionStopped(`${what}: this object was lost when your code's process stopped (${this.link.exitReason ?? "it was restarted"})`);
    }
    return remote.id;
  }

  // --- Clock and workloads ------------------------------------------------------

  clock(request: Extract<Request, { op: "clock" }>): void {
    this.call(request, "the clock");
  }

  /** Runs calls on one of the submission's objects in one round trip, returning each call's answer. */
  steps(target: object, steps: ReadonlyArray<readonly unknown[]>): unknown[] {
    const id = this.targetOf(target, "runSteps");
    const encoded = steps.map(([name, ...args]) => [String(name), ...args.map((arg) => this.encode(arg))] as [string, ...Wire[]]);
    return this.call({ op: "steps", target: id, steps: encoded }, `runSteps (${steps.length} calls)`, callTimeoutMs * 2) as unknown[];
  }

  /** Calls an exported function with each argument list, in one round trip, returning each call's answer. */
  callEach(fn: AnyFunction, calls: ReadonlyArray<readonly unknown[]>): unknown[] {
    const name = this.exportNames.get(fn);
    if (name === undefined) throw new TypeError("callEach takes a function the exercise exports");
    const encoded = calls.map((args) => args.map((arg) => this.encode(arg)));
    return this.call({ op: "call-export-each", name, calls: encoded }, `${name.split("#")[1] ?? name}() (${calls.length} calls)`, callTimeoutMs * 2) as unknown[];
  }

  /** The submission process's CPU seconds as the watchdog reads them, and which process that is. */
  processCpu(): { seconds: number; generation: number } {
    return { seconds: this.link.cpuSeconds(), generation: this.link.generation };
  }

  workload(name: string, options: unknown, timeoutMs: number): unknown {
    return this.call({ op: "workload", name, options: this.encode(options) }, `workload ${name}`, timeoutMs);
  }

  // --- Values ---------------------------------------------------------------

  encode(value: unknown, seen = new Set<object>()): Wire {
    const primitive = this.primitives.encode(value);
    if (primitive !== null) return primitive;
    if (value === null) return null;
    this.noteTest();
    const object = value as object;
    const remote = this.remoteIdOf.get(object);
    if (remote) return { $: "yours", id: this.targetOf(object, "a value") };
    const id = this.judgeId(object);
    if (typeof object === "function") return { $: "judge-function", id };
    if (seen.has(object)) return { $: "seen", id };
    seen.add(object);
    if (object instanceof Error) {
      const className = object instanceof AggregateError ? "AggregateError" : (Object.keys(builtinErrors).find((name) => object.constructor === builtinErrors[name]) ?? "Error");
      const wire: WireError = { $: "error", id, className, name: object.name, message: object.message };
      if (object instanceof AggregateError) wire.errors = (object.errors as unknown[]).map((inner) => this.encode(inner, seen));
      return wire;
    }
    const entries: Array<[string, Wire]> = Object.keys(object).map((key) => [key, this.encode((object as Record<string, unknown>)[key], seen)]);
    const wire: Wire = { $: "copy", id, array: Array.isArray(object), entries };
    const sealed = integrityOf(object);
    if (sealed) wire.sealed = sealed;
    this.shared.agree(id, object);
    return wire;
  }

  /**
   * What goes with each message to the submission: the judge's objects that
   * the suite changed since the submission last saw them. Objects are kept in
   * step for the test that shares them (and whenever they are passed again):
   * checking costs every message a little for every object watched, so a new
   * test starts with none.
   */
  private outgoing(): SyncFields {
    this.noteTest();
    const fields: SyncFields = {};
    if (this.newTest) {
      this.newTest = false;
      fields.newTest = true;
    }
    const changed = this.shared.changed();
    if (changed.length === 0) return fields;
    const sync = changed.map(([id, object]): SyncedObject => {
      const entries: Array<[string, Wire]> = Object.keys(object).map((key) => [key, this.encode((object as Record<string, unknown>)[key])]);
      this.shared.agree(id, object);
      const item: SyncedObject = Array.isArray(object) ? { id, entries, length: object.length } : { id, entries };
      const sealed = integrityOf(object);
      if (sealed) item.sealed = sealed;
      return item;
    });
    return { ...fields, sync };
  }

  /** Notices a new test before anything of it is shared. */
  private noteTest(): void {
    const test = expect.getState().currentTestName;
    if (test === this.sharingTest) return;
    this.sharingTest = test;
    this.shared.clear();
    this.newTest = true;
  }

  /** Changes the student's code made to the judge's objects: the suite's own objects change the same way, as they would in one process. */
  private applySync(items: readonly SyncedObject[] | undefined): void {
    for (const { id, entries, length, sealed } of items ?? []) {
      const object = this.judgeById.get(id);
      if (object === null || typeof object !== "object") continue;
      replaceEntries(
        object,
        entries.map(([key, value]) => [key, this.decode(value)]),
        length,
      );
      applyIntegrity(object, sealed);
      this.shared.agree(id, object);
    }
  }

  private judgeId(object: object): number {
    let id = this.judgeIdOf.get(object);
    if (id === undefined) {
      id = this.nextJudgeId++;
      this.judgeIdOf.set(object, id);
      this.judgeById.set(id, object);
    }
    return id;
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
      case "yours":
        return this.judgeById.get(wire.id);
      case "live":
        return this.liveProxy(wire);
      case "instance": {
        const existing = this.proxies.get(wire.id);
        if (existing) return existing;
        const remoteClass = this.classes.get(wire.className);
        const instance = Object.create(remoteClass ? remoteClass.prototype : Object.prototype) as object;
        this.bind(instance, wire.id);
        return instance;
      }
      case "submission-function":
        return this.remoteFunction(wire.id);
      case "promise":
        return this.remotePromise(wire.id);
      case "error":
        return this.toError(wire);
      default:
        throw new TypeError("your code's process sent a value it cannot send");
    }
  }

  /** An error the submission threw: the judge's own class, so instanceof works; its message is the submission's text. */
  private toError(wire: Wire): Error {
    if (wire === null || typeof wire !== "object" || wire.$ !== "error") return new Error(String(this.decode(wire)));
    const base = (this.classes.get(wire.className) as ErrorClass | undefined) ?? builtinErrors[wire.className] ?? Error;
    const errorClass = this.errorChain(base, wire.className, wire.chain ?? []);
    const args = base === AggregateError ? [(wire.errors ?? []).map((inner) => this.decode(inner)), wire.message] : [wire.message];
    const error = Reflect.construct(base, args, errorClass) as Error;
    for (const [key, enumerable, value] of wire.own ?? []) {
      if (key === submissionErrorMark) continue; // only the judge sets it
      Object.defineProperty(error, key, { value: this.decode(value), enumerable, writable: true, configurable: true });
    }
    // Marks the error as the submission's for the reporter (vitest serializes every own property), so a hidden test never shows its text.
    Object.defineProperty(error, submissionErrorMark, { value: true, enumerable: false, writable: false, configurable: false });
    if (error.name !== wire.name) Object.defineProperty(error, "name", { value: wire.name, enumerable: false, writable: true, configurable: true });
    // The judge's stack says nothing about the student's code; this frame does.
    if (wire.location) {
      const { file, line, column } = wire.location;
      error.stack = `${error.name}: ${error.message}\n    at ${path.join(this.exercisesDir, file)}:${line}:${column}`;
    }
    return error;
  }

  /** The student's error classes between an error and the class both sides have, rebuilt here so instanceof and names read the same. */
  private errorChain(base: ErrorClass, baseName: string, chain: readonly ErrorClassLink[]): ErrorClass {
    let parent = base;
    let key = baseName;
    for (const link of [...chain].reverse()) {
      key = `${key}\u0000${link.className}\u0000${link.prototypeName ?? ""}`;
      let rebuilt = this.errorChains.get(key);
      if (!rebuilt) {
        const Parent = parent;
        rebuilt = { [link.className]: class extends Parent {} }[link.className] as ErrorClass;
        if (link.prototypeName !== undefined) Object.defineProperty(rebuilt.prototype, "name", { value: link.prototypeName, enumerable: true, writable: true, configurable: true });
        this.errorChains.set(key, rebuilt);
      }
      parent = rebuilt;
    }
    return parent;
  }

  private decodeThrown(wire: Wire): unknown {
    return wire !== null && typeof wire === "object" && wire.$ === "error" ? this.toError(wire) : this.decode(wire);
  }

  private remoteFunction(id: number): AnyFunction {
    const existing = this.functions.get(id);
    if (existing) return existing;
    const remote = this;
    const generation = this.link.generation;
    const fn = (...args: unknown[]) => {
      if (generation !== remote.link.generation) throw new SubmissionStopped("this function was lost when your code's process stopped");
      return remote.call({ op: "call-function", target: id, args: args.map((arg) => remote.encode(arg)) }, "a function your code returned");
    };
    this.functions.set(id, fn);
    this.remoteIdOf.set(fn, { id, generation });
    return fn;
  }

  private remotePromise(id: number): Promise<unknown> {
    const existing = this.promises.get(id);
    if (existing) return existing.promise;
    let resolve!: (value: unknown) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A rejection nobody awaits is the suite's business, not an unhandled error of the judge.
    promise.catch(() => {});
    const entry = { promise, resolve, reject, settled: false };
    this.promises.set(id, entry);
    this.pending += 1;
    this.scheduleDrain();
    this.watchPending(entry);
    return promise;
  }

  /**
   * A promise of the submission's that never settles would hold a test that
   * awaits it until vitest's own timeout, and the module past its time limit.
   * The judge looks every call deadline: a promise still pending while the
   * judge sent the submission nothing in all that time will not settle (only
   * a call can make the submission's code run), and is rejected in the
   * judge's words. A test still at work (another call, a tick of its clock
   * that reaches the submission) keeps it waiting, however long.
   */
  private watchPending(entry: { reject: (reason: unknown) => void; settled: boolean }): void {
    const look = (requestsThen: number) => {
      if (entry.settled) return;
      const requestsNow = this.link.requestsSent;
      if (requestsNow !== requestsThen) {
        realSetTimeout(() => look(requestsNow), callTimeoutMs).unref();
        return;
      }
      entry.settled = true;
      this.pending -= 1;
      entry.reject(new SubmissionStopped(`your code's promise did not settle: the test waited ${callTimeoutMs / 1000} s for it while nothing else happened (does it wait for something that never comes?)`));
    };
    const requestsNow = this.link.requestsSent;
    realSetTimeout(() => look(requestsNow), callTimeoutMs).unref();
  }

  private settle(settlement: Settlement): void {
    // A promise may settle before the answer that hands it over is decoded.
    this.remotePromise(settlement.promise);
    const entry = this.promises.get(settlement.promise)!;
    if (entry.settled) return;
    entry.settled = true;
    this.pending -= 1;
    if (settlement.fulfilled) entry.resolve(this.decode(settlement.value));
    else entry.reject(this.decodeThrown(settlement.value));
  }

  private runCallback(target: number, args: Wire[]): Outcome {
    const fn = this.judgeById.get(target);
    try {
      if (typeof fn !== "function") throw new TypeError("your code called something that is not a function");
      const result = (fn as AnyFunction)(...args.map((arg) => this.decode(arg)));
      return { ok: true, value: this.encode(result) };
    } catch (error) {
      return { ok: false, error: this.encode(error) };
    }
  }

  // --- Live objects -----------------------------------------------------------

  private liveProxy(wire: Extract<Wire, { $: "live" }>): object {
    let proxy = this.proxies.get(wire.id);
    if (!proxy) {
      const state: LiveState = { id: wire.id, generation: this.link.generation, epoch: -1, own: new Map(), inherited: new Map(), target: wire.array ? [] : {}, frozen: false };
      proxy = new Proxy(state.target, this.traps(state));
      this.states.set(proxy, state);
      this.remoteIdOf.set(proxy, { id: wire.id, generation: this.link.generation });
      this.proxies.set(wire.id, proxy);
    }
    if (wire.snapshot) this.store(this.states.get(proxy)!, wire.snapshot);
    return proxy;
  }

  private store(state: LiveState, snapshot: Snapshot): void {
    if (state.frozen) return;
    state.epoch = this.link.epoch;
    state.own = new Map(snapshot.own.map(([key, enumerable, value]) => [key, { enumerable, wire: value }]));
    state.inherited = new Map(snapshot.inherited);
    // The object's class chain, as stand-ins: getters found on its prototypes, and the names of its classes.
    const prototype = this.prototypeChain(snapshot.prototypes ?? [], Array.isArray(state.target));
    if (Object.getPrototypeOf(state.target) !== prototype) Object.setPrototypeOf(state.target, prototype);
    if (snapshot.frozen) {
      // Object.isFrozen and assignment must read as they do in one process; a proxy can only say so of a frozen target.
      for (const [key, { enumerable, wire }] of state.own) {
        Object.defineProperty(state.target, key, { value: this.decode(wire), enumerable, writable: false, configurable: false });
      }
      Object.freeze(state.target);
      state.frozen = true;
    }
  }

  /**
   * A stand-in for each prototype of a submission object's class chain: its
   * constructor's name and its accessors, whose values the object's snapshot
   * holds. Instances of one class share one chain, as they do in one process.
   */
  private prototypeChain(links: readonly PrototypeLink[], array: boolean): object {
    let parent: object = array ? Array.prototype : Object.prototype;
    for (const link of [...links].reverse()) {
      let standIn = this.prototypes.get(link.id);
      if (!standIn) {
        standIn = Object.create(parent) as object;
        const constructor = { [link.className]: function () {} }[link.className] as AnyFunction;
        Object.defineProperty(constructor, "prototype", { value: standIn });
        Object.defineProperty(standIn, "constructor", { value: constructor, enumerable: false, writable: true, configurable: true });
        const remote = this;
        for (const [key, enumerable] of link.accessors) {
          Object.defineProperty(standIn, key, {
            enumerable,
            configurable: true,
            get(this: object) {
              const state = remote.states.get(this);
              if (!state) return undefined;
              const value = remote.current(state).inherited.get(key);
              return value === undefined ? undefined : remote.decode(value);
            },
          });
        }
        this.prototypes.set(link.id, standIn);
      }
      parent = standIn;
    }
    return parent;
  }

  /** The state as of now: a snapshot taken since the last change, or a fresh one. */
  private current(state: LiveState): LiveState {
    if (state.frozen) return state;
    if (state.generation !== this.link.generation) throw new SubmissionStopped("this object was lost when your code's process stopped");
    // Decoding the answer stores the new snapshot.
    if (state.epoch !== this.link.epoch) this.call({ op: "snapshot", target: state.id }, "reading one of your objects", callTimeoutMs, false);
    return state;
  }

  private traps(state: LiveState): ProxyHandler<object> {
    const remote = this;
    const read = (key: string): { found: boolean; value?: unknown } => {
      const now = remote.current(state);
      const own = now.own.get(key);
      if (own) return { found: true, value: remote.decode(own.wire) };
      if (now.inherited.has(key)) return { found: true, value: remote.decode(now.inherited.get(key)!) };
      return { found: false };
    };
    return {
      get(target, key, receiver) {
        if (typeof key === "symbol" || state.frozen) return Reflect.get(target, key, receiver);
        const found = read(key);
        return found.found ? found.value : Reflect.get(target, key, receiver);
      },
      has(target, key) {
        if (typeof key === "symbol" || state.frozen) return Reflect.has(target, key);
        return read(key).found || Reflect.has(target, key);
      },
      ownKeys(target) {
        if (state.frozen) return Reflect.ownKeys(target);
        const keys = [...remote.current(state).own.keys()];
        for (const key of Reflect.ownKeys(target)) if (!keys.includes(key as string)) keys.push(key as string);
        return keys;
      },
      getOwnPropertyDescriptor(target, key) {
        if (typeof key === "symbol" || state.frozen) return Reflect.getOwnPropertyDescriptor(target, key);
        const own = remote.current(state).own.get(key);
        const local = Reflect.getOwnPropertyDescriptor(target, key);
        if (!own) return local;
        return { value: remote.decode(own.wire), writable: true, enumerable: own.enumerable, configurable: local ? local.configurable : true };
      },
      set(_target, key, value) {
        if (typeof key === "symbol" || state.frozen) return false;
        remote.current(state);
        return remote.call({ op: "set", target: state.id, key, value: remote.encode(value) }, "changing one of your objects") === true;
      },
      defineProperty(_target, key, descriptor) {
        if (typeof key === "symbol" || state.frozen || !("value" in descriptor)) return false;
        remote.current(state);
        return remote.call({ op: "set", target: state.id, key, value: remote.encode(descriptor.value) }, "changing one of your objects") === true;
      },
      deleteProperty(_target, key) {
        if (state.frozen) return false;
        if (typeof key === "symbol") return true;
        remote.current(state);
        return remote.call({ op: "delete", target: state.id, key }, "changing one of your objects") === true;
      },
    };
  }
}

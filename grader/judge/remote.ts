import path from "node:path";
import { encodePrimitive, type Outcome, type Request, type Settlement, type Snapshot, type Wire, type WireError } from "../submission/protocol.ts";
import { SubmissionStopped, SubmissionLink, type LaunchSpec } from "./submission-link.ts";

/** What the suites may use of one exercise file, read from the course's own stub. */
export interface FileSurface {
  /** The file's name without extension, as the submission process knows it. */
  stem: string;
  classes: Array<{ name: string; methods: string[]; properties: string[]; isError: boolean }>;
  functions: string[];
}

type AnyFunction = (...args: unknown[]) => unknown;
type RemoteClass = new (...args: unknown[]) => object;

const builtinErrors: Record<string, ErrorConstructor> = {
  Error,
  RangeError,
  TypeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** A live object's snapshot, decoded lazily, valid for one epoch. */
interface LiveState {
  id: number;
  generation: number;
  epoch: number;
  own: Map<string, { enumerable: boolean; wire: Wire }>;
  inherited: Map<string, Wire>;
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
  private loadError: Error | null = null;

  constructor(
    launch: LaunchSpec,
    /** Where the workspace would hold the student's files: a thrown error's stack points there, so annotations find the line. */
    private readonly exercisesDir: string,
  ) {
    this.link = new SubmissionLink(
      launch,
      {
        callback: (target, args) => this.runCallback(target, args),
        settle: (settlement) => this.settle(settlement),
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
    try {
      const outcome = this.link.request({ op: "load" }, callTimeoutMs, "while loading", true);
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
      exports[name] = {
        [name](...args: unknown[]) {
          return remote.call({ op: "call-export", name: qualified, args: args.map((arg) => remote.encode(arg)) }, `${name}()`);
        },
      }[name];
    }
    return exports;
  }

  private errorClass(name: string): RemoteClass {
    // The judge's own class: errors the submission throws of its class arrive as this one.
    const errorClass = {
      [name]: class extends Error {
        constructor(message?: string) {
          super(message);
          this.name = name;
        }
      },
    }[name] as RemoteClass;
    return errorClass;
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

  workload(name: string, options: unknown, timeoutMs: number): unknown {
    return this.call({ op: "workload", name, options: this.encode(options) }, `workload ${name}`, timeoutMs);
  }

  // --- Values ---------------------------------------------------------------

  encode(value: unknown, seen = new Set<object>()): Wire {
    const primitive = encodePrimitive(value);
    if (primitive !== null) return primitive;
    if (value === null) return null;
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
    return { $: "copy", id, array: Array.isArray(object), entries };
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
        throw new TypeError(`your code's process sent a value it cannot send (${wire.$})`);
    }
  }

  /** An error the submission threw: the judge's own class, so instanceof works; its message is the submission's text. */
  private toError(wire: Wire): Error {
    if (wire === null || typeof wire !== "object" || wire.$ !== "error") return new Error(String(this.decode(wire)));
    const ownClass = this.classes.get(wire.className);
    let error: Error;
    if (wire.className === "AggregateError") error = new AggregateError((wire.errors ?? []).map((inner) => this.decode(inner)), wire.message);
    else if (ownClass) error = new ownClass(wire.message) as Error;
    else error = new (builtinErrors[wire.className] ?? Error)(wire.message);
    if (error.name !== wire.name) error.name = wire.name;
    // The judge's stack says nothing about the student's code; this frame does.
    if (wire.location) {
      const { file, line, column } = wire.location;
      error.stack = `${error.name}: ${error.message}\n    at ${path.join(this.exercisesDir, file)}:${line}:${column}`;
    }
    return error;
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
    this.promises.set(id, { promise, resolve, reject, settled: false });
    this.pending += 1;
    this.scheduleDrain();
    return promise;
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
      const state: LiveState = { id: wire.id, generation: this.link.generation, epoch: -1, own: new Map(), inherited: new Map() };
      proxy = new Proxy(wire.array ? [] : {}, this.traps(state));
      this.states.set(proxy, state);
      this.remoteIdOf.set(proxy, { id: wire.id, generation: this.link.generation });
      this.proxies.set(wire.id, proxy);
    }
    if (wire.snapshot) this.store(this.states.get(proxy)!, wire.snapshot);
    return proxy;
  }

  private store(state: LiveState, snapshot: Snapshot): void {
    state.epoch = this.link.epoch;
    state.own = new Map(snapshot.own.map(([key, enumerable, value]) => [key, { enumerable, wire: value }]));
    state.inherited = new Map(snapshot.inherited);
  }

  /** The state as of now: a snapshot taken since the last change, or a fresh one. */
  private current(state: LiveState): LiveState {
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
        if (typeof key === "symbol") return Reflect.get(target, key, receiver);
        const found = read(key);
        return found.found ? found.value : Reflect.get(target, key, receiver);
      },
      has(target, key) {
        if (typeof key === "symbol") return Reflect.has(target, key);
        return read(key).found || Reflect.has(target, key);
      },
      ownKeys(target) {
        const keys = [...remote.current(state).own.keys()];
        for (const key of Reflect.ownKeys(target)) if (!keys.includes(key as string)) keys.push(key as string);
        return keys;
      },
      getOwnPropertyDescriptor(target, key) {
        if (typeof key === "symbol") return Reflect.getOwnPropertyDescriptor(target, key);
        const own = remote.current(state).own.get(key);
        const local = Reflect.getOwnPropertyDescriptor(target, key);
        if (!own) return local;
        return { value: remote.decode(own.wire), writable: true, enumerable: own.enumerable, configurable: local ? local.configurable : true };
      },
      set(_target, key, value) {
        if (typeof key === "symbol") return false;
        remote.current(state);
        return remote.call({ op: "set", target: state.id, key, value: remote.encode(value) }, "changing one of your objects") === true;
      },
      defineProperty(_target, key, descriptor) {
        if (typeof key === "symbol" || !("value" in descriptor)) return false;
        remote.current(state);
        return remote.call({ op: "set", target: state.id, key, value: remote.encode(descriptor.value) }, "changing one of your objects") === true;
      },
      deleteProperty(_target, key) {
        if (typeof key === "symbol") return true;
        remote.current(state);
        return remote.call({ op: "delete", target: state.id, key }, "changing one of your objects") === true;
      },
    };
  }
}

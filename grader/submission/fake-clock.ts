/**
 * Virtual time for the submission process, installed when a suite asks for
 * it: setTimeout, setInterval and Date follow a clock that moves only when
 * the judge advances it, as vitest's fake timers do in the test's own process.
 */

interface Timer {
  id: number;
  due: number;
  order: number;
  callback: () => void;
  repeatMs: number | null;
}

type TimerHandle = { readonly fakeTimerId: number; ref(): TimerHandle; unref(): TimerHandle; hasRef(): boolean };

const real = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  Date: globalThis.Date,
};

export class FakeClock {
  private now = 0;
  private timers = new Map<number, Timer>();
  private nextId = 1;
  private order = 0;
  private installed = false;

  install(now: number): void {
    this.now = now;
    this.timers.clear();
    if (this.installed) return;
    this.installed = true;
    const clock = this;
    const RealDate = real.Date;
    // A Date whose "now" is the virtual time; every other use of Date is unchanged.
    const FakeDate = function (this: unknown, ...args: unknown[]) {
      if (!new.target) return new RealDate(clock.now).toString();
      return args.length === 0 ? new RealDate(clock.now) : new RealDate(...(args as [number]));
    } as unknown as DateConstructor;
    Object.setPrototypeOf(FakeDate, RealDate);
    Object.defineProperty(FakeDate, "prototype", { value: RealDate.prototype });
    FakeDate.now = () => clock.now;
    const g = globalThis as unknown as Record<string, unknown>;
    g["Date"] = FakeDate;
    g["setTimeout"] = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => this.add(callback, ms, args, false);
    g["setInterval"] = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => this.add(callback, ms, args, true);
    g["clearTimeout"] = (handle: unknown) => this.remove(handle);
    g["clearInterval"] = (handle: unknown) => this.remove(handle);
  }

  uninstall(): void {
    this.timers.clear();
    if (!this.installed) return;
    this.installed = false;
    Object.assign(globalThis, real);
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in due order. */
  advance(ms: number): void {
    const target = this.now + Math.max(0, ms);
    for (;;) {
      let next: Timer | undefined;
      for (const timer of this.timers.values()) {
        if (timer.due <= target && (!next || timer.due < next.due || (timer.due === next.due && timer.order < next.order))) next = timer;
      }
      if (!next) break;
      this.now = Math.max(this.now, next.due);
      if (next.repeatMs === null) this.timers.delete(next.id);
      else {
        next.due += next.repeatMs;
        next.order = this.order++;
      }
      next.callback();
    }
    this.now = target;
  }

  private add(callback: (...args: unknown[]) => void, ms: number | undefined, args: unknown[], repeat: boolean): TimerHandle {
    const delay = Math.max(0, Number(ms) || 0);
    const id = this.nextId++;
    // Node runs an interval of 0 ms every 1 ms; so does this clock, so it cannot spin forever.
    const repeatMs = repeat ? Math.max(1, delay) : null;
    this.timers.set(id, { id, due: this.now + delay, order: this.order++, callback: () => callback(...args), repeatMs });
    const handle: TimerHandle = {
      fakeTimerId: id,
      ref: () => handle,
      unref: () => handle,
      hasRef: () => true,
    };
    return handle;
  }

  private remove(handle: unknown): void {
    const id = typeof handle === "number" ? handle : (handle as Partial<TimerHandle> | null)?.fakeTimerId;
    if (typeof id === "number") this.timers.delete(id);
  }
}

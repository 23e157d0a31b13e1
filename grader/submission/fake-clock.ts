/**
 * Virtual time for the submission process, installed when a suite asks for
 * it. It is the very library vitest's fake timers are (@sinonjs/fake-timers,
 * the version vitest 4.1 bundles), installed with vitest's own settings, so
 * the student's code meets the same clock here as in the test's process:
 * the same timer handles (Node's `ref`, `unref`, `hasRef`, `refresh` and a
 * numeric id through `Number(handle)`, which `clearTimeout` accepts), the
 * same treatment of fractional and huge delays, the same order at one instant.
 */
import FakeTimers, { type FakeMethod } from "@sinonjs/fake-timers";

// Made before the student's code loads, from the real globals: a submission
// that replaces setTimeout later cannot change what the clock installs over.
const timers = FakeTimers.withGlobal(globalThis);
/** What vitest fakes by default: everything but nextTick and queueMicrotask. */
const toFake = Object.keys(timers.timers).filter((name) => name !== "nextTick" && name !== "queueMicrotask") as FakeMethod[];

export class FakeClock {
  private clock: ReturnType<typeof timers.install> | null = null;

  /** As vi.useFakeTimers: a clock already installed is replaced, its timers dropped. */
  install(now: number): void {
    this.uninstall();
    // vitest's defaults for fakeTimers (loopLimit, shouldClearNativeTimers) and its own install options.
    this.clock = timers.install({ now, toFake, loopLimit: 10_000, shouldClearNativeTimers: true, ignoreMissingTimers: true });
  }

  uninstall(): void {
    this.clock?.uninstall();
    this.clock = null;
  }

  /** As vi.advanceTimersByTime: moves time forward, firing every timer that falls due, in order. */
  advance(ms: number): void {
    this.clock?.tick(ms);
  }
}

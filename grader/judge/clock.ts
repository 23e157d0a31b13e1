import { vi } from "vitest";
import { currentRemote } from "./remote-module.ts";

// The judge's version of tests/support/clock.ts: the same three calls move
// the submission's virtual clock, and the suite's own, together.

export function useFakeClock(now?: number): void {
  vi.useFakeTimers(now === undefined ? undefined : { now });
  currentRemote().clock({ op: "clock", action: "install", now: Date.now() });
}

export function advanceClock(ms: number): void {
  vi.advanceTimersByTime(ms);
  currentRemote().clock({ op: "clock", action: "advance", ms });
}

export function useRealClock(): void {
  vi.useRealTimers();
  currentRemote().clock({ op: "clock", action: "uninstall" });
}

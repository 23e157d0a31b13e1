import { expect, test, vi } from "vitest";
import { VisibilityQueue } from "@exercise/03-visibility-timeout/visibility-queue";

// The worked example of this module's README, one line per row of its table.
// Run it with `npx vitest run lessons/03`: it passes once your queue follows
// the rules. Ids and handles are yours to choose, so the checks compare them
// with each other, never with "msg-1" or "receipt-1".
test("module 03 worked example", () => {
  vi.useFakeTimers({ now: 0 });
  try {
    const at = (t: number) => vi.advanceTimersByTime(t - Date.now()); // move the clock to t
    const show = <V>(value: V): V => {
      console.log(`t = ${Date.now()}:`, value);
      return value;
    };

    const queue = new VisibilityQueue<string>({ visibilityTimeoutMs: 30_000 });
    const id = show(queue.send("email invoice 1042"));
    const a = show(queue.receive()); // worker A
    expect(a).toMatchObject({ id, body: "email invoice 1042", receiveCount: 1 });
    at(10_000); expect(show(queue.receive())).toBeNull();
    at(30_000); const b = show(queue.receive()); // worker B
    expect(b).toMatchObject({ id, receiveCount: 2 });
    expect(b?.receiptHandle).not.toBe(a?.receiptHandle);
    at(40_000); expect(show(queue.ack(a?.receiptHandle ?? ""))).toBe(false);
    at(50_000); expect(show(queue.changeVisibility(b?.receiptHandle ?? "", 60_000))).toBe(true);
    at(100_000); expect(show(queue.receive())).toBeNull();
    at(105_000); expect(show(queue.ack(b?.receiptHandle ?? ""))).toBe(true);
    expect(show(queue.stats())).toMatchObject({ visible: 0, inFlight: 0 });
  } finally {
    vi.useRealTimers();
  }
});

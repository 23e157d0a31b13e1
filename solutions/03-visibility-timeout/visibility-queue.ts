/**
 * A queue with at-least-once delivery: a received message is leased, not removed.
 *
 * `receive` hides a message for the visibility timeout and hands out a receipt
 * handle for that one receive. Only `ack` with that handle, before the timeout
 * ends, deletes the message. If the consumer crashes or is too slow, the lease
 * runs out and the message is simply visible again, in its original place.
 *
 * This version never uses timers. Each message remembers the instant it becomes
 * visible (`visibleAt`), and every method compares that with `Date.now()` when
 * it is called. A message is in flight while `Date.now() < visibleAt`, so at
 * exactly `visibleAt` it is visible again and its receipt handle has expired:
 * the same instant at which a `setTimeout(…, timeoutMs)` would fire.
 */

export interface Delivery<T> {
  /** Stable message id, unique within the queue: the same on every redelivery. */
  id: string;
  body: T;
  /** New and unique for every receive; `ack` and `changeVisibility` need it. */
  receiptHandle: string;
  /** 1 on the first receive, 2 on the first redelivery, and so on. */
  receiveCount: number;
}

interface StoredMessage<T> {
  id: string;
  body: T;
  receiveCount: number;
  /** The handle of the latest receive; null until the first one. */
  receiptHandle: string | null;
  /** Visible when `Date.now() >= visibleAt`; -Infinity for a message never received. */
  visibleAt: number;
}

const DEFAULT_VISIBILITY_TIMEOUT_MS = 30_000;
/** 12 hours, the same ceiling as Amazon SQS. */
const MAX_VISIBILITY_TIMEOUT_MS = 43_200_000;

function checkTimeout(timeoutMs: number): void {
  // Written as "not inside the range" so that NaN, which fails every comparison, is rejected too.
  if (!(timeoutMs >= 0 && timeoutMs <= MAX_VISIBILITY_TIMEOUT_MS)) {
    throw new RangeError(`a visibility timeout must be between 0 and ${MAX_VISIBILITY_TIMEOUT_MS} ms, got ${timeoutMs}`);
  }
}

export class VisibilityQueue<T = unknown> {
  private readonly visibilityTimeoutMs: number;
  /**
   * Every message not yet acked, in send order. A Map keeps insertion order and
   * a redelivered message is never re-inserted, so an expired message is still
   * ahead of everything sent after it: "its original place" comes for free.
   */
  private readonly messages = new Map<string, StoredMessage<T>>();
  /** Receipt handle -> message. Only a message's latest handle is kept here. */
  private readonly byHandle = new Map<string, StoredMessage<T>>();
  private sent = 0;
  private receives = 0;

  constructor(options?: { visibilityTimeoutMs?: number }) {
    const timeoutMs = options?.visibilityTimeoutMs ?? DEFAULT_VISIBILITY_TIMEOUT_MS;
    checkTimeout(timeoutMs);
    this.visibilityTimeoutMs = timeoutMs;
  }

  /** Adds a message at the back of the queue and returns its id. */
  send(body: T): string {
    this.sent += 1;
    const id = `msg-${this.sent}`;
    this.messages.set(id, { id, body, receiveCount: 0, receiptHandle: null, visibleAt: -Infinity });
    return id;
  }

  /**
   * Leases the visible message that was sent earliest, or returns null when
   * every message is in flight (or there are none).
   */
  receive(): Delivery<T> | null {
    const now = Date.now();
    for (const message of this.messages.values()) {
      if (message.visibleAt > now) continue;
      // The previous handle, if any, stops working: only the latest receive may ack.
      if (message.receiptHandle !== null) this.byHandle.delete(message.receiptHandle);
      this.receives += 1;
      const receiptHandle = `receipt-${this.receives}`;
      message.receiptHandle = receiptHandle;
      message.receiveCount += 1;
      message.visibleAt = now + this.visibilityTimeoutMs;
      this.byHandle.set(receiptHandle, message);
      // A fresh object: the caller's delivery must not change when the message is received again.
      return { id: message.id, body: message.body, receiptHandle, receiveCount: message.receiveCount };
    }
    return null;
  }

  /** Deletes the message if `receiptHandle` belongs to its latest receive and the lease has not run out. */
  ack(receiptHandle: string): boolean {
    const message = this.leased(receiptHandle);
    if (!message) return false;
    this.messages.delete(message.id);
    this.byHandle.delete(receiptHandle);
    return true;
  }

  /**
   * Restarts the lease so the message becomes visible `timeoutMs` after now
   * (0: visible at once). Consumers call this as a heartbeat while a long job runs.
   */
  changeVisibility(receiptHandle: string, timeoutMs: number): boolean {
    // A bad timeout is a bug in the caller, so it throws whatever state the handle is in.
    checkTimeout(timeoutMs);
    const message = this.leased(receiptHandle);
    if (!message) return false;
    message.visibleAt = Date.now() + timeoutMs;
    return true;
  }

  stats(): { visible: number; inFlight: number } {
    const now = Date.now();
    let inFlight = 0;
    for (const message of this.messages.values()) {
      if (message.visibleAt > now) inFlight += 1;
    }
    return { visible: this.messages.size - inFlight, inFlight };
  }

  /** The message leased under this handle, or undefined if the handle is unknown, stale, acked or expired. */
  private leased(receiptHandle: string): StoredMessage<T> | undefined {
    const message = this.byHandle.get(receiptHandle);
    if (!message || message.visibleAt <= Date.now()) return undefined;
    return message;
  }
}

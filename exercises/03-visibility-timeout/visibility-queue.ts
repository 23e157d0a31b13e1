/**
 * Module 03: a queue with visibility timeouts, receipt handles and acks.
 *
 * Read `lessons/03-visibility-timeout/README.md`, then make the public tests pass:
 *
 *     npm run exercise 03
 *
 * `receive` does not remove a message. It hides it for the visibility timeout
 * (a lease) and hands out a receipt handle for that one receive. `ack` with the
 * handle deletes the message. If nobody acks in time, the message becomes
 * visible again and another consumer gets it: at-least-once delivery.
 *
 * The rules the grader checks:
 * - [ids] `send(body)` adds a message and returns its id: a string, unique
 *   within the queue, that never changes, even when the message is
 *   delivered again.
 * - [earliest] `receive()` returns the visible message that was sent
 *   earliest, or `null` when no message is visible. The message then stays
 *   invisible for the queue's visibility timeout (`visibilityTimeoutMs`).
 * - [default-timeout] With no `visibilityTimeoutMs` (no options, or `{}`),
 *   the timeout is 30_000 ms. `0` is a timeout, not a missing one.
 * - [falsy] Falsy bodies (`0`, `""`, `false`, `null`) are messages too, and
 *   come back unchanged.
 * - [handles] Every receive gets a new receipt handle, a string never used
 *   before in this queue.
 * - [receive-count] `receiveCount` is 1 on a message's first receive and
 *   goes up by 1 on each receive of that message.
 * - [deliveries-fixed] Each delivery object describes its own receive:
 *   receiving the message again must not change a delivery you returned
 *   earlier.
 * - [original-place] A message that is not acked in time becomes visible
 *   again in its original place: ahead of every message sent after it.
 * - [ack] `ack(handle)` with a live handle (next rule) deletes the message
 *   and returns `true`: it is never delivered again.
 * - [live-handle] `ack(handle)` and `changeVisibility(handle, ms)` return
 *   `true` only for the handle of the message's latest receive, while that
 *   receive's timeout has not ended. Any other handle (unknown, already
 *   acked, stale because the message was received again, or expired)
 *   returns `false` and changes nothing.
 * - [change-visibility] `changeVisibility(handle, ms)` makes the message
 *   visible again `ms` after now (not after the receive): it can extend or
 *   shorten the lease, and the handle works until the new timeout ends.
 * - [stats] `stats()` returns an object with at least `visible` (messages
 *   waiting to be received) and `inFlight` (received, not acked, timeout not
 *   ended). Acked messages count in neither. Other fields, and getters, are
 *   allowed: the tests read only these two.
 * - [timeout-range] Timeouts are whole or fractional milliseconds from 0 to
 *   43_200_000 (12 hours). A negative timeout, `NaN`, or one above
 *   43_200_000 (`Infinity` too) throws a `RangeError`, in the constructor
 *   and in `changeVisibility`.
 * - [error-messages] Every error you throw has a message that says what was
 *   wrong (the words are yours; an empty message loses the point).
 * - [separate] Two queues never share messages, counts or timeouts, even
 *   when they are used together. A shared counter that only numbers ids or
 *   handles is harmless (they need only be unique within a queue); a
 *   `static` or module-level store of messages is not.
 * - [inputs-unchanged] The queue changes nothing it is given: a message
 *   body is stored and returned as it is (not stamped with an id or
 *   anything else), and the constructor's options object is left as it was
 *   (do not write the default into it).
 * - [memory] Memory follows what the queue holds: once a message is acked,
 *   the queue keeps nothing for it (no map of old receipt handles, no
 *   tombstones, no timer still pending: clear an acked message's timer).
 *   After many messages pass through a queue that holds a few (send,
 *   receive, ack; or receive, the lease runs out, receive again, ack), it
 *   uses no more memory than before. There is no speed rule: a scan over an
 *   array in send order is fine.
 *
 * Decisions the contract left open (the tests check them):
 * - [instant] The exact instant a timeout ends, for a whole number of
 *   milliseconds. A message received at time `t` with timeout `T` is
 *   invisible while `Date.now() < t + T`. At exactly `t + T` it is visible
 *   again: `receive` can return it, and `ack`/`changeVisibility` with that
 *   receive's handle return `false`. A `setTimeout(callback, T)` started at
 *   `t` fires at that same instant, so timers and `Date.now()` comparisons
 *   both work.
 * - [fractional] Fractional timeouts (such as 1500.5) are valid, and the
 *   instant one ends may round either way: a `setTimeout(callback, 1500.5)`
 *   fires at `t + 1500` (the tests' fake clock drops the fraction), while
 *   `Date.now() >= t + 1500.5` turns true at `t + 1501`. So the tests
 *   only check that the message is still hidden (its handle working) at
 *   `t + floor(T) - 1` and visible again (its handle expired) at
 *   `t + ceil(T)`, never the millisecond in between.
 * - [zero] Timeout 0, and `-0`, which is 0 (`-0 >= 0`).
 *   `changeVisibility(handle, 0)` makes the message visible at once, before
 *   it returns (so the next `receive` gets it), and the handle stops
 *   working. A queue built with `visibilityTimeoutMs: 0` hides nothing: a
 *   received message is visible again as soon as the clock moves on, however
 *   little (a 0 ms timer fires then; the tests look 1 ms later).
 * - [ties] Whenever several messages are visible, `receive` returns the one
 *   sent earliest, however and whenever they became visible. So two
 *   messages whose timeouts end at the same instant come back in the order
 *   they were sent.
 * - [check-order] `changeVisibility` checks `ms` first: a bad timeout throws
 *   `RangeError` even when the handle is unknown, stale or expired.
 *
 * Read time only with `Date.now()` or timers (`setTimeout`/`clearTimeout`):
 * the tests move a fake clock, and both styles pass.
 */

/** What `receive` returns: one delivery of one message. */
export interface Delivery<T> {
  /** Stable message id, unique within the queue: the same on every redelivery. */
  id: string;
  body: T;
  /** New and unique for every receive; `ack` and `changeVisibility` need it. */
  receiptHandle: string;
  /** 1 on the first receive, 2 on the first redelivery, and so on. */
  receiveCount: number;
}

export class VisibilityQueue<T = unknown> {
  /**
   * `visibilityTimeoutMs`: how long a received message stays invisible
   * (default 30_000). Throws `RangeError` unless it is from 0 to 43_200_000.
   */
  constructor(options?: { visibilityTimeoutMs?: number }) {
    throw new Error("TODO: the constructor should check options.visibilityTimeoutMs (default 30_000) and set up an empty queue");
  }

  /** Adds a message at the back of the queue and returns its new, unique id. */
  send(body: T): string {
    throw new Error("TODO: send(body) should store the message and return a new unique id");
  }

  /**
   * Returns the visible message that was sent earliest, with a new receipt
   * handle and its receive count, and hides it for the visibility timeout.
   * Returns `null` when no message is visible.
   */
  receive(): Delivery<T> | null {
    throw new Error("TODO: receive() should return the earliest-sent visible message and hide it for the visibility timeout, or null");
  }

  /**
   * Deletes the message and returns `true` if `receiptHandle` is the handle of
   * its latest receive and that receive's timeout has not ended; otherwise
   * returns `false` and changes nothing.
   */
  ack(receiptHandle: string): boolean {
    throw new Error("TODO: ack(receiptHandle) should delete the message if the handle is its latest, unexpired one");
  }

  /**
   * Makes the message visible again `timeoutMs` after now (0: at once) and
   * returns `true`, under the same handle rules as `ack`. Throws `RangeError`
   * for a timeout outside 0 to 43_200_000, before looking at the handle.
   */
  changeVisibility(receiptHandle: string, timeoutMs: number): boolean {
    throw new Error("TODO: changeVisibility(receiptHandle, timeoutMs) should restart the message's timeout from now");
  }

  /** How many messages are visible (waiting) and how many are in flight. */
  stats(): { visible: number; inFlight: number } {
    throw new Error("TODO: stats() should count visible and in-flight messages");
  }
}

import { randomInt } from "node:crypto";
import type { WorkloadName, WorkloadOptions, WorkloadResult } from "../../tests/support/workloads.ts";
import { currentRemote } from "./remote-module.ts";

/** Room past a workload's CPU budget before the judge stops waiting: a slow machine, a busy core. */
const wallSlack = 3;
/** A workload times at most two phases, each within its budget; its untimed setup and collections stay well under this. */
const timedPhases = 2;
const untimedCpuMs = 1_500;

/**
 * The judge's version of tests/support/workload.ts: the workload runs inside
 * the submission process, in one round trip, and the judge checks its result.
 * Its items are keyed by a seed drawn for this grading from 2^48 values, not
 * the suite's, so no answer can be prepared in advance or worked out from the
 * items seen so far. The submission's own meter runs
 * inside its process, where its code could stop it; the judge also reads the
 * process's CPU time from outside (/proc, through the watchdog) and fails a
 * workload that used more than all its phases may, whatever it answered.
 */
export async function runWorkload<Name extends WorkloadName>(name: Name, _exercise: unknown, options: WorkloadOptions<Name>): Promise<WorkloadResult<Name>> {
  const remote = currentRemote();
  const timeoutMs = options.budgetMs * wallSlack * 2 + 2_000;
  const before = remote.processCpu();
  const result = (await Promise.resolve(remote.workload(name, { ...options, seed: randomInt(2 ** 48 - 1) }, timeoutMs))) as WorkloadResult<Name>;
  const after = remote.processCpu();
  const allowedMs = options.budgetMs * timedPhases + untimedCpuMs;
  const usedMs = (after.seconds - before.seconds) * 1_000;
  if (after.generation === before.generation && usedMs > allowedMs) {
    throw new Error(
      `this speed check is too slow: measured outside your code's process, it used ${(usedMs / 1_000).toFixed(1)} s of CPU time, ` +
        `more than the ${(allowedMs / 1_000).toFixed(1)} s all its work may take`,
    );
  }
  return result;
}

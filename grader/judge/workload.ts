import type { WorkloadName, WorkloadOptions, WorkloadResult } from "../../tests/support/workloads.ts";
import { expect } from "vitest";
import { submissionErrorMark } from "./channel.ts";
import { currentRemote } from "./remote-module.ts";

/** Room past a workload's CPU budget before the judge stops waiting: a slow machine, a busy core. */
const wallSlack = 3;

/**
 * The judge's version of tests/support/workload.ts: the workload runs inside
 * the submission process, in one round trip, and the judge checks its result.
 * The judge times it from outside too, so a process that claims to be fast
 * but is not is stopped.
 *
 * In a hidden test, a budget that ran out is reported in the judge's own
 * words: the workload's message comes from the submission's process, which
 * could have written it, and a hidden test never shows such text. A public
 * test keeps the workload's message, which names the slow operation.
 */
export async function runWorkload<Name extends WorkloadName>(name: Name, _exercise: unknown, options: WorkloadOptions<Name>): Promise<WorkloadResult<Name>> {
  const timeoutMs = options.budgetMs * wallSlack * 2 + 2_000;
  try {
    return await Promise.resolve(currentRemote().workload(name, options, timeoutMs) as WorkloadResult<Name>);
  } catch (error) {
    const fromSubmission = error instanceof Error && (error as Error & Record<string, unknown>)[submissionErrorMark] === true;
    const hidden = /[\\/]tests[\\/]hidden[\\/]/.test(expect.getState().testPath ?? "");
    if (hidden && fromSubmission && / is too slow: /.test(error.message)) {
      throw new Error(
        `this workload is too slow: it did not finish within its budget of ${(options.budgetMs / 1_000).toFixed(1)} s of CPU time. ` +
          "The public test of the same rule names the slow operation.",
      );
    }
    throw error;
  }
}

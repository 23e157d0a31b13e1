import type { WorkloadName, WorkloadOptions, WorkloadResult } from "../../tests/support/workloads.ts";
import { currentRemote } from "./remote-module.ts";

/** Room past a workload's CPU budget before the judge stops waiting: a slow machine, a busy core. */
const wallSlack = 3;

/**
 * The judge's version of tests/support/workload.ts: the workload runs inside
 * the submission process, in one round trip, and the judge checks its result.
 * The judge times it from outside too, so a process that claims to be fast
 * but is not is stopped.
 */
export async function runWorkload<Name extends WorkloadName>(name: Name, _exercise: unknown, options: WorkloadOptions<Name>): Promise<WorkloadResult<Name>> {
  const timeoutMs = options.budgetMs * wallSlack * 2 + 2_000;
  return Promise.resolve(currentRemote().workload(name, options, timeoutMs) as WorkloadResult<Name>);
}

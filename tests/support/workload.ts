import { workloads, type WorkloadExports, type WorkloadName, type WorkloadOptions, type WorkloadResult } from "./workloads.ts";

/**
 * Runs a named workload (see workloads.ts) against the exercise the suite
 * imported. Here it runs in the test's own process; under the grader, the
 * same call runs it inside the submission's process instead.
 */
export function runWorkload<Name extends WorkloadName>(name: Name, exercise: WorkloadExports<Name>, options: WorkloadOptions<Name>): WorkloadResult<Name> {
  const workload = workloads[name] as unknown as { run(exercise: WorkloadExports<Name>, options: WorkloadOptions<Name>): WorkloadResult<Name> };
  return workload.run(exercise, options);
}

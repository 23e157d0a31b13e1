import { workloads, type WorkloadExports, type WorkloadName, type WorkloadOptions, type WorkloadResult } from "./workloads.ts";

/**
 * Runs a named workload (see workloads.ts) against the exercise the suite
 * imported. Here it runs in the test's own process; under the grader, the
 * same call runs it inside the submission's process instead. Await the
 * result: some workloads are asynchronous.
 */
export async function runWorkload<Name extends WorkloadName>(name: Name, exercise: WorkloadExports<Name>, options: WorkloadOptions<Name>): Promise<WorkloadResult<Name>> {
  const workload = workloads[name] as unknown as { run(exercise: WorkloadExports<Name>, options: WorkloadOptions<Name>): WorkloadResult<Name> | Promise<WorkloadResult<Name>> };
  return await workload.run(exercise, options);
}

import { taskQueueWorkloads } from "./workloads-01.ts";
import { priorityQueueWorkloads } from "./workloads-02.ts";
import { visibilityQueueWorkloads } from "./workloads-03.ts";
import { messageQueueWorkloads } from "./workloads-04.ts";
import { boundedQueueWorkloads } from "./workloads-05.ts";
import { topicWorkloads } from "./workloads-06.ts";

// Speed checks make hundreds of thousands of calls, too many to cross a
// process boundary one by one. Each is a named workload: the suite runs it
// here in the test's process, and the grader runs it inside the process that
// holds the submission, in one round trip. A workload returns only what it
// saw; the suite decides whether that is right. Items are keyed by a seed
// (see numbering in workload-kit.ts): the suite's own here, one the judge
// draws for each grading there, so no answer can be prepared in advance.
// Each module keeps its workloads in a file of its own (workloads-NN.ts).

export { fallingPriority } from "./workloads-02.ts";

export const workloads = {
  ...taskQueueWorkloads,
  ...priorityQueueWorkloads,
  ...visibilityQueueWorkloads,
  ...messageQueueWorkloads,
  ...boundedQueueWorkloads,
  ...topicWorkloads,
};

export type WorkloadName = keyof typeof workloads;
export type WorkloadExports<Name extends WorkloadName> = Parameters<(typeof workloads)[Name]["run"]>[0];
export type WorkloadOptions<Name extends WorkloadName> = Parameters<(typeof workloads)[Name]["run"]>[1];
export type WorkloadResult<Name extends WorkloadName> = Awaited<ReturnType<(typeof workloads)[Name]["run"]>>;

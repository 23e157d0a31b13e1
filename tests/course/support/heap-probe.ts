// Run by tests/course/heap-measurement.test.ts in a process of its own, with
// the V8 options under test: module 02's public speed workload, then its
// memory workload, on a queue that keeps a bucket for every priority it has
// seen. Prints the bytes the memory workload says the queue kept.
import { PriorityQueue } from "../../fixtures/submissions/02-wrong-keeps-empty-buckets/exercises/02-priority-queue/priority-queue.ts";
import { workloads } from "../../support/workloads.ts";

const exercise = { PriorityQueue } as never;
workloads["priority-queue-interleaved"].run(exercise, { waiting: 120_000, rounds: 30_000, budgetMs: 60_000, seed: 9 });
const { retainedBytes } = workloads["priority-queue-steady"].run(exercise, { count: 40_000, backlog: 3, budgetMs: 60_000, seed: 13 });
process.stdout.write(`${retainedBytes}\n`);

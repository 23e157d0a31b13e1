/**
 * V8 options for every process where the memory checks run (the submission
 * process, the judge's and the student's test processes).
 *
 * A memory check weighs the heap before and after a workload. With V8's
 * default background compiler, a compile job for the previous test's code can
 * still be pending when the check starts, and the job holds that code's
 * closures, so the previous test's queue counts as live in "before" and is
 * freed during the workload: a queue that leaks looks as if it kept nothing.
 * On a busy machine that happened about once in thirty runs. Compiling on the
 * main thread leaves no job pending; the CPU time is the same, since the
 * checks count every thread's. Only a command-line flag works: V8 makes its
 * compiler thread when it starts.
 */
export const heapMeasurementFlags = ["--no-concurrent-recompilation"];

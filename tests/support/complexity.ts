/**
 * Runs `operation` `count` times in chunks and fails as soon as the work is
 * clearly too slow, so an O(n) implementation fails in a few seconds instead
 * of hanging the grader for minutes.
 *
 * The budget is CPU time, not wall time: on a busy machine (a CI runner
 * grading several modules at once) a correct queue waits for a core, and
 * wall time would fail it for that. CPU time only grows while the work runs.
 */
export function runWithinBudget(options: {
  count: number;
  budgetMs: number;
  operation: (index: number) => void;
  describe: string;
  chunk?: number;
  /** How fast each operation should be, for the failure message. */
  expected?: string;
}): void {
  const { count, budgetMs, operation, describe } = options;
  const expected = options.expected ?? "constant time no matter how many tasks are waiting";
  const chunk = options.chunk ?? 1_000;
  const started = process.cpuUsage();
  for (let done = 0; done < count; ) {
    const end = Math.min(count, done + chunk);
    for (let index = done; index < end; index++) operation(index);
    done = end;
    const used = process.cpuUsage(started);
    const elapsed = (used.user + used.system) / 1_000;
    if (elapsed > budgetMs && done < count) {
      const projectedSeconds = ((elapsed / done) * count) / 1_000;
      throw new Error(
        `${describe} is too slow: ${done.toLocaleString("en-US")} of ${count.toLocaleString("en-US")} took ` +
          `${(elapsed / 1_000).toFixed(1)} s of CPU time (about ${projectedSeconds.toFixed(0)} s for all of them). ` +
          `Each operation should take ${expected}.`,
      );
    }
  }
}

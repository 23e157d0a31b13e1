/**
 * Runs `operation` `count` times in chunks and fails as soon as the work is
 * clearly too slow, so an O(n) implementation fails in a few seconds instead
 * of hanging the grader for minutes.
 *
 * The budget is CPU time, not wall time: on a busy machine (a CI runner
 * grading several modules at once) a correct queue waits for a core, and
 * wall time would fail it for that. CPU time only grows while the work runs.
 * Wall time still stops a phase at three times the budget, so a slow queue
 * on a busy machine cannot run past the module's time limit, and a phase
 * whose pace would need four times the budget stops after a quarter of it.
 */
/**
 * How much longer speed checks may take. Coverage and mutation runs
 * (npm test's coverage check, npm run mutation) instrument the code, which
 * makes it several times slower; they set MQ_SPEED_BUDGET_SCALE. The grader
 * never passes it on, so grading always uses the real budgets.
 */
export const budgetScale = Math.max(1, Number(process.env["MQ_SPEED_BUDGET_SCALE"]) || 1);

interface BudgetOptions {
  count: number;
  budgetMs: number;
  describe: string;
  chunk?: number;
  /** How fast each operation should be, for the failure message. */
  expected?: string;
  /**
   * Set when this phase only fills the queue for the operation a test times
   * (say "dequeue"): a failure then names the slow operation and says the
   * timed one was never reached, instead of reading like the timed one's.
   */
  setupFor?: string;
}

// Taken when this file loads, before any submission code: code that replaces
// process.cpuUsage or performance.now later cannot stop this meter.
const cpuUsage = process.cpuUsage.bind(process);
const now = performance.now.bind(performance);

/** Watches one phase's CPU and wall time; `check` throws once the phase is clearly too slow. */
function budgetMeter(options: BudgetOptions): (done: number) => void {
  const { count } = options;
  const describe = options.setupFor ? `${options.setupFor} was not timed: filling the queue first, ${options.describe}` : options.describe;
  const budgetMs = options.budgetMs * budgetScale;
  const expected = options.expected ?? "constant time no matter how many tasks are waiting";
  const started = cpuUsage();
  const wallStarted = now();
  return (done) => {
    const used = cpuUsage(started);
    const elapsed = (used.user + used.system) / 1_000;
    const wall = now() - wallStarted;
    if (wall > budgetMs * 3 && done < count) {
      throw new Error(
        `${describe} is too slow: ${done.toLocaleString("en-US")} of ${count.toLocaleString("en-US")} took ` +
          `${(wall / 1_000).toFixed(1)} s (${(elapsed / 1_000).toFixed(1)} s of CPU time). Each operation should take ${expected}.`,
      );
    }
    // A queue far too slow for the budget is clear well before the budget runs out.
    const hopeless = elapsed > budgetMs / 4 && (elapsed / done) * count > budgetMs * 4;
    if ((elapsed > budgetMs || hopeless) && done < count) {
      const projectedSeconds = ((elapsed / done) * count) / 1_000;
      throw new Error(
        `${describe} is too slow: ${done.toLocaleString("en-US")} of ${count.toLocaleString("en-US")} took ` +
          `${(elapsed / 1_000).toFixed(1)} s of CPU time (about ${projectedSeconds.toFixed(0)} s for all of them). ` +
          `Each operation should take ${expected}.`,
      );
    }
  };
}

export function runWithinBudget(options: BudgetOptions & { operation: (index: number) => void }): void {
  const { count, operation } = options;
  const chunk = options.chunk ?? 1_000;
  const check = budgetMeter(options);
  for (let done = 0; done < count; ) {
    const end = Math.min(count, done + chunk);
    for (let index = done; index < end; index++) operation(index);
    done = end;
    check(done);
  }
}

// Taken before any test can install fake timers.
const realSetImmediate = globalThis.setImmediate;

/**
 * The same for promise-based code. `operation` only starts calls and never
 * awaits them, so a promise that never settles cannot hang the phase; after
 * each chunk the promise callbacks run (they count against the budget), and
 * the caller checks afterwards what settled.
 */
export async function runWithinBudgetAsync(options: BudgetOptions & { operation: (index: number) => void }): Promise<void> {
  const { count, operation } = options;
  const chunk = options.chunk ?? 1_000;
  const check = budgetMeter(options);
  for (let done = 0; done < count; ) {
    const end = Math.min(count, done + chunk);
    for (let index = done; index < end; index++) operation(index);
    done = end;
    await new Promise<void>((resolve) => realSetImmediate(resolve));
    check(done);
  }
}

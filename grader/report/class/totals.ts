import type { Gradebook, GradebookModule, GradebookRow, GradeReport, LatePolicy, RowLateness, RowTotal } from "../types.ts";

const dayMs = 24 * 60 * 60 * 1000;

/** Two decimals, so that 0.1 × 3 reads 0.3 and every output agrees on the digits. */
function twoDecimals(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A total or a percentage as a cell shows it: at most two decimals, no trailing zeros. */
export function formatAmount(value: number): string {
  return String(twoDecimals(value));
}

/** When late work stops counting: the deadline plus the policy's days. */
export function lateUntil(deadline: string, policy: LatePolicy): string {
  return new Date(Date.parse(deadline) + policy.maxDaysLate * dayMs).toISOString();
}

/** Started days from the deadline to a commit: 0 up to the deadline itself, 1 from one millisecond after it to a day after it, and so on. */
export function lateDays(committedAt: string, deadline: string): number {
  const past = Date.parse(committedAt) - Date.parse(deadline);
  return past <= 0 ? 0 : Math.ceil(past / dayMs);
}

/** Percent of the total that many late days cost, at most all of it. */
export function latePenaltyPercent(days: number, policy: LatePolicy): number {
  return Math.min(100, twoDecimals(days * policy.penaltyPercentPerDay));
}

/** Whether the gradebook's total is a weighted average: every module has a weight (course.json gives all or none). */
export function isWeighted(modules: readonly GradebookModule[]): boolean {
  return modules.length > 0 && modules.every((module) => module.weight !== undefined);
}

/** The weighted average of a report's module percentages, 0 to 100; null when the modules are not weighted. */
export function weightedPercent(report: GradeReport, modules: readonly GradebookModule[]): number | null {
  if (!isWeighted(modules)) return null;
  let weighted = 0;
  let weights = 0;
  for (const module of modules) {
    const weight = module.weight ?? 0;
    const score = report.modules.find((graded) => graded.id === module.id)?.score ?? 0;
    // A module worth no points is complete, as a scorecard's percentage counts it.
    weighted += weight * (module.maxScore === 0 ? 1 : score / module.maxScore);
    weights += weight;
  }
  return twoDecimals((weighted / weights) * 100);
}

/** A row's late work under a policy; undefined without a policy or a deadline (a pinned commit has none). */
export function rowLateness(row: GradebookRow, policy: LatePolicy | null | undefined): RowLateness | undefined {
  if (!policy || row.deadline === null) return undefined;
  const committedAt = row.report ? row.committedAt : null;
  const days = committedAt ? lateDays(committedAt, row.deadline) : null;
  return { until: lateUntil(row.deadline, policy), days, penaltyPercent: days === null ? null : latePenaltyPercent(days, policy) };
}

/** A graded row's total: points, the weighted percentage, and what the late penalty leaves of it; undefined for a row with no report. */
export function rowTotal(row: GradebookRow, modules: readonly GradebookModule[], policy: LatePolicy | null | undefined): RowTotal | undefined {
  if (!row.report) return undefined;
  const weighted = weightedPercent(row.report, modules);
  const penalty = rowLateness(row, policy)?.penaltyPercent ?? 0;
  const base = weighted ?? row.report.score;
  return { points: row.report.score, maxPoints: row.report.maxScore, weightedPercent: weighted, afterPenalty: policy ? twoDecimals(base * (1 - penalty / 100)) : null };
}

/** The gradebook with every row's late work and total worked out afresh from its modules' weights and its late policy. */
export function withTotals(gradebook: Gradebook): Gradebook {
  const rows = gradebook.rows.map((row): GradebookRow => {
    const late = rowLateness(row, gradebook.latePolicy);
    const total = rowTotal(row, gradebook.modules, gradebook.latePolicy);
    const fresh: GradebookRow = { ...row };
    delete fresh.late;
    delete fresh.total;
    return { ...fresh, ...(late ? { late } : {}), ...(total ? { total } : {}) };
  });
  return { ...gradebook, rows };
}

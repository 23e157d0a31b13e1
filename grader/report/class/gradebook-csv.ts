import { stringify } from "csv-stringify/sync";
import type { Gradebook, GradebookRow } from "../types.ts";
import { formatAmount, isWeighted, rowLateness, rowTotal } from "./totals.ts";

/**
 * A spreadsheet opens a cell that starts with one of these as a formula, so
 * a roster name or a git message could run one. A leading apostrophe keeps it
 * text (OWASP's advice on CSV injection).
 */
function inert(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * The total's columns: raw points, or with weights the weighted percentage
 * then the points; under a late policy the days late, the penalty and the
 * total after it. Without either, the one column it always had.
 */
function totalColumns(gradebook: Gradebook): { header: string[]; cells: (row: GradebookRow) => string[] } {
  const maxTotal = gradebook.modules.reduce((sum, module) => sum + module.maxScore, 0);
  const weighted = isWeighted(gradebook.modules);
  const late = gradebook.latePolicy ?? null;
  const header = [
    ...(late ? ["days late", "penalty (%)"] : []),
    ...(weighted ? ["weighted total (%)", `points (of ${maxTotal})`] : [`total (of ${maxTotal})`]),
    ...(late ? [`total after penalty (${weighted ? "%" : `of ${maxTotal}`})`] : []),
  ];
  const cells = (row: GradebookRow): string[] => {
    // Worked out afresh, so that a gradebook.json from before weights or a policy reads right too.
    const total = rowTotal(row, gradebook.modules, late);
    const lateness = rowLateness(row, late);
    const amount = (value: number | null | undefined) => (value === null || value === undefined ? "" : formatAmount(value));
    return [
      ...(late ? [amount(lateness?.days), amount(lateness?.penaltyPercent)] : []),
      ...(weighted ? [amount(total?.weightedPercent)] : []),
      amount(total?.points),
      ...(late ? [amount(total?.afterPenalty)] : []),
    ];
  };
  return { header, cells };
}

/**
 * gradebook.csv: one row per roster row, student first, then the roster's own
 * columns (name, email, section …), the graded commit with its date and how
 * many commits came after it (work past the deadline), the total, and the
 * points per module. RFC 4180 with CRLF, and a byte-order mark so
 * spreadsheets read it as UTF-8.
 */
export function renderGradebookCsv(gradebook: Gradebook): string {
  const extra = [...new Set(gradebook.rows.flatMap((row) => Object.keys(row.columns ?? {})))];
  const totals = totalColumns(gradebook);
  const header = ["student", "repo", ...extra, "commit", "committed at", "later commits", "graded at", ...totals.header, ...gradebook.modules.map((m) => `${m.id} (of ${m.maxScore})`), "problems"];
  const records = gradebook.rows.map((row) => {
    const points = new Map(row.report?.modules.map((module) => [module.id, module.score]) ?? []);
    return [
      row.student,
      row.repo,
      ...extra.map((column) => row.columns?.[column] ?? ""),
      row.commit ?? "",
      row.committedAt ?? "",
      row.laterCommits === undefined || row.laterCommits === null ? "" : String(row.laterCommits),
      row.gradedAt ?? "",
      ...totals.cells(row),
      ...gradebook.modules.map((module) => (row.report ? String(points.get(module.id) ?? 0) : "")),
      row.problems.join("; "),
    ].map(inert);
  });
  return stringify([header, ...records], { bom: true, record_delimiter: "windows" });
}

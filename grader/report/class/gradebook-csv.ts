import { stringify } from "csv-stringify/sync";
import type { Gradebook } from "../types.ts";

/**
 * A spreadsheet opens a cell that starts with one of these as a formula, so
 * a roster name or a git message could run one. A leading apostrophe keeps it
 * text (OWASP's advice on CSV injection).
 */
function inert(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * gradebook.csv: one row per roster row, student first, then the roster's own
 * columns (name, email, section …), the graded commit with its date and how
 * many commits came after it (work past the deadline). RFC 4180 with CRLF,
 * and a byte-order mark so spreadsheets read it as UTF-8.
 */
export function renderGradebookCsv(gradebook: Gradebook): string {
  const maxTotal = gradebook.modules.reduce((sum, module) => sum + module.maxScore, 0);
  const extra = [...new Set(gradebook.rows.flatMap((row) => Object.keys(row.columns ?? {})))];
  const header = ["student", "repo", ...extra, "commit", "committed at", "later commits", "graded at", `total (of ${maxTotal})`, ...gradebook.modules.map((m) => `${m.id} (of ${m.maxScore})`), "problems"];
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
      row.report ? String(row.report.score) : "",
      ...gradebook.modules.map((module) => (row.report ? String(points.get(module.id) ?? 0) : "")),
      row.problems.join("; "),
    ].map(inert);
  });
  return stringify([header, ...records], { bom: true, record_delimiter: "windows" });
}

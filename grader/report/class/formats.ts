import { renderJson, type ReportFormat } from "../formats.ts";
import type { Gradebook, GradebookRow } from "../types.ts";
import { renderClassReport } from "./class-report.ts";
import { renderFeedback } from "./feedback.ts";
import { renderGradebookCsv } from "./gradebook-csv.ts";

// The class's formats stay in the instructors' source: students' copies have no gradebook.

/** A class. */
export const gradebookFormats = {
  csv: { describes: "gradebook.csv, one row per roster row", render: renderGradebookCsv },
  json: { describes: "gradebook.json, every full report, as gradebook.schema.json publishes it", render: renderJson },
  classReport: { describes: "class-report.md, also the gradebook workflow's job summary", render: renderClassReport },
} satisfies Record<string, ReportFormat<Gradebook>>;

/** One student of a class: feedback/<student>.md. */
export const feedbackFormat: ReportFormat<{ row: GradebookRow; course: string; showHidden?: boolean }> = {
  describes: "feedback/<student>.md and the commit comment: what the student may see",
  render: ({ row, course, showHidden }) => renderFeedback(row, course, showHidden ?? true),
};

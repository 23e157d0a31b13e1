import { checkGradeReport } from "../../../grader/report/schema.ts";
import type { GradeReport } from "../../../grader/report/types.ts";

/** A report as --json writes it, checked against the published report.schema.json. */
export function publishedReport(report: unknown): GradeReport {
  return checkGradeReport(JSON.parse(JSON.stringify(report)));
}

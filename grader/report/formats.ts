import pc from "picocolors";
import { renderAnnotations } from "./annotations.ts";
import { renderGradescopeResults } from "./gradescope.ts";
import { renderMarkdownSummary } from "./markdown.ts";
import { renderScorecard } from "./terminal.ts";
import type { GradeReport } from "./types.ts";

/**
 * The one seam between typed reports and text: every command renders
 * through these and holds no formatting of its own, and each format has a
 * golden-output test (tests/course/report-formats.test.ts).
 */
export interface ReportFormat<Input> {
  /** What it is and where it goes, for readers of the golden files. */
  readonly describes: string;
  /** `color`: only the terminal format has colours; they are on where the terminal shows them. */
  render(input: Input, options?: { color?: boolean }): string;
}

/** Every JSON file the grader writes: two-space indents and a final newline. */
export const renderJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** One graded submission. */
export const gradeReportFormats = {
  terminal: {
    describes: "the scorecard npm run grade prints",
    render: (report: GradeReport, options?: { color?: boolean }) => `${renderScorecard(report, pc.createColors(options?.color ?? pc.isColorSupported))}\n`,
  },
  markdown: { describes: "the job summary ($GITHUB_STEP_SUMMARY) and Gradescope's output", render: renderMarkdownSummary },
  annotations: {
    describes: "GitHub Actions workflow commands that annotate the student's files",
    render: (report) => renderAnnotations(report).map((line) => `${line}\n`).join(""),
  },
  json: { describes: "the report itself (--json FILE), as report.schema.json publishes it", render: renderJson },
  gradescope: { describes: "Gradescope's results.json", render: (report) => renderJson(renderGradescopeResults(report)) },
} satisfies Record<string, ReportFormat<GradeReport>>;

import type { GradeReport } from "./types.ts";

// Workflow command data and properties must escape these, or a message could
// end the command early and start another.
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const maxAnnotations = 20;

/**
 * GitHub Actions annotations on the student's own files: each failing test
 * that points into their code, and each quiz question not yet right.
 */
export function renderAnnotations(report: GradeReport): string[] {
  const lines: string[] = [];
  for (const module of report.modules) {
    for (const test of module.tests) {
      if (test.status === "passed" || !test.location) continue;
      const { file, line, column } = test.location;
      const level = test.kind === "quiz" ? "warning" : "error";
      const title = `${module.id} ${test.kind === "quiz" ? "quiz" : `${test.kind} test`}`;
      const message = `${test.name}: ${test.message ?? "failed"}`;
      lines.push(`::${level} file=${escapeProperty(file)},line=${line},col=${column},title=${escapeProperty(title)}::${escapeData(message)}`);
    }
  }
  return lines.slice(0, maxAnnotations);
}

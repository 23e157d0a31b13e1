import { notStarted } from "./next-step.ts";
import { printable, ruleNote } from "./text.ts";
import type { GradeReport, ModuleReport } from "./types.ts";

// Workflow command data and properties must escape these, or a message could
// end the command early and start another.
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// GitHub shows at most 10 error and 10 warning annotations per step (and 50 per job); more are dropped unseen.
const perLevel = 10;

/** Modules being worked on first, untouched ones last: the few annotations GitHub shows should be on the code in hand. */
function byAttention(modules: ModuleReport[]): ModuleReport[] {
  return [...modules.filter((module) => !notStarted(module)), ...modules.filter(notStarted)];
}

/**
 * GitHub Actions annotations on the student's own files: each failing test
 * that points into their code (errors), and each quiz question not yet right
 * (warnings), at most 10 of each, modules in progress first. When some do not
 * fit, a notice says how many and where to see them all.
 */
export function renderAnnotations(report: GradeReport): string[] {
  const lines: string[] = [];
  const shown = { error: 0, warning: 0 };
  let left = 0;
  for (const module of byAttention(report.modules)) {
    for (const test of module.tests) {
      if (test.status === "passed" || !test.location) continue;
      const level = test.kind === "quiz" ? "warning" : "error";
      if (shown[level] === perLevel) {
        left += 1;
        continue;
      }
      shown[level] += 1;
      const { file, line, column } = test.location;
      const title = `${module.id} ${test.kind === "quiz" ? "quiz" : `${test.kind} test`}`;
      const rule = ruleNote(test.rules);
      const message = printable(`${test.name}${rule ? ` (${rule})` : ""}: ${test.message ?? "failed"}`);
      lines.push(`::${level} file=${escapeProperty(file)},line=${line},col=${column},title=${escapeProperty(title)}::${escapeData(message)}`);
    }
  }
  if (left > 0) lines.push(`::notice title=More to fix::${escapeData(`${left} more failing tests and quiz questions are not marked on your files; the job summary lists them all.`)}`);
  return lines;
}

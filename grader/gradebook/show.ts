import type { Colors } from "picocolors/types";
import { formatAmount, rowLateness, rowTotal } from "../report/class/totals.ts";
import { renderLocation, renderMessage, renderModuleHeading } from "../report/terminal.ts";
import { isolationWarning, percent, printable, ruleNote } from "../report/text.ts";
import type { Gradebook, GradebookRow, ModuleReport } from "../report/types.ts";
import { unknownStudent } from "./student-match.ts";

/** The gradebook's row for a student, or a one-line refusal naming the students whose names come close. */
export function findStudentRow(gradebook: Gradebook, student: string, where: string): GradebookRow {
  const row = gradebook.rows.find((candidate) => candidate.student === student);
  if (!row) throw unknownStudent("show", student, where, gradebook.rows.map((candidate) => candidate.student));
  return row;
}

function field(c: Colors, label: string, value: string): string {
  return `  ${c.dim(label.padEnd(14))}${value}`;
}

/** Every test of a module, passed or not, with its message: the instructor's view, which a student's scorecard folds. */
function moduleLines(c: Colors, module: ModuleReport): string[] {
  const lines = renderModuleHeading(c, module);
  for (const test of module.tests) {
    const mark = test.status === "passed" ? c.green("✓") : c.red("✗");
    const rule = ruleNote(test.rules);
    const points = c.dim(`${test.score}/${test.maxScore}`);
    lines.push(`    ${mark} ${c.dim(`[${test.kind}]`)} ${printable(test.name)} ${points}${rule ? c.dim(` · ${rule}`) : ""}`);
    if (test.status !== "passed") lines.push(...renderMessage(test.message), ...renderLocation(c, test));
  }
  if (module.quizProgress) {
    const quiz = module.quizProgress;
    lines.push(c.dim(`    quiz: ${quiz.answered} of ${quiz.questions} questions answered${quiz.problem ? `; ${printable(quiz.problem)}` : ""}`));
  }
  if (module.unexpectedTests.length > 0) lines.push(c.yellow(`    ! tests not in the suites, never scored: ${module.unexpectedTests.map(printable).join(", ")}`));
  return lines;
}

/**
 * One student's full report from a gradebook, for `npm run gradebook -- show`:
 * where it came from (repository, commit and its date, deadline, late days),
 * every module with every test and its message, hidden ones included, the
 * quiz, and the total as the gradebook counts it. For instructors only.
 */
export function renderStudentView(gradebook: Gradebook, row: GradebookRow, c: Colors): string {
  const lines = [c.bold(`${printable(gradebook.course)}: ${printable(row.student)} (roster row ${row.row}), every test, hidden ones included`), ""];
  lines.push(field(c, "repo", printable(row.repo)));
  for (const [column, value] of Object.entries(row.columns ?? {})) lines.push(field(c, column, printable(value)));
  if (row.commit) {
    const later = row.laterCommits === undefined || row.laterCommits === null ? "" : `; ${row.laterCommits} later commit${row.laterCommits === 1 ? "" : "s"} on the default branch`;
    lines.push(field(c, "commit", `${row.commit}${row.committedAt ? `, committed ${row.committedAt}` : ""}${later}`));
  }
  const lateness = rowLateness(row, gradebook.latePolicy);
  if (row.deadline) lines.push(field(c, "deadline", `${row.deadline}${lateness ? ` (late work until ${lateness.until})` : ""}`));
  if (lateness && lateness.days !== null) {
    const days = lateness.days === 0 ? "on time" : `${lateness.days} started day${lateness.days === 1 ? "" : "s"} after the deadline, by the commit's date: ${formatAmount(lateness.penaltyPercent ?? 0)}% off`;
    lines.push(field(c, "late", days));
  }
  if (row.gradedAt) lines.push(field(c, "graded at", row.gradedAt));
  const report = row.report;
  if (!report) {
    lines.push("", c.red("Not graded:"), ...row.problems.map((problem) => `  ${printable(problem)}`));
    return lines.join("\n");
  }
  const isolation = isolationWarning(report);
  if (isolation) lines.push(field(c, "isolation", c.yellow(printable(isolation))));
  lines.push("");
  for (const module of report.modules) lines.push(...moduleLines(c, module), "");
  if (report.ignored.length > 0) {
    const more = report.ignoredCount > report.ignored.length ? ` and ${(report.ignoredCount - report.ignored.length).toLocaleString("en-US")} more` : "";
    lines.push(c.dim(`Not used for grading: ${report.ignored.map(printable).join(", ")}${more}`), "");
  }
  const total = rowTotal(row, gradebook.modules, gradebook.latePolicy);
  const parts = [`${report.score}/${report.maxScore} points (${percent(report.score, report.maxScore)}%)`];
  if (total?.weightedPercent !== null && total?.weightedPercent !== undefined) parts.push(`weighted ${formatAmount(total.weightedPercent)}%`);
  if (total?.afterPenalty !== null && total?.afterPenalty !== undefined) parts.push(`after the late penalty ${formatAmount(total.afterPenalty)}${total.weightedPercent === null ? " points" : "%"}`);
  lines.push(`${c.bold("Total")} ${parts.join(c.dim(" · "))}`);
  return lines.join("\n");
}

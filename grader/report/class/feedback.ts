import { markdownCell, markdownCode } from "../markdown.ts";
import { notStarted } from "../next-step.ts";
import { testKindLabel } from "../text.ts";
import type { Visibility } from "../gradescope.ts";
import type { GradebookRow } from "../types.ts";
import { formatAmount } from "./totals.ts";

/**
 * Whether a row's feedback names the hidden tests it failed, by the same
 * choices as Gradescope's: `after_due_date` once the row's deadline has
 * passed (never, without one; under a late policy, once its late days have
 * passed too, or they would tell a late student what to fix), `after_published`
 * and `hidden` not until a run with `visible`, which is how you publish them.
 */
export function hiddenTestsShown(row: GradebookRow, visibility: Visibility, now: number): boolean {
  if (visibility === "visible") return true;
  if (visibility !== "after_due_date" || row.deadline === null) return false;
  return Date.parse(row.late?.until ?? row.deadline) <= now;
}

/**
 * feedback/<student>.md: what a student may see of their grade. Points per
 * module and, for each failed test, its name and the behaviour it checks; for
 * a quiz question answered wrong, once hidden results are shown, why the
 * right answers are right.
 * Reports never hold test code or expected values, so neither can this.
 */
export function renderFeedback(row: GradebookRow, course: string, showHidden = true): string {
  const lines = [`# ${markdownCell(course)}: your grade`, ""];
  const report = row.report;
  if (!report) {
    lines.push("Your submission could not be graded:", "", ...row.problems.map((problem) => `- ${markdownCode(problem)}`), "", "Ask your instructor if this looks wrong.");
    return `${lines.join("\n")}\n`;
  }
  const commit = row.commit ? ` from commit ${markdownCode(row.commit.slice(0, 12))}` : "";
  const window = row.late ? `the deadline (${row.deadline}) or its late days (until ${row.late.until})` : `the deadline (${row.deadline})`;
  const deadline = row.deadline ? `, the last one before ${window}` : "";
  lines.push(`**${report.score}/${report.maxScore} points**, graded${commit}${deadline}.`, "");
  if (row.late?.days) lines.push(`It was committed ${row.late.days} day${row.late.days === 1 ? "" : "s"} after the deadline: the late policy takes ${formatAmount(row.late.penaltyPercent ?? 0)}% off your total.`, "");
  lines.push("| Module | Points |", "|---|---|");
  for (const module of report.modules) lines.push(`| ${markdownCell(module.id)}: ${markdownCell(module.title)} | ${module.score}/${module.maxScore} |`);
  lines.push("");
  const missing = report.modules.filter((module) => module.score < module.maxScore);
  if (missing.length === 0) lines.push("Every point earned. Well done!");
  // A module not started is one line: its stub's every test would bury the modules being worked on (and pass GitHub's size for a comment).
  const untouched = missing.filter(notStarted);
  if (untouched.length > 0) lines.push(`Not started yet: ${untouched.map((module) => `${markdownCell(module.id)} (${module.score}/${module.maxScore})`).join(", ")}.`, "");
  for (const module of missing.filter((module) => !notStarted(module))) {
    lines.push(`## ${markdownCell(module.id)} (${module.score}/${module.maxScore})`, "");
    if (module.problem) lines.push(`> ${markdownCode(module.problem)}`, "");
    const hidden = module.tests.filter((test) => test.kind === "hidden");
    if (!showHidden && hidden.length > 0) {
      const earned = hidden.reduce((sum, test) => sum + test.score, 0);
      const worth = hidden.reduce((sum, test) => sum + test.maxScore, 0);
      lines.push(`Hidden tests: ${earned}/${worth} points. Which ones failed is not shown yet.`, "");
    }
    for (const test of module.tests) {
      if (test.status === "passed" || (!showHidden && test.kind === "hidden")) continue;
      const why = test.message === null || test.message === module.problem ? "" : `: ${markdownCode(test.message)}`;
      const where = test.location ? ` (${markdownCode(`${test.location.file}:${test.location.line}`)})` : "";
      lines.push(`- ${testKindLabel[test.kind]} ${markdownCell(test.name)}${why}${where}`);
      // The key's explanation gives the answer away: shown when the hidden results are, once grading is final.
      // The course wrote it (Markdown, inline code and all): kept on one line of the list.
      if (showHidden && test.kind === "quiz" && test.explanation) lines.push(`  - Why: ${test.explanation.replace(/\s*\n\s*/g, " ")}`);
    }
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** The feedback's file in the gradebook folder: feedback/<this>. */
export function feedbackFileName(row: GradebookRow): string {
  return `${row.student || `row-${row.row}`}.md`;
}

/** GitHub refuses a commit comment over 65,536 characters. */
export const commentLimitCharacters = 65_536;

/**
 * The feedback as a commit comment GitHub takes: past the limit, it ends at
 * the last whole line that fits, with a note that says where the rest is.
 */
export function fitComment(feedback: string, fileName: string, limit = commentLimitCharacters): string {
  if (feedback.length <= limit) return feedback;
  const note = `\n\n> The rest of this feedback is left off: GitHub takes comments of up to ${limit.toLocaleString("en-US")} characters. All of it is in ${markdownCode(`feedback/${fileName}`)} of the gradebook your instructor keeps: ask them for it.\n`;
  const cut = feedback.slice(0, Math.max(0, limit - note.length));
  const lastLine = cut.lastIndexOf("\n");
  return `${(lastLine > 0 ? cut.slice(0, lastLine) : cut).trimEnd()}${note}`;
}

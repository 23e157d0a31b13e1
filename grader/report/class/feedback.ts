import { markdownCell, markdownCode } from "../markdown.ts";
import { testKindLabel } from "../text.ts";
import type { GradebookRow } from "../types.ts";


/**
 * feedback/<student>.md: what a student may see of their grade. Points per
 * module and, for each failed test, its name and the behaviour it checks.
 * Reports never hold test code or expected values, so neither can this.
 */
export function renderFeedback(row: GradebookRow, course: string): string {
  const lines = [`# ${markdownCell(course)}: your grade`, ""];
  const report = row.report;
  if (!report) {
    lines.push("Your submission could not be graded:", "", ...row.problems.map((problem) => `- ${markdownCode(problem)}`), "", "Ask your instructor if this looks wrong.");
    return `${lines.join("\n")}\n`;
  }
  const commit = row.commit ? ` from commit ${markdownCode(row.commit.slice(0, 12))}` : "";
  const deadline = row.deadline ? `, the last one before the deadline (${row.deadline})` : "";
  lines.push(`**${report.score}/${report.maxScore} points**, graded${commit}${deadline}.`, "", "| Module | Points |", "|---|---|");
  for (const module of report.modules) lines.push(`| ${markdownCell(module.id)}: ${markdownCell(module.title)} | ${module.score}/${module.maxScore} |`);
  lines.push("");
  const missing = report.modules.filter((module) => module.score < module.maxScore);
  if (missing.length === 0) lines.push("Every point earned. Well done!");
  for (const module of missing) {
    lines.push(`## ${markdownCell(module.id)} (${module.score}/${module.maxScore})`, "");
    if (module.problem) lines.push(`> ${markdownCode(module.problem)}`, "");
    for (const test of module.tests) {
      if (test.status === "passed") continue;
      const why = test.message === null || test.message === module.problem ? "" : `: ${markdownCode(test.message)}`;
      const where = test.location ? ` (${markdownCode(`${test.location.file}:${test.location.line}`)})` : "";
      lines.push(`- ${testKindLabel[test.kind]} ${markdownCell(test.name)}${why}${where}`);
    }
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

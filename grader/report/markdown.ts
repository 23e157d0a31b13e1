import { nextStep, notGradedHere, practiceNote } from "./next-step.ts";
import { percent } from "./text.ts";
import type { GradeReport, ModuleReport, TestReport } from "./types.ts";

/** Text from a submission, made inert inside a Markdown table cell. */
export function markdownCell(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|#!~@])/g, "\\$1")
    .replace(/\r?\n/g, "<br>");
}

const statusIcon: Record<TestReport["status"], string> = { passed: "✅", failed: "❌", error: "⚠️" };

function moduleSection(module: ModuleReport): string[] {
  const lines = [`### ${module.score === module.maxScore ? "✅" : "❌"} ${markdownCell(module.id)}: ${markdownCell(module.title)} (${module.score}/${module.maxScore})`, ""];
  if (module.problem) lines.push(`> ⚠️ ${markdownCell(module.problem)}`, "");
  if (module.notGraded.length > 0) lines.push(`${notGradedHere(module)}.`, "");
  const failing = module.tests.filter((test) => test.status !== "passed");
  const passed = module.tests.length - failing.length;
  lines.push(`${passed} of ${module.tests.length} passed.`, "");
  if (failing.length > 0) {
    lines.push("| | Test | Kind | Points | Why |", "|---|---|---|---|---|");
    for (const test of failing) {
      const where = test.location ? ` (${markdownCell(`${test.location.file}:${test.location.line}`)})` : "";
      const why = test.message === module.problem ? "see above" : markdownCell(test.message ?? "");
      lines.push(`| ${statusIcon[test.status]} | ${markdownCell(test.name)} | ${test.kind} | ${test.score}/${test.maxScore} | ${why}${where} |`);
    }
    lines.push("");
  }
  return lines;
}

/** The scorecard as GitHub-flavoured Markdown, for the job summary. */
export function renderMarkdownSummary(report: GradeReport): string {
  const lines = [
    `## ${markdownCell(report.course)}: ${report.score}/${report.maxScore} points (${percent(report.score, report.maxScore)}%)`,
    "",
    `Graded ${markdownCell(report.submission)} in ${(report.durationMs / 1000).toFixed(1)} s.`,
    "",
    ...(practiceNote(report) ? [`> ${practiceNote(report)}`, ""] : []),
    "| Module | Points | Public | Hidden | Quiz |",
    "|---|---|---|---|---|",
  ];
  for (const module of report.modules) {
    const count = (kind: TestReport["kind"]) => {
      const tests = module.tests.filter((test) => test.kind === kind);
      return tests.length === 0 ? "–" : `${tests.filter((test) => test.status === "passed").length}/${tests.length}`;
    };
    lines.push(`| ${markdownCell(module.id)} | ${module.score}/${module.maxScore} | ${count("public")} | ${count("hidden")} | ${count("quiz")} |`);
  }
  lines.push("", `**Next:** ${markdownCell(nextStep(report))}`, "");
  for (const module of report.modules) lines.push(...moduleSection(module));
  if (report.ignored.length > 0) lines.push(`Not used for grading: ${report.ignored.map(markdownCell).join(", ")}`, "");
  return `${lines.join("\n")}\n`;
}

import { nextStep, notGradedHere, notStarted, practiceNote } from "./next-step.ts";
import { isolationWarning, percent, printable, ruleNote } from "./text.ts";
import type { GradeReport, ModuleReport, TestReport } from "./types.ts";

/** A code fence must be longer than any run of backticks inside it. */
function longestBacktickRun(text: string): number {
  return Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
}

/**
 * Text a submission may have written (an error message, a file name), as an
 * inline code span: Markdown shows it as it is, so it can become no link, no
 * HTML and no formatting. In a table cell, pipes are escaped too.
 */
export function markdownCode(text: string, where: "table" | "text" = "text"): string {
  let flat = printable(text.replace(/\r?\n/g, " ↵ "));
  if (where === "table") flat = flat.replace(/\|/g, "\\|");
  if (flat.trim() === "") return "";
  const fence = "`".repeat(longestBacktickRun(flat) + 1);
  // A space inside each end keeps a leading or trailing backtick from joining the fence; Markdown removes it.
  const pad = /^[` ]|[` ]$/.test(flat) ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Submission text on lines of its own: a fenced block longer than any run of backticks it holds. */
export function markdownCodeBlock(text: string): string {
  const shown = printable(text);
  const fence = "`".repeat(Math.max(3, longestBacktickRun(shown) + 1));
  return `${fence}text\n${shown}\n${fence}`;
}

/** Text the course wrote (titles, test names), made inert inside a Markdown table cell. */
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
  // An untouched module is one line, so the modules being worked on are not buried under stubs' TODOs.
  if (notStarted(module)) {
    const elsewhere = module.notGraded.length > 0 ? ` ${notGradedHere(module, (text) => markdownCode(text))}.` : "";
    return [`### ⏸️ ${markdownCell(module.id)}: ${markdownCell(module.title)}: not started (${module.score}/${module.maxScore})`, "", ...(elsewhere ? [elsewhere.trim(), ""] : [])];
  }
  const lines = [`### ${module.score === module.maxScore ? "✅" : "❌"} ${markdownCell(module.id)}: ${markdownCell(module.title)} (${module.score}/${module.maxScore})`, ""];
  if (module.problem) lines.push(`> ⚠️ ${markdownCode(module.problem)}`, "");
  if (module.notGraded.length > 0) lines.push(`${notGradedHere(module, (text) => markdownCode(text))}.`, "");
  const failing = module.tests.filter((test) => test.status !== "passed");
  const passed = module.tests.length - failing.length;
  lines.push(`${passed} of ${module.tests.length} passed.`, "");
  if (failing.length > 0) {
    lines.push("| | Test | Kind | Points | Why |", "|---|---|---|---|---|");
    for (const test of failing) {
      const where = test.location ? ` (${markdownCode(`${test.location.file}:${test.location.line}`, "table")})` : "";
      const why = test.message === module.problem ? "see above" : markdownCode(test.message ?? "", "table");
      const rule = ruleNote(test.rules);
      lines.push(`| ${statusIcon[test.status]} | ${markdownCell(test.name)}${rule ? ` (${markdownCell(rule)})` : ""} | ${test.kind} | ${test.score}/${test.maxScore} | ${why}${where} |`);
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
    ...(isolationWarning(report) ? [`> **${markdownCell(isolationWarning(report) ?? "")}**`, ""] : []),
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
  lines.push("", `**Next:** ${markdownCode(nextStep(report))}`, "");
  for (const module of report.modules) lines.push(...moduleSection(module));
  if (report.ignored.length > 0) {
    const more = report.ignoredCount > report.ignored.length ? ` and ${(report.ignoredCount - report.ignored.length).toLocaleString("en-US")} more` : "";
    lines.push(`Not used for grading: ${report.ignored.map((file) => markdownCode(file)).join(", ")}${more}`, "");
  }
  return `${lines.join("\n")}\n`;
}

/** GitHub refuses a job summary over 1 MiB; this leaves room for what else the step writes. */
export const stepSummaryLimitBytes = 1_000_000;

/**
 * A job summary GitHub will take, whatever the submission holds: past the
 * limit, it ends at the last whole line that fits, with a note that the JSON
 * report has the rest.
 */
export function fitStepSummary(markdown: string, limitBytes = stepSummaryLimitBytes): string {
  if (Buffer.byteLength(markdown) <= limitBytes) return markdown;
  const note = "\n\n> The rest of this summary is left off: it would pass GitHub's 1 MiB limit for a job summary. The JSON report (`--json`) has all of it.\n";
  const room = limitBytes - Buffer.byteLength(note);
  const cut = Buffer.from(markdown).subarray(0, room).toString("utf8").replace(/\uFFFD$/, "");
  const lastLine = cut.lastIndexOf("\n");
  return `${lastLine > 0 ? cut.slice(0, lastLine) : cut}${note}`;
}

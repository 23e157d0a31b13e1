import { answeredCount, exerciseStarted, isPractice, nextStep, notGradedHere, notStarted, onTrack, practiceNote, publicCount, quizProblems } from "./next-step.ts";
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

/** The failing tests as a table; a practice run's has no points column, since it awards none. */
function failingTable(module: ModuleReport, failing: TestReport[], withPoints = true): string[] {
  if (failing.length === 0) return [];
  const lines = withPoints ? ["| | Test | Kind | Points | Why |", "|---|---|---|---|---|"] : ["| | Test | Kind | Why |", "|---|---|---|---|"];
  for (const test of failing) {
    const where = test.location ? ` (${markdownCode(`${test.location.file}:${test.location.line}`, "table")})` : "";
    const why = test.message === module.problem ? "see above" : markdownCode(test.message ?? "", "table");
    const rule = ruleNote(test.rules);
    const points = withPoints ? ` ${test.score}/${test.maxScore} |` : "";
    lines.push(`| ${statusIcon[test.status]} | ${markdownCell(test.name)}${rule ? ` (${markdownCell(rule)})` : ""} | ${test.kind} |${points} ${why}${where} |`);
  }
  return [...lines, ""];
}

/** A practice run's module: what this copy checks, never points; a module not started is one line. */
function practiceSection(module: ModuleReport): string[] {
  const publicTests = module.tests.filter((test) => test.kind === "public");
  const passed = publicTests.filter((test) => test.status === "passed").length;
  const quiz = module.quizProgress;
  const broken = quizProblems(module);
  const facts = [
    ...(publicTests.length > 0 ? [`public tests ${passed}/${publicTests.length}`] : []),
    ...((module.typeErrors ?? []).length > 0 ? [`${module.typeErrors?.length} type errors`] : []),
    ...(quiz ? [broken.length > 0 ? "quiz cannot be read" : `quiz ${quiz.answered}/${quiz.questions} answered`] : []),
  ].join(" · ");
  const started = exerciseStarted(module);
  const failing = broken.length > 0 || (started && (module.problem !== null || (module.typeErrors ?? []).length > 0 || passed < publicTests.length));
  const done = passed === publicTests.length && quiz !== null && quiz.answered === quiz.questions;
  const untouched = !started && passed === 0 && (quiz?.answered ?? 0) === 0;
  const icon = failing ? "❌" : done ? "✅" : untouched ? "⏸️" : "🔶";
  const heading = `### ${icon} ${markdownCell(module.id)}: ${markdownCell(module.title)}: ${untouched && !failing ? `not started (${facts})` : facts}`;
  const lines = [heading, ""];
  for (const problem of broken) lines.push(`- ❌ ${markdownCode(problem)}`);
  if (broken.length > 0) lines.push("");
  if (!started) return lines;
  if (module.problem) lines.push(`> ⚠️ ${markdownCode(module.problem)}`, "");
  for (const error of module.typeErrors ?? []) lines.push(`- ❌ ${markdownCode(`${error.file}:${error.line}:${error.column} ${error.message}`)}`);
  if ((module.typeErrors ?? []).length > 0) lines.push("");
  lines.push(...failingTable(module, module.tests.filter((test) => test.status !== "passed"), false));
  return lines;
}

function moduleSection(module: ModuleReport): string[] {
  // An untouched module is one line, so the modules being worked on are not buried under stubs' TODOs.
  if (notStarted(module)) {
    const elsewhere = module.notGraded.length > 0 ? ` ${notGradedHere(module)}.` : "";
    return [`### ⏸️ ${markdownCell(module.id)}: ${markdownCell(module.title)}: not started (${module.score}/${module.maxScore})`, "", ...(elsewhere ? [elsewhere.trim(), ""] : [])];
  }
  const lines = [`### ${module.score === module.maxScore ? "✅" : "❌"} ${markdownCell(module.id)}: ${markdownCell(module.title)} (${module.score}/${module.maxScore})`, ""];
  if (module.problem) lines.push(`> ⚠️ ${markdownCode(module.problem)}`, "");
  if (module.notGraded.length > 0) lines.push(`${notGradedHere(module)}.`, "");
  const failing = module.tests.filter((test) => test.status !== "passed");
  const passed = module.tests.length - failing.length;
  lines.push(`${passed} of ${module.tests.length} passed.`, "");
  lines.push(...failingTable(module, failing));
  return lines;
}

/** A practice run as Markdown: public tests, types and quiz format per module, and who grades the rest, when and where. */
function renderPracticeSummary(report: GradeReport): string {
  const tests = publicCount(report.modules);
  const quizzes = answeredCount(report.modules);
  const verdict = onTrack(report) ? "on track" : "something to fix";
  const lines = [
    `## ${markdownCell(report.course)}: practice run, ${verdict}`,
    "",
    `Public tests ${tests.passed}/${tests.total} passing · quizzes ${quizzes.answered}/${quizzes.questions} questions answered · hidden tests and quiz answers: graded by your instructor, not here. Checked ${markdownCell(report.submission)} in ${(report.durationMs / 1000).toFixed(1)} s.`,
    "",
    `> ${practiceNote(report) ?? ""}`,
    "",
    ...(isolationWarning(report) ? [`> **${markdownCell(isolationWarning(report) ?? "")}**`, ""] : []),
    "| Module | Public tests | Types | Quiz answered |",
    "|---|---|---|---|",
  ];
  for (const module of report.modules) {
    const publicTests = module.tests.filter((test) => test.kind === "public");
    const passing = publicTests.length === 0 ? "–" : exerciseStarted(module) || publicTests.some((test) => test.status === "passed") ? `${publicTests.filter((test) => test.status === "passed").length}/${publicTests.length}` : `not started (0/${publicTests.length})`;
    const types = module.typeErrors === undefined ? "–" : module.typeErrors.length === 0 ? "no errors" : `${module.typeErrors.length} errors`;
    const quiz = module.quizProgress ? (quizProblems(module).length > 0 ? "cannot be read" : `${module.quizProgress.answered}/${module.quizProgress.questions}`) : "–";
    lines.push(`| ${markdownCell(module.id)} | ${passing} | ${types} | ${quiz} |`);
  }
  lines.push("", `**Next:** ${markdownCode(nextStep(report))}`, "");
  for (const module of report.modules) lines.push(...practiceSection(module));
  return `${lines.join("\n")}\n`;
}

/** The scorecard as GitHub-flavoured Markdown, for the job summary. */
export function renderMarkdownSummary(report: GradeReport): string {
  if (isPractice(report)) return renderPracticeSummary(report);
  const lines = [
    `## ${markdownCell(report.course)}: ${report.score}/${report.maxScore} points (${percent(report.score, report.maxScore)}%)`,
    "",
    `Graded ${markdownCell(report.submission)} in ${(report.durationMs / 1000).toFixed(1)} s.`,
    "",
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

import { moduleNumber } from "../course/manifest.ts";
import { markdownCode, markdownCodeBlock, renderMarkdownSummary } from "./markdown.ts";
import { ruleNote, testKindLabel } from "./text.ts";
import type { GradeReport, TestReport } from "./types.ts";

/** Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/), the fields we write. */
export interface GradescopeTest {
  name: string;
  name_format: "text";
  number: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  output_format: "md";
  tags: string[];
  visibility: Visibility;
}

/** Gradescope's visibility of a test: always, never, once the due date has passed, once the instructor publishes grades. */
export type Visibility = "visible" | "hidden" | "after_due_date" | "after_published";
export const visibilities: readonly Visibility[] = ["after_due_date", "after_published", "hidden", "visible"];


/** What the autograder was released with (`npm run release -- --gradescope`), beside the grader in /autograder/source. */
export interface GradescopeSettings {
  hiddenVisibility: Visibility;
}
export const gradescopeSettingsFile = "gradescope.json";

/** When a student sees the hidden tests' names and results: with resubmissions, seen earlier they answer questions about the hidden suite. */
export const defaultHiddenVisibility: Visibility = "after_due_date";

/** `text` as a visibility (absent: the default), or a message saying what it may be. */
export function parseVisibility(text: string | undefined): Visibility | { problem: string } {
  if (text === undefined) return defaultHiddenVisibility;
  const found = visibilities.find((visibility) => visibility === text);
  return found ?? { problem: `"${text}" is not one of ${visibilities.join(", ")}` };
}

const whenShown: Record<Visibility, string> = {
  visible: "",
  hidden: "they are not shown here",
  after_due_date: "they are shown here after the due date",
  after_published: "they are shown here once grades are published",
};

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  output_format: "md";
  test_output_format: "md";
  test_name_format: "text";
  visibility: "visible";
  /** What the grader prints (and anything a submission prints) is for instructors only. */
  stdout_visibility: "hidden";
  tests: GradescopeTest[];
}


function testOutput(test: TestReport): string {
  if (test.status === "passed") return "";
  const where = test.location ? `\n\nAt ${markdownCode(`${test.location.file}:${test.location.line}`)}` : "";
  const rule = ruleNote(test.rules);
  const stated = rule ? `\n\nChecks ${markdownCode(rule)}, as the module's stub and lesson state it.` : "";
  return `${markdownCodeBlock(test.message ?? "failed")}${where}${stated}`;
}

/**
 * What the submission's output (the Markdown scorecard, always visible) may
 * show: the public tests and quizzes, and of the hidden tests only that they
 * exist, unless they are visible.
 */
function withoutHiddenResults(report: GradeReport): GradeReport {
  const modules = report.modules.map((module) => {
    const shown = module.tests.filter((test) => test.kind !== "hidden");
    const sum = (key: "score" | "maxScore") => shown.reduce((total, test) => total + test[key], 0);
    return { ...module, tests: shown, score: sum("score"), maxScore: sum("maxScore") };
  });
  const sum = (key: "score" | "maxScore") => modules.reduce((total, module) => total + module[key], 0);
  return { ...report, modules, score: sum("score"), maxScore: sum("maxScore") };
}

/**
 * The report as Gradescope's results.json: one Gradescope test per graded
 * item, the Markdown scorecard as the submission's output. Hidden tests show
 * their name and behaviour message, never their code or expected values
 * (the report never holds those), and only as `hiddenVisibility` says; until
 * then the output leaves them out too.
 */
export function renderGradescopeResults(report: GradeReport, hiddenVisibility: Visibility = defaultHiddenVisibility): GradescopeResults {
  const hiddenPoints = report.modules.flatMap((module) => module.tests).filter((test) => test.kind === "hidden").reduce((total, test) => total + test.maxScore, 0);
  const output =
    hiddenVisibility === "visible" || hiddenPoints === 0
      ? renderMarkdownSummary(report)
      : `${renderMarkdownSummary(withoutHiddenResults(report))}\n> The hidden tests (${hiddenPoints} points) are graded too, and count in your score: ${whenShown[hiddenVisibility]}.\n`;
  return {
    score: report.score,
    execution_time: Math.round(report.durationMs / 1000),
    output,
    output_format: "md",
    test_output_format: "md",
    test_name_format: "text",
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: report.modules.flatMap((module) => [
      ...module.tests.map((test, index): GradescopeTest => ({
        name: `${module.id} ${testKindLabel[test.kind]}: ${test.name}`,
        name_format: "text",
        number: `${Number(moduleNumber(module))}.${index + 1}`,
        score: test.score,
        max_score: test.maxScore,
        status: test.status === "passed" ? "passed" : "failed",
        output: testOutput(test),
        output_format: "md",
        tags: [module.id, test.kind],
        visibility: test.kind === "hidden" ? hiddenVisibility : "visible",
      })),
      ...quizExplanations(module, hiddenVisibility),
    ]),
  };
}

/**
 * For each quiz question answered wrong, its explanation as a test worth no
 * points, shown when the hidden tests are: seen earlier, it would give the
 * answer to a student who can submit again.
 */
function quizExplanations(module: GradeReport["modules"][number], visibility: Visibility): GradescopeTest[] {
  return module.tests
    .filter((test) => test.kind === "quiz" && test.status !== "passed" && test.explanation)
    .map((test, index) => ({
      name: `${module.id} quiz, explained: ${test.name}`,
      name_format: "text",
      number: `${Number(moduleNumber(module))}.${module.tests.length + index + 1}`,
      score: 0,
      max_score: 0,
      status: "passed",
      output: test.explanation ?? "",
      output_format: "md",
      tags: [module.id, "quiz-explanation"],
      visibility,
    }));
}

/** What Gradescope shows when the submission could not be graded at all (no exercises/ folder, a malformed quiz). */
export function renderGradescopeProblem(problem: string, durationMs: number): GradescopeResults {
  return {
    score: 0,
    execution_time: Math.round(durationMs / 1000),
    output: `## Your submission could not be graded\n\n${markdownCodeBlock(problem)}\n\nFix this and submit again.\n`,
    output_format: "md",
    test_output_format: "md",
    test_name_format: "text",
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: [],
  };
}

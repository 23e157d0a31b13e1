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
  visibility: "visible";
}

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
 * The report as Gradescope's results.json: one Gradescope test per graded
 * item, the Markdown scorecard as the submission's output. Hidden tests show
 * their name and behaviour message, never their code or expected values
 * (the report never holds those).
 */
export function renderGradescopeResults(report: GradeReport): GradescopeResults {
  return {
    score: report.score,
    execution_time: Math.round(report.durationMs / 1000),
    output: renderMarkdownSummary(report),
    output_format: "md",
    test_output_format: "md",
    test_name_format: "text",
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: report.modules.flatMap((module) =>
      module.tests.map((test, index): GradescopeTest => ({
        name: `${module.id} ${testKindLabel[test.kind]}: ${test.name}`,
        name_format: "text",
        number: `${Number(moduleNumber(module))}.${index + 1}`,
        score: test.score,
        max_score: test.maxScore,
        status: test.status === "passed" ? "passed" : "failed",
        output: testOutput(test),
        output_format: "md",
        tags: [module.id, test.kind],
        visibility: "visible",
      })),
    ),
  };
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

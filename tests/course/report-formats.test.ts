import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { classStatistics } from "../../grader/report/class/class-statistics.ts";
import { hiddenTestsShown } from "../../grader/report/class/feedback.ts";
import { feedbackFormat, gradebookFormats } from "../../grader/report/class/formats.ts";
import { markdownCell } from "../../grader/report/markdown.ts";
import { renderGradescopeResults } from "../../grader/report/gradescope.ts";
import { gradeReportFormats, type ReportFormat } from "../../grader/report/formats.ts";
import { checkGradebook } from "../../grader/report/class/schema.ts";
import { checkGradeReport } from "../../grader/report/schema.ts";
import { courseRoot } from "./support/course.ts";

// Golden outputs: fixed reports in, exact text out. After an intended change
// to a format, refresh them with `npm test -- report-formats -u` and read the
// change as a diff of tests/course/golden/.
const golden = path.join(courseRoot, "tests", "course", "golden");
const inputs = readdirSync(path.join(golden, "inputs")).sort();
const read = (file: string): unknown => JSON.parse(readFileSync(path.join(golden, "inputs", file), "utf8"));

const extension: Record<string, string> = { terminal: "txt", markdown: "md", annotations: "txt", json: "json", gradescope: "json", csv: "csv", classReport: "md" };

function goldenTests<Input>(formats: Record<string, ReportFormat<Input>>, name: string, input: Input): void {
  for (const [format, renderer] of Object.entries(formats)) {
    test(`${name} as ${format}: ${renderer.describes}`, async () => {
      await expect(renderer.render(input, { color: false })).toMatchFileSnapshot(path.join(golden, `${name}.${format}.${extension[format]}`));
    });
  }
}

describe("every report format renders its golden output", () => {
  for (const file of inputs.filter((name) => name.endsWith(".report.json"))) {
    goldenTests(gradeReportFormats, file.replace(".report.json", ""), checkGradeReport(read(file), file));
  }
  for (const file of inputs.filter((name) => name.endsWith(".gradebook.json"))) {
    const gradebook = checkGradebook(read(file), file);
    const name = file.replace(".gradebook.json", "");
    goldenTests(gradebookFormats, name, gradebook);
    for (const row of gradebook.rows) {
      test(`${name} feedback for row ${row.row}: ${feedbackFormat.describes}`, async () => {
        await expect(feedbackFormat.render({ row, course: gradebook.course })).toMatchFileSnapshot(path.join(golden, "feedback", `${name}.row-${row.row}.md`));
      });
    }
  }
});

describe("the published report schemas", () => {
  test("reject a report with a field out of place, naming it", () => {
    const report = checkGradeReport(read("wrong-lifo.report.json"));
    expect(() => checkGradeReport({ ...report, score: "10" })).toThrow("score must be number");
    expect(() => checkGradeReport({ ...report, modules: [{ ...report.modules[0], tests: [{ name: "x" }] }] })).toThrow("modules[0].tests[0].kind is missing");
    expect(() => checkGradeReport({ ...report, gradedAt: "yesterday" })).toThrow("gradedAt must match pattern");
  });

  test("reject a gradebook whose row holds a broken report", () => {
    const gradebook = checkGradebook(read("class.gradebook.json"));
    const [first] = gradebook.rows;
    expect(() => checkGradebook({ ...gradebook, rows: [{ ...first, report: { version: 1 } }] })).toThrow("rows[0].report");
  });
});

describe("feedback that fits", () => {
  test("a module not started is one line, not its stub's every failing test", () => {
    const gradebook = checkGradebook(read("class.gradebook.json"), "class.gradebook.json");
    const row = structuredClone(gradebook.rows.find((candidate) => candidate.report?.modules.length === 2 && candidate.report.score === 0));
    const [quizModule, codeModule] = row?.report?.modules ?? [];
    if (!row || !quizModule || !codeModule) throw new Error("the golden gradebook has no row with nothing earned");
    // 00 never answered, 01 still its stub: as a student who has not begun.
    quizModule.quizProgress = { answered: 0, questions: quizModule.tests.length, problem: null };
    for (const quizTest of quizModule.tests) quizTest.message = "not answered yet";
    codeModule.untouched = true;
    codeModule.problem = null;
    codeModule.quizProgress = { answered: 0, questions: codeModule.tests.filter((t) => t.kind === "quiz").length, problem: null };
    for (const codeTest of codeModule.tests) codeTest.message = codeTest.kind === "quiz" ? "not answered yet" : "TODO: enqueue(task) should add the task at the back of the queue";
    const feedback = feedbackFormat.render({ row, course: gradebook.course });
    expect(feedback).toContain(`Not started yet: 00-message-queues (0/${quizModule.maxScore}), 01-task-queue (0/${codeModule.maxScore}).`);
    expect(feedback).not.toContain("## 01-task-queue");
    expect(feedback).not.toContain("TODO");
    // Once started (a test passes), the module's failures are listed again.
    codeModule.untouched = false;
    expect(feedbackFormat.render({ row, course: gradebook.course })).toContain(`## 01-task-queue (0/${codeModule.maxScore})`);
  });
});

describe("feedback and the hidden tests' visibility", () => {
  const gradebook = checkGradebook(read("class.gradebook.json"), "class.gradebook.json");
  const row = gradebook.rows.find((candidate) => candidate.report?.modules.some((module) => module.tests.some((t) => t.kind === "hidden" && t.status !== "passed")));

  test("until they are shown, feedback gives the hidden tests' points per module, never their names or messages", () => {
    if (!row?.report) throw new Error("the golden gradebook has no row with a failed hidden test");
    const failedHidden = row.report.modules.flatMap((module) => module.tests.filter((t) => t.kind === "hidden" && t.status !== "passed"));
    const kept = feedbackFormat.render({ row, course: gradebook.course, showHidden: false });
    for (const test of failedHidden) expect(kept).not.toContain(`hidden test ${markdownCell(test.name)}`);
    expect(kept).toMatch(/Hidden tests: \d+\/\d+ points\. Which ones failed is not shown yet\./);
    const shown = feedbackFormat.render({ row, course: gradebook.course, showHidden: true });
    for (const test of failedHidden) expect(shown).toContain(`hidden test ${markdownCell(test.name)}`);
  });

  test("a quiz question answered wrong gets the key's explanation when the hidden tests are shown, and not before: it gives the answer away", () => {
    const report = structuredClone(row?.report);
    const question = report?.modules.flatMap((module) => module.tests).find((t) => t.kind === "quiz" && t.status !== "passed");
    if (!row || !report || !question) throw new Error("the golden gradebook has no row with a quiz question answered wrong");
    question.explanation = "A `reject` counts towards the limit; a nack does not.";
    const withExplanation = { ...row, report };
    expect(feedbackFormat.render({ row: withExplanation, course: gradebook.course, showHidden: false })).not.toContain("counts towards the limit");
    const shown = feedbackFormat.render({ row: withExplanation, course: gradebook.course, showHidden: true });
    expect(shown).toContain(`quiz question ${markdownCell(question.name)}`);
    expect(shown).toContain("  - Why: A `reject` counts towards the limit; a nack does not.");
    // On Gradescope: a test worth nothing, with the hidden tests' visibility, beside the question's own visible result.
    const results = renderGradescopeResults(report, "after_due_date");
    const explained = results.tests.filter((t) => t.name.includes(" quiz, explained: "));
    expect(explained.map((t) => [t.name.endsWith(question.name), t.visibility, t.max_score, t.output])).toEqual([[true, "after_due_date", 0, question.explanation]]);
    expect(results.tests.filter((t) => t.visibility === "visible").map((t) => t.output).join("\n")).not.toContain("counts towards the limit");
    expect(results.output).not.toContain("counts towards the limit");
  });

  test("after_due_date shows them once the row's deadline has passed; hidden and after_published wait for a run with visible", () => {
    if (!row) throw new Error("no row");
    const dated = { ...row, deadline: "2026-12-01T23:59:00Z" };
    const before = Date.parse("2026-12-01T12:00:00Z");
    const after = Date.parse("2026-12-02T00:00:00Z");
    expect(hiddenTestsShown(dated, "after_due_date", before)).toBe(false);
    expect(hiddenTestsShown(dated, "after_due_date", after)).toBe(true);
    expect(hiddenTestsShown({ ...row, deadline: null }, "after_due_date", after), "no deadline: never by date").toBe(false);
    for (const visibility of ["hidden", "after_published"] as const) expect(hiddenTestsShown(dated, visibility, after)).toBe(false);
    expect(hiddenTestsShown({ ...row, deadline: null }, "visible", before)).toBe(true);
  });
});

describe("item analysis", () => {
  test("counts an item over the submissions that started its module: a stub left as it is says nothing about the item", () => {
    const gradebook = checkGradebook(read("class.gradebook.json"), "class.gradebook.json");
    const before = classStatistics(gradebook);
    const row = gradebook.rows.find((candidate) => candidate.report?.modules.some((module) => module.id === "01-task-queue" && module.score === 0));
    const module = row?.report?.modules.find((candidate) => candidate.id === "01-task-queue");
    if (!module) throw new Error("the golden gradebook has no row with nothing earned in 01");
    module.untouched = true;
    module.problem = null;
    module.quizProgress = { answered: 0, questions: module.tests.filter((t) => t.kind === "quiz").length, problem: null };
    for (const test of module.tests) test.message = test.kind === "quiz" ? "not answered yet" : "TODO: enqueue(task) should add the task at the back of the queue";
    const after = classStatistics(gradebook);
    const items = (stats: typeof before) => stats.items.filter((item) => item.module === "01-task-queue");
    expect(items(before).length).toBeGreaterThan(0);
    for (const item of items(after)) {
      const was = items(before).find((candidate) => candidate.kind === item.kind && candidate.name === item.name);
      expect(item.graded, item.name).toBe((was?.graded ?? 0) - 1);
      expect(item.failing, item.name).toBe((was?.failing ?? 0) - 1);
    }
    // Module 00, which that student did start, still counts them.
    expect(after.items.filter((item) => item.module === "00-message-queues").map((item) => item.graded)).toEqual(before.items.filter((item) => item.module === "00-message-queues").map((item) => item.graded));
  });
});

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { copyCourse, removeCourseCopies } from "./support/course-copy.ts";
import { courseRoot } from "./support/course.ts";

interface WorkflowStep {
  name?: string;
  run?: string;
  uses?: string;
}

const workflow = parse(readFileSync(path.join(courseRoot, ".github", "workflows", "grade.yml"), "utf8")) as {
  jobs: Record<string, { steps: WorkflowStep[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const gradeScript = steps.find((step) => step.name === "Grade")?.run ?? "";

/** Runs the workflow's Grade step as the runner would: bash, in the checkout, with the Actions variables set. */
function runGradeStep(checkout: string) {
  const summary = path.join(checkout, "step-summary.md");
  writeFileSync(summary, "");
  const result = spawnSync("bash", ["-e", "-c", gradeScript], {
    cwd: checkout,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary },
    timeout: 240_000,
  });
  return { status: result.status, stdout: result.stdout, summary: readFileSync(summary, "utf8"), checkout };
}

describe.concurrent("the grade-on-push workflow", () => {
  afterAll(removeCourseCopies);

  test("installs with a cache, grades, and keeps the JSON report as an artifact", () => {
    expect(steps.find((step) => step.uses?.startsWith("actions/setup-node"))).toMatchObject({ with: { "node-version": 24, cache: "npm" } });
    expect(steps.some((step) => step.run?.includes("npm ci"))).toBe(true);
    expect(gradeScript).toContain("--json grade-report.json");
    expect(steps.find((step) => step.uses?.startsWith("actions/upload-artifact"))).toMatchObject({ with: { path: "grade-report.json" } });
  });

  test("in the source repository it grades the reference solutions and stays green", () => {
    const run = runGradeStep(copyCourse("instructor"));
    expect(run.status, run.stdout.slice(-2000)).toBe(0);
    expect(run.summary).toMatch(/^## .*: (\d+)\/\1 points \(100%\)/m);
    expect(run.summary).toContain("| 01-task-queue |");
    const report = JSON.parse(readFileSync(path.join(run.checkout, "grade-report.json"), "utf8"));
    expect(report.score).toBe(report.maxScore);
  });

  test("in a student's copy it grades their work, annotates their files, writes the summary and goes red", () => {
    const run = runGradeStep(copyCourse("student"));
    expect(run.status, "missing points fail the step").toBe(1);
    expect(run.summary).toContain("Not graded in this copy of the course: hidden tests, quiz.");
    expect(run.summary).toContain("TODO: enqueue(task) should add the task at the back of the queue");
    expect(run.summary).toMatch(/\*\*Next:\*\* Make the public tests of 01-task-queue pass: npm run exercise 01/);
    expect(run.stdout).toMatch(/^::error file=exercises\/01-task-queue\/task-queue\.ts,line=\d+,col=\d+,title=01-task-queue public test::/m);
    expect(existsSync(path.join(run.checkout, "grade-report.json"))).toBe(true);
  });
});

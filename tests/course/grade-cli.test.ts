import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { Ajv } from "ajv";
import { afterAll, describe, expect, test } from "vitest";
import { runCli } from "./support/cli.ts";
import { course, courseRoot } from "./support/course.ts";
import { publishedReport } from "./support/report-schema.ts";

// The report contract (contracts §3) as a schema, so the JSON is checked field by field.
const reportSchema = {
  type: "object",
  required: ["version", "score", "maxScore", "modules"],
  properties: {
    version: { const: 1 },
    score: { type: "number" },
    maxScore: { type: "number" },
    modules: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "score", "maxScore", "tests"],
        properties: {
          id: { type: "string" },
          score: { type: "number" },
          maxScore: { type: "number" },
          tests: {
            type: "array",
            items: {
              type: "object",
              required: ["name", "kind", "status", "score", "maxScore", "message"],
              properties: {
                name: { type: "string" },
                kind: { enum: ["public", "hidden", "quiz"] },
                status: { enum: ["passed", "failed", "error"] },
                score: { type: "number" },
                maxScore: { type: "number" },
                message: { type: ["string", "null"] },
              },
            },
          },
        },
      },
    },
  },
};

const temporaryFolders: string[] = [];
afterAll(() => {
  for (const dir of temporaryFolders) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder, removed after the tests. */
function temporaryFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryFolders.push(dir);
  return dir;
}

function expectOneLineError(result: { status: number | null; stderr: string; stdout: string }, pattern: RegExp): void {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stderr.trim().split("\n"), "exactly one line on stderr").toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

// Each test runs whole commands, several at once on a small machine: room for each.
describe.concurrent("npm run grade", { timeout: 180_000 }, () => {
  test("grades the reference solutions with full marks, exit 0, and writes the JSON report", () => {
    const dir = temporaryFolder("grade-cli-");
    const jsonFile = path.join(dir, "report.json");
    const result = runCli("grade", ["--solutions", "--only", "01", "--json", jsonFile]);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("01-task-queue");
    expect(result.stdout).toMatch(/Total\s+(\d+)\/\1 points \(100%\)/);
    // --only 01 earns every point of one module, not of the course: the last line says so.
    expect(result.stdout).toMatch(new RegExp(`Next\\s+Every point of 01-task-queue earned\\. This run graded only 01-task-queue; npm run grade grades all ${course.modules.length} modules\\.`));
    expect(result.stdout).not.toContain("Well done");
    const report = publishedReport(JSON.parse(readFileSync(jsonFile, "utf8")));
    expect(report.leftOut).toEqual(course.modules.map((module) => module.id).filter((id) => id !== "01-task-queue"));
    const validate = new Ajv().compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.score).toBe(report.maxScore);
    expect(report.modules[0]?.tests.map((t) => t.kind)).toEqual(expect.arrayContaining(["public", "hidden", "quiz"]));
  });

  test("60,000 stray files and names near 4 KB: the report lists 50 with a count, and the job summary stays far under GitHub's 1 MiB", () => {
    const dir = temporaryFolder("grade-cli-many-");
    const module = path.join(dir, "exercises", "01-task-queue");
    cpSync(path.join(courseRoot, "solutions", "01-task-queue"), module, { recursive: true });
    for (let index = 0; index < 60_000; index++) writeFileSync(path.join(module, `stray-${index}.txt`), "");
    // Folders nested to a path of almost 4 KB, with a file at the bottom.
    let deep = module;
    while (deep.length < 3_900) deep = path.join(deep, "d".repeat(200));
    mkdirSync(deep, { recursive: true });
    writeFileSync(path.join(deep, "x.md"), "");
    const outputs = temporaryFolder("grade-cli-many-out-");
    const jsonFile = path.join(outputs, "report.json");
    const summary = path.join(outputs, "summary.md");
    writeFileSync(summary, "");
    const result = runCli("grade", ["--submission", dir, "--only", "01", "--json", jsonFile], { env: { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary } });
    expect(result.status, result.stderr).toBe(1); // no quiz: points are missing, nothing else
    const report = publishedReport(JSON.parse(readFileSync(jsonFile, "utf8")));
    expect(report.ignored.filter((name) => !name.includes("stray-")), "the deep file, its name cut").toEqual([expect.stringMatching(/^exercises\/01-task-queue\/d+…$/)]);
    expect(report.ignoredCount).toBe(60_001);
    expect(report.ignored).toHaveLength(50);
    expect(Math.max(...report.ignored.map((name) => name.length))).toBeLessThanOrEqual(201);
    expect(readFileSync(jsonFile).length).toBeLessThan(300_000);
    const written = readFileSync(summary, "utf8");
    expect(Buffer.byteLength(written)).toBeLessThan(100_000);
    expect(written).toContain("and 59,951 more");
    expect(result.stdout).toMatch(/Not used for grading: .* and 59,993 more/);
  });

  test("the speed budgets that coverage and mutation runs stretch are never stretched when grading", () => {
    const slow = path.join(courseRoot, "tests", "fixtures", "submissions", "01-wrong-shift");
    const result = runCli("grade", ["--submission", slow, "--only", "01"], { env: { MQ_SPEED_BUDGET_SCALE: "1000" } });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/a million enqueues then a million dequeues take constant time each · rule \[speed\]\n\s+this speed check is too slow: it ran out of its CPU-time budget\. The public test of the same rule names the slow operation\./);
  });

  test("an O(n) priority queue with other mistakes: every cause shows once with its count, and the speed checks together, each naming the slow operation", () => {
    // A first attempt: push, then scan for the best item on every dequeue; no check of the priority.
    const dir = temporaryFolder("mq-scan-queue-");
    mkdirSync(path.join(dir, "exercises", "02-priority-queue"), { recursive: true });
    writeFileSync(
      path.join(dir, "exercises", "02-priority-queue", "priority-queue.ts"),
      `export class PriorityQueue<T = unknown> {
  private items: { item: T; priority: number }[] = [];
  enqueue(item: T, priority = 0): void { this.items.push({ item, priority }); }
  private best(): number {
    let best = 0;
    for (let i = 1; i < this.items.length; i++) if (this.items[i]!.priority > this.items[best]!.priority) best = i;
    return best;
  }
  dequeue(): T | null { return this.items.length === 0 ? null : this.items.splice(this.best(), 1)[0]!.item; }
  peek(): T | null { return this.items.length === 0 ? null : this.items[this.best()]!.item; }
  size(): number { return this.items.length; }
}
`,
    );
    const result = runCli("grade", ["--submission", dir, "--only", "02"]);
    expect(result.status).toBe(1);
    const text = result.stdout;
    expect(text).toMatch(/✗ \d+ quiz questions fail for one reason/);
    for (const name of ["NaN and infinite priorities throw a RangeError and add nothing", "NaN as a priority throws a RangeError", "Infinity and -Infinity as priorities throw a RangeError"]) expect(text).toContain(name);
    // The public speed check warns first, naming the slow operation; the hidden ones follow, in the judge's words only.
    expect(text).toMatch(/✗ 3 speed checks are too slow:\n.*\[public\] .*stay fast with many items waiting · rule \[speed\]\n +enqueue then dequeue with [\d,]+ items waiting is too slow/);
    expect(text).toMatch(/150,000 dequeues from 500,000 waiting items take O\(log n\) each · rule \[speed\]\n +this speed check is too slow: it ran out of its CPU-time budget\. The public test of the same rule names the slow operation\./);
    expect(text).not.toContain("500,000 items waiting is too slow");
    // The fourth cause (the NaN item is added anyway) is counted, and the JSON report lists it.
    expect(text).toContain("… and 1 more not passing, for 1 other reason (npm run grade -- --json report.json lists them all)");
  });

  test("grades the untouched stubs with 0 and exit 1, naming what to do", () => {
    const result = runCli("grade", ["--only", "01-task-queue"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/01-task-queue.*0\/\d+/);
    expect(result.stdout).toContain("TODO: enqueue(task) should add the task at the back of the queue");
    expect(result.stdout).toContain("Next");
  });

  test("an unknown module is a one-line error with exit 2", () => {
    expectOneLineError(runCli("grade", ["--only", "nope"]), /unknown module "nope"/);
  });

  test("an unknown option is a one-line error with exit 2", () => {
    expectOneLineError(runCli("grade", ["--frobnicate"]), /Unknown option --frobnicate/);
  });

  test("a positional argument is a one-line error with exit 2", () => {
    expectOneLineError(runCli("grade", ["01"]), /Unexpected argument/);
  });

  test("a missing submission folder is a one-line error with exit 2", () => {
    expectOneLineError(runCli("grade", ["--submission", "/no/such/folder"]), /--submission: \/no\/such\/folder does not exist/);
  });

  test("a bad --timeout is a one-line error with exit 2", () => {
    expectOneLineError(runCli("grade", ["--timeout", "soon"]), /--timeout/);
  });

  test("--json into a missing folder fails before grading, exit 2", () => {
    expectOneLineError(runCli("grade", ["--json", "/no/such/folder/report.json"]), /--json: folder/);
  });

  test("--submission and --solutions together are a one-line error with exit 2", () => {
    expectOneLineError(runCli("grade", ["--solutions", "--submission", "."]), /cannot be used together/);
  });

  test("a malformed course.json is a one-line error naming the field, exit 2", () => {
    // A copy of the grader beside a broken manifest: the grader reads the course it sits in.
    const course = temporaryFolder("broken-course-");
    cpSync(path.join(courseRoot, "grader"), path.join(course, "grader"), { recursive: true });
    symlinkSync(path.join(courseRoot, "node_modules"), path.join(course, "node_modules"), "dir");
    writeFileSync(path.join(course, "package.json"), '{ "type": "module" }');
    const manifest = JSON.parse(readFileSync(path.join(courseRoot, "course.json"), "utf8"));
    manifest.modules[1].points.hiddenTest = "ten";
    writeFileSync(path.join(course, "course.json"), JSON.stringify(manifest));
    const tsx = path.join(courseRoot, "node_modules", "tsx", "dist", "cli.mjs");
    const result = spawnSync(process.execPath, [tsx, path.join(course, "grader", "cli", "grade.ts")], { cwd: course, encoding: "utf8" });
    expectOneLineError({ status: result.status, stdout: result.stdout, stderr: result.stderr }, /course\.json: modules\[1\]\.points\.hiddenTest must be integer/);
  });

  test("in GitHub Actions, submission text cannot issue workflow commands", () => {
    const fixture = path.join(courseRoot, "tests", "fixtures", "submissions", "01-hostile-workflow-commands");
    const result = runCli("grade", ["--submission", fixture, "--only", "01"], { env: { GITHUB_ACTIONS: "true" } });
    expect(result.status).toBe(1);
    const lines = result.stdout.split("\n");
    const start = lines.findIndex((line) => line.startsWith("::stop-commands::"));
    const token = lines[start]?.slice("::stop-commands::".length) ?? "";
    const end = lines.indexOf(`::${token}::`);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(end, "commands resume only after the scorecard").toBeGreaterThan(start);
    expect(lines.slice(start + 1, end).join("\n"), "the fake command is quoted inside the pause").toContain("::notice title=Grade::");
    // Outside the pause only the grader's own annotations appear, with the quoted text escaped as their data.
    const outside = [...lines.slice(0, start), ...lines.slice(end + 1)].filter((line) => line.trimStart().startsWith("::"));
    expect(outside.length).toBeGreaterThan(0);
    for (const line of outside) expect(line).toMatch(/^::error file=exercises\/01-task-queue\/task-queue\.ts,line=\d+,col=\d+,title=[^:]+::[^\n]*$|^::notice title=More to fix::[^\n]*$/);
    expect(result.stdout).not.toContain("\u001b[1A");
  });

  test("a malformed quiz in the submission costs that quiz, with the line to fix; the rest is graded", () => {
    const dir = temporaryFolder("grade-quiz-");
    const quizDir = path.join(dir, "lessons", "01-task-queue");
    mkdirSync(quizDir, { recursive: true });
    const courseQuiz = readFileSync(path.join(courseRoot, "lessons", "01-task-queue", "quiz.md"), "utf8");
    writeFileSync(path.join(quizDir, "quiz.md"), courseQuiz.replace("- [ ] ", "- ").replace("- [ ] B, then C", "- [x] B, then C"));
    cpSync(path.join(courseRoot, "solutions", "01-task-queue"), path.join(dir, "exercises", "01-task-queue"), { recursive: true });
    const jsonFile = path.join(dir, "report.json");
    const result = runCli("grade", ["--submission", dir, "--only", "01", "--json", jsonFile]);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/lessons\/01-task-queue\/quiz\.md:10: this option of .* has no box; write "- \[x\]"/);
    const report = publishedReport(JSON.parse(readFileSync(jsonFile, "utf8")));
    const tests = report.modules[0]?.tests ?? [];
    expect(tests.filter((test) => test.kind !== "quiz").every((test) => test.status === "passed")).toBe(true);
    expect(tests.filter((test) => test.kind === "quiz").every((test) => test.status === "failed")).toBe(true);
  });
});

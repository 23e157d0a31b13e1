import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { copyCourse, removeCourseCopies } from "./support/course-copy.ts";
import { course, courseRoot, exerciseModules, publicTests, quizQuestions } from "./support/course.ts";
import { publishedReport } from "./support/report-schema.ts";

interface WorkflowStep {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

function workflowSteps(file: string): WorkflowStep[] {
  const workflow = parse(readFileSync(file, "utf8")) as { jobs: Record<string, { steps: WorkflowStep[] }> };
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

/**
 * Runs a workflow's step as the runner would: bash, in the checkout, with the
 * Actions variables set. Asynchronously, so the tests below really run side by side.
 */
async function runStep(checkout: string, workflow: string, stepName: string, env: NodeJS.ProcessEnv = {}) {
  const script = workflowSteps(path.join(checkout, workflow)).find((step) => step.name === stepName)?.run ?? "";
  expect(script, `${workflow} has a "${stepName}" step`).not.toBe("");
  const summary = path.join(checkout, "step-summary.md");
  writeFileSync(summary, "");
  const child = spawn("bash", ["-e", "-c", script], {
    cwd: checkout,
    env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary, ...env },
    timeout: 240_000,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [status] = (await once(child, "close")) as [number | null];
  return { status, stdout, stderr, summary: readFileSync(summary, "utf8"), checkout };
}

/** Several gradings at once on a small machine: room for each. */
const stepTimeoutMs = 240_000;

const sourceWorkflow = ".github/workflows/reference-solutions.yml";
const gradebookWorkflow = ".github/workflows/gradebook.yml";
const studentWorkflow = ".github/workflows/practice.yml";

describe.concurrent("the workflows, each in the repository it belongs to", () => {
  afterAll(removeCourseCopies);

  test("both install with a cache, grade, and keep the JSON report as an artifact", () => {
    for (const file of [path.join(courseRoot, sourceWorkflow), path.join(courseRoot, "release", "student", studentWorkflow)]) {
      const steps = workflowSteps(file);
      expect(steps.find((step) => step.uses?.startsWith("actions/setup-node")), file).toMatchObject({ with: { "node-version": 24, cache: "npm" } });
      expect(steps.some((step) => step.run?.includes("npm ci")), file).toBe(true);
      expect(steps.find((step) => step.uses?.startsWith("actions/upload-artifact"))?.with?.["path"], file).toBe("grade-report.json");
    }
  });

  test("the source workflow grades in the sandbox, after the steps that let bubblewrap start on ubuntu-24.04", () => {
    const steps = workflowSteps(path.join(courseRoot, sourceWorkflow));
    const prepare = steps.findIndex((step) => step.run?.includes("kernel.apparmor_restrict_unprivileged_userns=0") && step.run.includes("install -y bubblewrap"));
    const gradeStep = steps.findIndex((step) => step.name === "Grade");
    expect(prepare).toBeGreaterThanOrEqual(0);
    expect(prepare).toBeLessThan(gradeStep);
    expect(steps[gradeStep]?.run).toContain("--isolation sandbox");
  });

  test("the source repository grades the reference solutions and stays green", async () => {
    const run = await runStep(copyCourse("instructor"), sourceWorkflow, "Grade");
    expect(run.status, run.stdout.slice(-2000)).toBe(0);
    expect(run.summary).toMatch(/^## .*: (\d+)\/\1 points \(100%\)/m);
    expect(run.summary).toContain("| 01-task-queue |");
    const report = publishedReport(JSON.parse(readFileSync(path.join(run.checkout, "grade-report.json"), "utf8")));
    expect(report.score).toBe(report.maxScore);
  }, stepTimeoutMs);

  test("the source workflow, run where there are no solutions, fails loudly instead of grading the stubs", async () => {
    const checkout = copyCourse("student");
    cpSync(path.join(courseRoot, ".github"), path.join(checkout, ".github"), { recursive: true });
    const run = await runStep(checkout, sourceWorkflow, "Grade");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("this copy of the course has no reference solutions");
  }, stepTimeoutMs);

  test("a fresh template's practice run is green: nothing started is nothing wrong, it says what it checks and who grades the rest, and it grades exercises/ even beside a solutions/ folder", async () => {
    const checkout = copyCourse("student");
    cpSync(path.join(courseRoot, "solutions"), path.join(checkout, "solutions"), { recursive: true });
    const run = await runStep(checkout, studentWorkflow, "Practice grade");
    expect(run.status, run.stdout.slice(-3000)).toBe(0);
    expect(run.stdout, "no annotations on untouched stubs").not.toMatch(/^::(error|warning)/m);
    expect(run.summary).toMatch(/^## .*: practice run, on track$/m);
    expect(run.summary).toContain("hidden tests and quiz answers: graded by your instructor, not here");
    expect(run.summary, "when and where, from course.json").toContain("every hour, at 17 minutes past (UTC), on the newest commit you have pushed");
    expect(run.summary).not.toMatch(/points|100%|\d+\/\d+ \(\d+%\)/);
    for (const module of exerciseModules.map((candidate) => candidate.id)) {
      expect(run.summary, "the stubs in exercises/ were checked, not solutions/").toMatch(new RegExp(`### ⏸️ ${module}: .*: not started \\(public tests 0/${publicTests(module)} · quiz 0/${quizQuestions(module)} answered\\)`));
    }
    expect(run.summary).not.toContain("TODO: enqueue(task) should add the task at the back of the queue");
    expect(run.summary).toMatch(/\*\*Next:\*\* `Answer the quiz of 00-message-queues: npm run quiz 00/);
    const report = publishedReport(JSON.parse(readFileSync(path.join(run.checkout, "grade-report.json"), "utf8")));
    expect(report.modules.flatMap((module: { tests: Array<{ kind: string }> }) => module.tests.map((test) => test.kind))).not.toContain("hidden");
  }, stepTimeoutMs);

  test("a student who starts 01 and breaks it turns the run red, with annotations on 01 only", async () => {
    const checkout = copyCourse("student");
    const file = path.join(checkout, "exercises", "01-task-queue", "task-queue.ts");
    // Started: the stub's enqueue is written, but dequeue still throws its TODO.
    writeFileSync(file, readFileSync(file, "utf8").replace(/(enqueue\(task: T\): void \{)[^}]*\}/, "$1\n    void task;\n  }"));
    const run = await runStep(checkout, studentWorkflow, "Practice grade");
    expect(run.status, run.stdout.slice(-3000)).toBe(1);
    const annotations = run.stdout.split("\n").filter((line) => /^::(error|warning) /.test(line));
    expect(annotations.length).toBeGreaterThan(0);
    for (const annotation of annotations) expect(annotation).toMatch(/^::error file=(exercises|tests\/public)\/01-task-queue[/.]/);
    expect(run.summary).toMatch(/^## .*: practice run, something to fix$/m);
    expect(run.summary).toMatch(/### ❌ 01-task-queue: .*: public tests 0\/\d+/);
    expect(run.summary).toMatch(/### ⏸️ 02-priority-queue: .*: not started/);
  }, stepTimeoutMs);

  test("with 01 to 03 done but a syntax error in 02 and a failing test in 03, both are annotated first, in course order", async () => {
    const checkout = copyCourse("student");
    for (const module of ["01-task-queue", "02-priority-queue", "03-visibility-timeout"]) {
      cpSync(path.join(courseRoot, "solutions", module), path.join(checkout, "exercises", module), { recursive: true });
    }
    const priority = path.join(checkout, "exercises", "02-priority-queue", "priority-queue.ts");
    writeFileSync(priority, readFileSync(priority, "utf8").replace("dequeue(", "dequeue( {"));
    const visibility = path.join(checkout, "exercises", "03-visibility-timeout", "visibility-queue.ts");
    // ack forgets to say it worked: the message is deleted, but ack answers false.
    writeFileSync(visibility, readFileSync(visibility, "utf8").replace(/(ack\(receiptHandle: string\): boolean \{[^]*?)return true;/, "$1return false;"));
    const run = await runStep(checkout, studentWorkflow, "Practice grade");
    expect(run.status, run.stdout.slice(-3000)).toBe(1);
    const annotations = run.stdout.split("\n").filter((line) => /^::(error|warning) /.test(line));
    expect(annotations[0]).toMatch(/^::error file=exercises\/02-priority-queue\/priority-queue\.ts,line=\d+,col=\d+,title=02-priority-queue types::/);
    const firstOf03 = annotations.findIndex((line) => line.includes("title=03-visibility-timeout"));
    expect(firstOf03, annotations.join("\n")).toBeGreaterThan(0);
    expect(annotations.slice(0, firstOf03).every((line) => line.includes("title=02-priority-queue types")), annotations.join("\n")).toBe(true);
    expect(annotations.some((line) => line.includes("01-task-queue")), "01 is done").toBe(false);
    expect(run.summary, "01's public tests pass; its quiz is still to answer").toMatch(/### 🔶 01-task-queue: .*: public tests (\d+)\/\1 · quiz 0\/\d+ answered/);
    expect(run.summary).toMatch(/\*\*Next:\*\* `Fix exercises\/02-priority-queue\/priority-queue\.ts:\d+:\d+: /);
  }, stepTimeoutMs);

  test("a student's malformed quiz turns the run red with the line to fix, and the rest is still graded", async () => {
    const checkout = copyCourse("student");
    const quiz = path.join(checkout, "lessons", "02-priority-queue", "quiz.md");
    // Two questions broken: the first option of the first, the last option of the last. Both are named at once.
    const text = readFileSync(quiz, "utf8").replace("- [ ] ", "- ");
    const last = text.lastIndexOf("- [ ] ");
    writeFileSync(quiz, `${text.slice(0, last)}- ${text.slice(last + "- [ ] ".length)}`);
    // 02 done, the rest not started (and so not run): only the quiz can turn the run red.
    cpSync(path.join(courseRoot, "solutions", "02-priority-queue"), path.join(checkout, "exercises", "02-priority-queue"), { recursive: true });
    const run = await runStep(checkout, studentWorkflow, "Practice grade");
    expect(run.status, "every started module passes, and still the run is red").toBe(1);
    expect(run.summary).toMatch(/### ❌ 02-priority-queue: .*quiz cannot be read/);
    expect(run.summary).toMatch(/- ❌ `lessons\/02-priority-queue\/quiz\.md:\d+: this option of .* has no box; write "- \[x\]"/);
    expect(run.summary.match(/^- ❌ `lessons\/02-priority-queue\/quiz\.md:\d+: /gm), "every problem at once").toHaveLength(2);
    expect(run.stdout.match(/^::error file=lessons\/02-priority-queue\/quiz\.md,line=\d+,col=1,title=02-priority-queue quiz::/gm)).toHaveLength(2);
    expect(run.summary).toMatch(/\*\*Next:\*\* `Mend the quiz of 02-priority-queue: lessons\/02-priority-queue\/quiz\.md:\d+: /);
    expect(existsSync(path.join(checkout, "grade-report.json"))).toBe(true);
  }, stepTimeoutMs);

  test("every action runs on Node 24: each is at a major whose action.yml says runs.using node24", () => {
    // Read from each action's action.yml at that tag; Node 20 actions stopped running on GitHub's runners in September 2026.
    const node24Majors: Record<string, string> = {
      "actions/checkout": "v7",
      "actions/setup-node": "v7",
      "actions/cache": "v5",
      "actions/cache/restore": "v5",
      "actions/cache/save": "v5",
      "actions/upload-artifact": "v7",
      "actions/download-artifact": "v8",
    };
    const workflows = [
      ...readdirSync(path.join(courseRoot, ".github", "workflows")).map((name) => path.join(courseRoot, ".github", "workflows", name)),
      ...readdirSync(path.join(courseRoot, "release", "student", ".github", "workflows")).map((name) => path.join(courseRoot, "release", "student", ".github", "workflows", name)),
    ];
    const used = workflows.flatMap((file) => workflowSteps(file).flatMap((step) => (step.uses ? [`${path.basename(file)}: ${step.uses}`] : [])));
    expect(used.length).toBeGreaterThan(10);
    for (const entry of used) {
      const [action, major] = (entry.split(": ")[1] ?? "").split("@");
      expect(node24Majors[action ?? ""], `${entry}: an action whose Node 24 major is not known`).toBeDefined();
      expect(major, entry).toBe(node24Majors[action ?? ""]);
    }
  });

  test("what students are told of the instructor's grader (course.json's hiddenResults) is what the gradebook workflow does: its cron, and posts to their commits", () => {
    const workflow = parse(readFileSync(path.join(courseRoot, gradebookWorkflow), "utf8")) as { on: { schedule: Array<{ cron: string }> }; env: Record<string, string> };
    const posts = workflow.env["SCHEDULED_POST"];
    if (course.hiddenResults.where === "commits") {
      expect(workflow.on.schedule.map((entry) => entry.cron)).toEqual([course.hiddenResults.schedule]);
      expect(["status", "feedback"]).toContain(posts);
    } else {
      expect(posts).toBe("none");
    }
  });

  test("a manual gradebook run has a concurrency group of its own, so a scheduled run never cancels it while it waits", () => {
    const workflow = parse(readFileSync(path.join(courseRoot, gradebookWorkflow), "utf8")) as { concurrency: { group: string; "cancel-in-progress": boolean } };
    expect(workflow.concurrency["cancel-in-progress"]).toBe(false);
    // The group's expression, evaluated as GitHub does for each event.
    const expression = /^\$\{\{(.*)\}\}$/.exec(workflow.concurrency.group)?.[1] ?? "";
    const javascript = expression.replaceAll("==", "===").replaceAll("'", '"');
    const group = new Function("github", "format", `return ${javascript};`) as (github: { event_name: string; run_id: number }, format: (text: string, ...args: unknown[]) => string) => string;
    const format = (text: string, ...args: unknown[]) => text.replace(/\{(\d+)\}/g, (_, index: string) => String(args[Number(index)]));
    expect(group({ event_name: "schedule", run_id: 1 }, format)).toBe(group({ event_name: "schedule", run_id: 2 }, format));
    expect(group({ event_name: "workflow_dispatch", run_id: 3 }, format)).not.toBe(group({ event_name: "schedule", run_id: 4 }, format));
    expect(group({ event_name: "workflow_dispatch", run_id: 3 }, format)).not.toBe(group({ event_name: "workflow_dispatch", run_id: 5 }, format));
  });

  test("the gradebook workflow runs hourly and on demand with a deadline, shards in the sandbox, keeps results between runs, merges once", () => {
    const workflow = parse(readFileSync(path.join(courseRoot, gradebookWorkflow), "utf8")) as {
      on: { schedule: { cron: string }[]; workflow_dispatch: { inputs: Record<string, unknown> } };
      jobs: Record<string, { needs?: string | string[]; strategy?: { matrix: { shard: number[] } }; steps: WorkflowStep[] }>;
    };
    expect(workflow.on.schedule[0]?.cron).toMatch(/^\d+ \* \* \* \*$/);
    expect(Object.keys(workflow.on.workflow_dispatch.inputs)).toContain("deadline");
    const shard = workflow.jobs["shard"];
    expect(shard?.strategy?.matrix.shard.length).toBeGreaterThan(1);
    const names = shard?.steps.map((step) => step.name ?? step.uses ?? "") ?? [];
    expect(names.indexOf("Let the sandbox start")).toBeLessThan(names.indexOf("Grade this shard"));
    expect(shard?.steps.find((step) => step.uses?.startsWith("actions/cache"))?.with?.["path"]).toBe(".gradebook-cache");
    expect(workflow.jobs["merge"]?.needs).toEqual(["pushes", "shard"]);
    expect(workflow.jobs["merge"]?.steps.find((step) => step.name === "Keep the gradebook")?.with?.["path"]).toContain("gradebook/gradebook.csv");
  });

  test("the gradebook workflow's shards grade their rows, and its merge writes the class report as the job summary", async () => {
    const checkout = copyCourse("instructor");
    // One student who has not started (the template as released), and one whose repository is empty.
    const template = path.join(checkout, "class", "template");
    mkdirSync(template, { recursive: true });
    cpSync(path.join(courseRoot, "exercises"), path.join(template, "exercises"), { recursive: true });
    cpSync(path.join(courseRoot, "lessons"), path.join(template, "lessons"), { recursive: true });
    const git = (dir: string, ...args: string[]) => spawnSync("git", ["-c", "user.name=Student", "-c", "user.email=student@example.com", ...args], { cwd: dir, encoding: "utf8" });
    git(template, "init", "--quiet");
    git(template, "add", "--all");
    git(template, "commit", "--quiet", "--message", "the template");
    mkdirSync(path.join(checkout, "class", "empty"));
    git(path.join(checkout, "class", "empty"), "init", "--quiet");
    writeFileSync(path.join(checkout, "class", "roster.csv"), "student,repo\nnewcomer,template\nnobody,empty\n");
    const env = { ROSTER: "class/roster.csv", SCHEDULED_DEADLINE: "", DISPATCHED_DEADLINE: "" };
    for (const shard of [1, 2]) {
      const run = await runStep(checkout, gradebookWorkflow, "Grade this shard", { ...env, SHARD: `${shard}/2` });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      if (shard === 2) expect(run.stdout).toContain("::warning::Some students in shard 2/2 could not be graded");
      mkdirSync(path.join(checkout, "shards"), { recursive: true });
      renameSync(path.join(checkout, "gradebook-shard"), path.join(checkout, "shards", `gradebook-shard-${shard}`));
    }
    const merged = await runStep(checkout, gradebookWorkflow, "Merge", { SCHEDULED_POST: "none", DISPATCHED_POST: "", GITHUB_TOKEN: "", HIDDEN_VISIBILITY: "after_due_date" });
    expect(merged.status, merged.stdout + merged.stderr).toBe(0);
    expect(merged.summary).toMatch(/^# .*: class report\n\n2 students: 1 graded, 1 could not be graded\./);
    expect(merged.summary).toContain("| nobody | `empty` | `the repository has no commits` |");
    // A column per module, whatever the course holds: the weighted total, the points, then 0 for each module.
    const modules = course.modules.length;
    const rows = `\\r\\nnewcomer,template,[0-9a-f]{40},[^,]+,0,[^,]+,0,0,${"0,".repeat(modules)}\\r\\nnobody,empty,${",".repeat(6 + modules)}the repository has no commits\\r\\n$`;
    expect(readFileSync(path.join(checkout, "gradebook", "gradebook.csv"), "utf8")).toMatch(new RegExp(rows));
    // A class in which no row can be graded (an expired token, say): the run is red, not a warning.
    writeFileSync(path.join(checkout, "class", "nobody.csv"), "student,repo\nnobody,empty\n");
    const ungraded = await runStep(checkout, gradebookWorkflow, "Grade this shard", { ...env, ROSTER: "class/nobody.csv", SHARD: "1/1" });
    expect(ungraded.status, ungraded.stdout + ungraded.stderr).toBe(0);
    rmSync(path.join(checkout, "shards"), { recursive: true });
    mkdirSync(path.join(checkout, "shards"));
    renameSync(path.join(checkout, "gradebook-shard"), path.join(checkout, "shards", "gradebook-shard-1"));
    const nobody = await runStep(checkout, gradebookWorkflow, "Merge", { SCHEDULED_POST: "none", DISPATCHED_POST: "", GITHUB_TOKEN: "", HIDDEN_VISIBILITY: "after_due_date" });
    expect(nobody.status, nobody.stdout + nobody.stderr).toBe(1);
    expect(nobody.stdout).toContain("::error::No student could be graded");
  }, stepTimeoutMs);

  test("a scheduled gradebook run grades only when the pushes job says something changed, within the term; a manual run always grades; what it saw is saved only after the merge", () => {
    interface Job {
      needs?: string | string[];
      if?: string;
      outputs?: Record<string, string>;
      steps: (WorkflowStep & { id?: string })[];
    }
    const workflow = parse(readFileSync(path.join(courseRoot, gradebookWorkflow), "utf8")) as { env: Record<string, string>; jobs: Record<string, Job> };
    expect(workflow.env).toMatchObject({ TERM_START: "", TERM_END: "" });
    const pushes = workflow.jobs["pushes"];
    const shard = workflow.jobs["shard"];
    const merge = workflow.jobs["merge"];
    expect(pushes?.needs).toBeUndefined();
    expect(pushes?.outputs?.["changed"]).toBe("${{ steps.pushes.outputs.changed }}");
    expect(pushes?.steps.some((step) => step.run?.includes("npm ci")), "the hourly job installs only the roster reader").toBe(false);
    // Git and the roster are set up as the shards set them up.
    for (const name of ["Let git read the students' repositories", "Write the roster from its secret"]) {
      expect(pushes?.steps.find((step) => step.name === name)?.run, name).toBe(shard?.steps.find((step) => step.name === name)?.run);
    }
    const look = pushes?.steps.find((step) => step.id === "pushes");
    expect(look?.run).toContain("node grader/cli/pushes.ts");
    expect(look?.run).toMatch(/if \[ "\$GITHUB_EVENT_NAME" = "schedule" \]; then args\+=\(--term-start "\$TERM_START" --term-end "\$TERM_END"\)/);
    expect(shard?.needs).toBe("pushes");
    expect(merge?.needs).toEqual(["pushes", "shard"]);

    // The jobs' condition, evaluated as GitHub does (with its implicit success() of the jobs needed).
    for (const job of [shard, merge]) {
      const javascript = (job?.if ?? "").replace(/([!=])=/g, "$1==").replaceAll("'", '"');
      const runs = new Function("needs", "github", `return ${javascript};`) as (needs: { pushes: { outputs: { changed: string } } }, github: { event_name: string }) => boolean;
      const when = (event: string, changed: string) => runs({ pushes: { outputs: { changed } } }, { event_name: event });
      expect(when("schedule", "true")).toBe(true);
      expect(when("schedule", "false")).toBe(false);
      expect(when("schedule", ""), "a pushes job that said nothing").toBe(false);
      expect(when("workflow_dispatch", "false")).toBe(true);
    }

    // Restored in the pushes job, saved by the merge after it merged, under keys the restore finds.
    const restore = pushes?.steps.find((step) => step.uses?.startsWith("actions/cache/restore"));
    expect(restore?.with?.["path"]).toBe(".gradebook-pushes");
    const saveIndex = merge?.steps.findIndex((step) => step.uses?.startsWith("actions/cache/save")) ?? -1;
    const save = merge?.steps[saveIndex];
    expect(saveIndex).toBeGreaterThan(merge?.steps.findIndex((step) => step.name === "Merge") ?? Infinity);
    expect(save?.with?.["path"]).toBe(".gradebook-pushes");
    expect(String(save?.with?.["key"])).toMatch(new RegExp(`^${restore?.with?.["restore-keys"]}\\$\\{\\{ github\\.run_id \\}\\}`));
    expect(workflow.jobs["shard"]?.steps.flatMap((step) => (step.uses?.startsWith("actions/cache") ? [String(step.with?.["restore-keys"])] : []))).not.toContain(restore?.with?.["restore-keys"]);
    const kept = pushes?.steps.find((step) => step.uses?.startsWith("actions/upload-artifact"));
    const fetched = merge?.steps.find((step) => step.uses?.startsWith("actions/download-artifact") && step.with?.["name"] === kept?.with?.["name"]);
    expect(fetched?.with?.["path"]).toBe(".gradebook-pushes");
  });

  test("the pushes step, run as the runner runs it: grades at first, then not until a student pushes, and a scheduled run outside the term grades no one", async () => {
    const checkout = copyCourse("instructor");
    const repo = path.join(checkout, "class", "ada");
    mkdirSync(repo, { recursive: true });
    const git = (...args: string[]) => spawnSync("git", ["-c", "user.name=Student", "-c", "user.email=student@example.com", ...args], { cwd: repo, encoding: "utf8" });
    git("init", "--quiet");
    git("commit", "--quiet", "--allow-empty", "--message", "start");
    writeFileSync(path.join(checkout, "class", "roster.csv"), "student,repo\nada,ada\n");
    // The step runs the TypeScript on Node 24 as it is; a Node without type stripping gets tsx's loader.
    const bin = path.join(checkout, "node-bin");
    mkdirSync(bin);
    writeFileSync(path.join(bin, "node"), `#!/bin/sh\nexec "${process.execPath}" --import tsx "$@"\n`, { mode: 0o755 });
    const stripsTypes = Boolean((process.features as { typescript?: unknown }).typescript);
    const output = path.join(checkout, "github-output");
    const env = {
      ...(stripsTypes ? {} : { PATH: `${bin}:${process.env["PATH"]}` }),
      ROSTER: "class/roster.csv", SCHEDULED_DEADLINE: "", DISPATCHED_DEADLINE: "", SCHEDULED_POST: "none", DISPATCHED_POST: "", HIDDEN_VISIBILITY: "after_due_date",
      GITHUB_SHA: "c0ffee", GITHUB_EVENT_NAME: "schedule", GITHUB_OUTPUT: output, TERM_START: "", TERM_END: "",
    };
    const look = async (extra: NodeJS.ProcessEnv = {}) => {
      writeFileSync(output, "");
      const run = await runStep(checkout, gradebookWorkflow, "Look for pushes", { ...env, ...extra });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      return { stdout: run.stdout, output: readFileSync(output, "utf8") };
    };
    expect(await look()).toEqual({ stdout: "::notice::Grading: no earlier graded run saved what it saw.\n", output: "changed=true\n" });
    // What the merge job saves in the cache, and the next run restores.
    mkdirSync(path.join(checkout, ".gradebook-pushes"));
    renameSync(path.join(checkout, "gradebook-pushes", "state.json"), path.join(checkout, ".gradebook-pushes", "state.json"));
    expect((await look()).output).toBe("changed=false\n");
    expect((await look({ SCHEDULED_POST: "feedback" })).stdout).toBe('::notice::Grading: the setting post changed ("none" → "feedback").\n');
    expect((await look({ GITHUB_EVENT_NAME: "workflow_dispatch", TERM_END: "2020-01-31" })).output, "the term does not bound a manual run").toBe("changed=false\n");
    git("commit", "--quiet", "--allow-empty", "--message", "more");
    expect(await look({ TERM_END: "2020-01-31" })).toEqual({ stdout: "::notice::Outside the term: the term ended on 2020-01-31 (TERM_END), so this scheduled run grades no one.\n", output: "changed=false\n" });
    expect(await look()).toEqual({ stdout: "::notice::Grading: new commits from ada.\n", output: "changed=true\n" });
  }, stepTimeoutMs);
});

import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { suitePaths } from "../../grader/course/manifest.ts";
import { loadReleaseDeclaration } from "../../grader/release/declaration.ts";
import { findLeaks, loadSecrets } from "../../grader/release/leak-check.ts";
import { npmEnvironment } from "../../grader/release/npm.ts";
import { runCli } from "./support/cli.ts";
import { course, courseRoot } from "./support/course.ts";
import { copyCourse, removeCourseCopies } from "./support/course-copy.ts";
import { expectedScore, readExpected } from "./support/fixture-expectations.ts";
import schema from "./support/gradescope-results.schema.json" with { type: "json" };
import { layOverAnswers } from "./support/answers.ts";

interface Results {
  score: number;
  output: string;
  stdout_visibility: string;
  tests: Array<{ name: string; score: number; max_score: number; status: string; output: string; visibility: string; output_format: string }>;
}

const work = mkdtempSync(path.join(os.tmpdir(), "gradescope-test-"));
const zip = path.join(work, "autograder.zip");
const source = path.join(work, "autograder", "source");
/**
 * Each grading runs every module, as run_autograder does; they run one after
 * another, beside the rest of the suite on a small machine: give each room.
 * Side by side, four whole gradings with the other test files pushed modules past
 * their time limit on a busy two-core runner.
 */
const gradingTimeoutMs = 240_000;
const validateResults = new Ajv({ allErrors: true }).compile(schema);
const secrets = loadSecrets(courseRoot, loadReleaseDeclaration(courseRoot));

/** A student repository as released: the stubs, the quizzes unanswered. */
function releasedRepository(): string {
  const dir = copyCourse("student");
  rmSync(path.join(dir, "node_modules"));
  return dir;
}

/** A student repository as released, with the reference solutions and every quiz key's answers. */
function solvedRepository(): string {
  const dir = releasedRepository();
  layOverAnswers(dir);
  return dir;
}

/**
 * Runs run_autograder as Gradescope does, in a fake /autograder: the unpacked
 * zip as source/, run_autograder beside it, the student's files in submission/.
 */
async function runAutograder(name: string, fill: (submission: string) => void, extraEnv: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; results: Results }> {
  const root = path.join(work, name);
  mkdirSync(path.join(root, "submission"), { recursive: true });
  symlinkSync(source, path.join(root, "source"), "dir");
  copyFileSync(path.join(source, "run_autograder"), path.join(root, "run_autograder"));
  fill(path.join(root, "submission"));
  // Not spawnSync: the test's own timeout keeps working while it waits.
  const child = spawn(path.join(root, "run_autograder"), [], { cwd: root, env: { ...npmEnvironment(), AUTOGRADER_ROOT: root, NO_COLOR: "1", ...extraEnv }, timeout: 300_000 });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const [status] = (await once(child, "close")) as [number | null];
  const file = path.join(root, "results", "results.json");
  const results = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Results) : ({ score: Number.NaN, output: "", stdout_visibility: "", tests: [] } as Results);
  return { status, stdout, results };
}

function expectValid(results: Results): void {
  expect(validateResults(results), JSON.stringify(validateResults.errors)).toBe(true);
  expect(results.stdout_visibility, "what the grader and the submission print is for instructors only").toBe("hidden");
  for (const test of results.tests) {
    expect(Object.keys(test), test.name).toEqual(expect.arrayContaining(["score", "max_score", "status", "name", "output", "visibility", "output_format"]));
    expect(test.output_format).toBe("md");
    // As released: hidden tests, and the explanations of quiz questions answered wrong, after the due date; everything else at once.
    expect(test.visibility, test.name).toBe(/ hidden test: | quiz, explained: /.test(test.name) ? "after_due_date" : "visible");
  }
}

/** Solution code and hidden-suite lines must never reach what students see; hidden test names may. */
function codeShown(results: Results): string[] {
  const report = findLeaks([{ label: "results.json", path: null, content: Buffer.from(JSON.stringify(results, null, 1)) }], secrets);
  return report.leaks.filter((leak) => !leak.what.startsWith("names a hidden test")).map((leak) => leak.what);
}

describe("the Gradescope autograder", () => {
  let setup: ReturnType<typeof spawnSync>;
  let shimLog: string;
  beforeAll(() => {
    const release = runCli("release", ["--gradescope", zip]);
    expect(release.status, release.stderr).toBe(0);
    mkdirSync(source, { recursive: true });
    // unzip, as Gradescope unpacks the upload, so the file modes in the zip are what counts.
    expect(spawnSync("unzip", ["-q", zip, "-d", source]).status, "unzip is needed (apt-get install unzip)").toBe(0);
    // setup.sh as Gradescope runs it, with apt-get and curl stood in for (no network here).
    const shims = path.join(work, "shims");
    shimLog = path.join(work, "shims.log");
    mkdirSync(shims);
    for (const command of ["apt-get", "curl"]) {
      writeFileSync(path.join(shims, command), `#!/usr/bin/env bash\necho "${command} $*" >> "${shimLog}"\n`);
      chmodSync(path.join(shims, command), 0o755);
    }
    writeFileSync(shimLog, "");
    setup = spawnSync("bash", [path.join(source, "setup.sh")], {
      cwd: path.join(work, "autograder"),
      encoding: "utf8",
      env: npmEnvironment({ AUTOGRADER_ROOT: path.join(work, "autograder"), PATH: `${shims}:${process.env["PATH"]}`, npm_config_prefer_offline: "true" }),
      timeout: 300_000,
    });
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    removeCourseCopies();
  });

  test("is a zip in Gradescope's layout: the two scripts at the root, executable, then the grader with the hidden suites and keys", () => {
    const names = Object.keys(unzipSync(readFileSync(zip)));
    expect(names).toEqual(expect.arrayContaining(["setup.sh", "run_autograder", "course.json", "package.json", "package-lock.json", "grader/cli/gradescope.ts", "gradescope.json"]));
    expect(JSON.parse(readFileSync(path.join(source, "gradescope.json"), "utf8")), "released without a choice: the default").toEqual({ hiddenVisibility: "after_due_date" });
    for (const module of course.modules) {
      expect(names).toContain(suitePaths(module).quizKey);
      if (module.exerciseFiles) expect(names).toEqual(expect.arrayContaining([suitePaths(module).hidden, suitePaths(module).public]));
    }
    expect(names.filter((name) => /^(solutions|tests\/fixtures|tests\/course|scripts|release)\//.test(name))).toEqual([]);
    for (const script of ["setup.sh", "run_autograder"]) expect(statSync(path.join(source, script)).mode & 0o111, script).not.toBe(0);
  });

  test("setup.sh installs Node.js 24 from NodeSource when it is missing, then the locked dependencies", () => {
    expect(setup.status, `${setup.stdout}${setup.stderr}`).toBe(0);
    expect(existsSync(path.join(source, "node_modules", "vitest", "package.json"))).toBe(true);
    const calls = readFileSync(shimLog, "utf8");
    if (process.versions.node.startsWith("24.")) {
      expect(calls, "Node 24 is there already").toBe("");
    } else {
      expect(calls).toContain("curl -fsSL https://deb.nodesource.com/setup_24.x");
      expect(calls).toContain("apt-get install -y nodejs");
    }
  });

  test("a correct submission, uploaded as a zip of its folder: full marks in a results.json that follows Gradescope's spec", async () => {
    // A zip of the repository unpacks to one folder; a GitHub submission is the repository's root.
    const run = await runAutograder("correct", (submission) => cpSync(solvedRepository(), path.join(submission, "mq-student-main"), { recursive: true }));
    expect(run.status, run.stdout.slice(-2000)).toBe(0);
    expectValid(run.results);
    expect(run.results.tests.filter((test) => test.status !== "passed").map((test) => `${test.name}: ${test.output}`)).toEqual([]);
    const max = run.results.tests.reduce((sum, test) => sum + test.max_score, 0);
    expect(run.results.score).toBe(max);
    expect(run.results.tests.some((test) => test.name.startsWith("03-visibility-timeout hidden test: "))).toBe(true);
    // Released with the default: hidden tests' names and results wait for the due date; the output, always shown, leaves them out.
    const hidden = run.results.tests.filter((test) => test.name.includes(" hidden test: "));
    expect(new Set(hidden.map((test) => test.visibility))).toEqual(new Set(["after_due_date"]));
    expect(new Set(run.results.tests.filter((test) => !test.name.includes(" hidden test: ")).map((test) => test.visibility))).toEqual(new Set(["visible"]));
    const hiddenPoints = hidden.reduce((sum, test) => sum + test.max_score, 0);
    expect(run.results.output).toMatch(new RegExp(`^## .*: ${max - hiddenPoints}/${max - hiddenPoints} points \\(100%\\)`));
    expect(run.results.output).toContain(`The hidden tests (${hiddenPoints} points) are graded too, and count in your score: they are shown here after the due date.`);
    for (const test of hidden) expect(run.results.output).not.toContain(test.name.split(" hidden test: ")[1]);
  }, gradingTimeoutMs);

  test("a wrong and hostile submission: the points it earns, each failed hidden test's behaviour and never code, and never its own results.json", async () => {
    // Module 02 with a real bug (equal priorities out of arrival order); module 01 a stack that
    // writes a perfect results.json, before grading and from a background writer; the rest stubs.
    const run = await runAutograder("wrong", (submission) => {
      cpSync(releasedRepository(), submission, { recursive: true });
      for (const fixture of ["02-wrong-unstable-ties", "01-hostile-gradescope-results"]) {
        cpSync(path.join(courseRoot, "tests", "fixtures", "submissions", fixture, "exercises"), path.join(submission, "exercises"), { recursive: true });
      }
    });
    // Its background writer would strike 3 s after the import; look after that.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const results = JSON.parse(readFileSync(path.join(work, "wrong", "results", "results.json"), "utf8")) as Results;
    expect(run.status).toBe(0);
    expectValid(results);
    const module02 = results.tests.filter((test) => test.name.startsWith("02-priority-queue ") && !test.name.includes("quiz"));
    const earned = module02.filter((test) => test.status === "passed").length;
    expect(earned, "some of module 02 works").toBeGreaterThan(0);
    expect(earned, "and some of it does not").toBeLessThan(module02.length);
    expect(results.tests.find((test) => test.name.endsWith("items with equal priority come out in arrival order"))?.status).toBe("failed");
    expect(results.score).toBe(results.tests.reduce((sum, test) => sum + test.score, 0));
    const failed = results.tests.filter((test) => test.status === "failed");
    expect(failed.find((test) => test.name.includes("hidden test"))?.output).toMatch(/^```text\n.*should.*\n```/s);
    expect(codeShown(results)).toEqual([]);
    // A stack passes what does not depend on order: module 01 scores what the fixture earns anywhere, not the 1000 it wrote.
    const earnsAnywhere = expectedScore(readExpected("01-hostile-gradescope-results"));
    const module01 = results.tests.filter((test) => test.name.startsWith("01-task-queue "));
    expect(module01.reduce((sum, test) => sum + test.score, 0)).toBe(earnsAnywhere);
    expect(results.tests.find((test) => test.name.endsWith("dequeue returns tasks in the order they were enqueued"))?.status).toBe("failed");
    expect(results.output).not.toContain("1000/1000");
  }, gradingTimeoutMs);

  // Gradescope's containers run as root, and Docker's default seccomp profile refuses the user
  // namespaces bubblewrap needs; this bwrap fails as it does there. Control groups are left to the
  // watchdog too (MQ_GRADER_CGROUPS=off), as Docker mounts them read-only.
  test.runIf(process.getuid?.() === 0)("where bubblewrap cannot start, as on Gradescope: graded as nobody, which reads no hidden suite, key or metadata, writes no results and outlives nothing", async () => {
    const shims = path.join(work, "no-userns");
    mkdirSync(shims, { recursive: true });
    writeFileSync(path.join(shims, "bwrap"), "#!/bin/sh\necho 'bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces.' >&2\nexit 1\n");
    chmodSync(path.join(shims, "bwrap"), 0o755);
    const probe = "/tmp/mq-user-isolation-probe.json";
    rmSync(probe, { force: true });
    const run = await runAutograder(
      "no-userns",
      (submission) => {
        cpSync(solvedRepository(), submission, { recursive: true });
        cpSync(path.join(courseRoot, "tests", "fixtures", "submissions", "01-hostile-user-isolation", "exercises"), path.join(submission, "exercises"), { recursive: true });
        writeFileSync(path.join(submission, "..", "submission_metadata.json"), JSON.stringify({ previous_submissions: [{ score: 99 }] }));
      },
      { PATH: `${shims}:${process.env["PATH"]}`, MQ_GRADER_CGROUPS: "off" },
    );
    expect(run.status, run.stdout.slice(-2000)).toBe(0);
    expectValid(run.results);
    expect(run.results.output).toContain("the submission ran as the unprivileged user nobody");
    expect(run.results.output).toContain("bubblewrap could not start a sandbox here");
    // It found the grader's folder, and every read and write was refused.
    const attempts = JSON.parse(readFileSync(probe, "utf8")) as Array<{ path: string; ok: boolean; code?: string }>;
    const root = path.join(work, "no-userns");
    expect(attempts.filter((attempt) => attempt.path.startsWith(root)).length, JSON.stringify(attempts)).toBe(4);
    expect(attempts.filter((attempt) => attempt.ok)).toEqual([]);
    // Full marks all the same, and its daemon, which would write results.json later, is gone.
    expect(run.results.tests.filter((test) => test.status !== "passed").map((test) => test.name)).toEqual([]);
    expect(codeShown(run.results)).toEqual([]);
    const ownedByNobody = (pid: string) => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "latin1");
        // A killed process stays a zombie until the machine's init reaps it: dead all the same.
        return /^Uid:\s+65534\s/m.test(status) && !/^State:\s+Z/m.test(status);
      } catch {
        return false; // gone meanwhile
      }
    };
    const nobody = readdirSync("/proc").filter((pid) => /^\d+$/.test(pid) && ownedByNobody(pid));
    expect(nobody, "processes of nobody after grading").toEqual([]);
    expect(statSync(path.join(root, "results")).mode & 0o777).toBe(0o700);
    rmSync(probe, { force: true });
  }, gradingTimeoutMs);

  test("a broken quiz costs that quiz; a submission with nothing to grade gets 0 and says what to fix", async () => {
    const broken = await runAutograder("malformed-quiz", (submission) => {
      writeFileSync(path.join(submission, "README.md"), "hello\n");
      const quiz = path.join(submission, "lessons", "01-task-queue", "quiz.md");
      mkdirSync(path.dirname(quiz), { recursive: true });
      // The course's quiz with the box of its first option deleted, as a typo would.
      writeFileSync(quiz, readFileSync(path.join(courseRoot, "lessons", "01-task-queue", "quiz.md"), "utf8").replace("- [ ] ", "- "));
    });
    expect(broken.status).toBe(0);
    expectValid(broken.results);
    const quiz01 = broken.results.tests.filter((test) => test.name.startsWith("01-task-queue quiz question"));
    expect(quiz01.length).toBeGreaterThan(0);
    expect(quiz01[0]?.output).toMatch(/lessons\/01-task-queue\/quiz\.md:10: this option of ".*" has no box; write "- \[x\]"/);
    for (const test of quiz01.slice(1)) expect(test.output, "the other questions still read").toContain("not answered yet");
    expect(broken.results.tests.some((test) => test.name.startsWith("02-priority-queue hidden test"))).toBe(true);
    const empty = await runAutograder("empty", (submission) => writeFileSync(path.join(submission, "task-queue.ts"), "export {};\n"));
    expectValid(empty.results);
    expect(empty.results.output).toContain("your submission has no exercises/ folder");
  }, gradingTimeoutMs);
});

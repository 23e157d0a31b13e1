import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { npmEnvironment } from "../../grader/release/npm.ts";
import { probeSandbox } from "../../grader/pipeline/submission-process.ts";
import { checkGradebook } from "../../grader/report/class/schema.ts";
import { runCli, runCliAsync } from "./support/cli.ts";
import { courseRoot } from "./support/course.ts";
import { copyCourse, removeCourseCopies } from "./support/course-copy.ts";
import { codePoints as moduleCodePoints, expectedScore, readExpected } from "./support/fixture-expectations.ts";
import { startFakeGitHub, type FakeGitHub } from "./support/fake-github.ts";

// A term as INSTRUCTORS.md tells an instructor to run it, command by command,
// from a fresh clone of this source: release the template and the Gradescope
// autograder, let students make their repositories from the template in the
// class organisation, write the roster from GitHub, grade the class with the
// gradebook and post the results to the students' commits, and grade one of
// the same submissions on Gradescope. GitHub is a local fake; the students'
// repositories are local git repositories that git reaches through the
// https://github.com/ URLs the roster writes (url.<base>.insteadOf). Only
// module 01 is graded in the gradebook, to keep it quick.

const org = "mq-fall";
const token = "github_pat_class-token";
const module01 = "01-task-queue";
const released = "2026-11-01T09:00:00Z";
const worked = "2026-11-20T18:00:00Z";
const deadline = "2026-11-30T23:59:00Z";
const work = mkdtempSync(path.join(os.tmpdir(), "instructor-path-"));
/** Where the fake organisation's repositories live on disk. */
const hosted = path.join(work, "github", org);
const unsandboxed = probeSandbox().isolation !== "sandbox";

interface Student {
  login: string;
  id: string;
  name: string;
  /** What the student does in module 01, or null for no repository at all. */
  work: "solves" | "nothing" | "stack" | null;
}

const students: Student[] = [
  { login: "ada-l", id: "s001", name: "Ada Lovelace", work: "solves" },
  { login: "bo-b", id: "s002", name: "Bo Berg", work: "nothing" },
  { login: "cy-z", id: "s003", name: "Cy Zhang", work: "stack" },
  { login: "dee-d", id: "s004", name: "Dee Doe", work: null },
];

const committer = (date: string) => ({
  GIT_AUTHOR_NAME: "Someone",
  GIT_AUTHOR_EMAIL: "someone@example.edu",
  GIT_COMMITTER_NAME: "Someone",
  GIT_COMMITTER_EMAIL: "someone@example.edu",
  GIT_AUTHOR_DATE: date,
  GIT_COMMITTER_DATE: date,
});

function git(dir: string, args: string[], date = worked): string {
  const result = spawnSync("git", ["-C", dir, ...args], { encoding: "utf8", env: { ...process.env, ...committer(date) } });
  expect(result.status, `git ${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
}

const exerciseFile = (dir: string) => path.join(dir, "exercises", module01, "task-queue.ts");

/** "Use this template" in the organisation; the student clones it, works and pushes. Returns the student's clone. */
function makeStudentRepository(template: string, student: Student): string {
  const hostedCopy = path.join(hosted, `mq-${student.login}.git`);
  git(work, ["clone", "--quiet", "--bare", template, hostedCopy]);
  const laptop = path.join(work, "laptops", student.login);
  git(work, ["clone", "--quiet", hostedCopy, laptop]);
  if (student.work === "solves") copyFileSync(path.join(courseRoot, "solutions", module01, "task-queue.ts"), exerciseFile(laptop));
  if (student.work === "stack") cpSync(path.join(courseRoot, "tests", "fixtures", "submissions", "01-wrong-lifo", "exercises"), path.join(laptop, "exercises"), { recursive: true });
  if (student.work !== "nothing") {
    git(laptop, ["commit", "--quiet", "--all", "--message", "My queue"]);
    git(laptop, ["push", "--quiet", "origin", "HEAD"]);
  }
  return laptop;
}

/** run_autograder as Gradescope runs it: the unpacked zip in source/, the submission in submission/. */
async function gradeOnGradescope(zip: string, submission: string): Promise<{ status: number | null; output: string; results: { score: number; tests: Array<{ name: string; score: number; max_score: number; visibility: string }> } }> {
  const root = path.join(work, "autograder");
  const source = path.join(root, "source");
  mkdirSync(source, { recursive: true });
  expect(spawnSync("unzip", ["-q", zip, "-d", source]).status, "unzip is needed (apt-get install unzip)").toBe(0);
  // setup.sh's npm ci is proven in gradescope.test.ts; here the course's modules stand in for it.
  symlinkSync(path.join(courseRoot, "node_modules"), path.join(source, "node_modules"), "dir");
  copyFileSync(path.join(source, "run_autograder"), path.join(root, "run_autograder"));
  cpSync(submission, path.join(root, "submission"), { recursive: true, filter: (file) => !file.endsWith(`${path.sep}.git`) });
  const child = spawn(path.join(root, "run_autograder"), [], { cwd: root, env: { ...npmEnvironment(), AUTOGRADER_ROOT: root, NO_COLOR: "1" }, timeout: 300_000 });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const file = path.join(root, "results", "results.json");
  return { status, output, results: existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : { score: Number.NaN, tests: [] } };
}

let github: FakeGitHub;
let source = "";

beforeAll(async () => {
  // A fresh clone: every file of the course committed.
  source = copyCourse("instructor");
  git(source, ["init", "--quiet", "--initial-branch=main"]);
  git(source, ["add", "--all"]);
  git(source, ["commit", "--quiet", "--message", "The course"]);
  mkdirSync(hosted, { recursive: true });
  const repositories = students
    .filter((student) => student.work !== null)
    .map((student) => ({ name: `mq-${student.login}`, template: `${org}/mq-student`, createdAt: worked, collaborators: [{ login: student.login, admin: true }] }));
  github = await startFakeGitHub({ org, token, repositories: [{ name: "mq-student", template: null, createdAt: released, collaborators: [] }, ...repositories] });
});

afterAll(async () => {
  await github.close();
  rmSync(work, { recursive: true, force: true });
  removeCourseCopies();
});

describe("the instructor's path through a term, as the guide tells it", () => {
  test("release, roster from the organisation, gradebook with results posted to GitHub, and Gradescope agreeing with it", { timeout: 600_000 }, async () => {
    // 1. Release the students' template (a git repository) and the Gradescope autograder.
    const template = path.join(hosted, "mq-student");
    const release = runCli("release", ["--out", template, "--git"], { cwd: source, env: committer(released) });
    expect(release.status, release.stdout + release.stderr).toBe(0);
    expect(release.stdout).toContain("Leak check: no leaks");
    const zip = path.join(work, "autograder.zip");
    const bundle = runCli("release", ["--gradescope", zip, "--hidden-visibility", "after_published"], { cwd: source });
    expect(bundle.status, bundle.stdout + bundle.stderr).toBe(0);

    // 2. Students make their repositories from the template, inside the organisation, and work.
    const repositories = new Map(students.filter((student) => student.work !== null).map((student) => [student.id, makeStudentRepository(template, student)]));

    // 3. The roster, from the organisation and the class list.
    mkdirSync(path.join(source, "class"));
    writeFileSync(
      path.join(source, "class", "list.csv"),
      ["login,student,name,email,section", ...students.map((student) => `${student.login},${student.id},${student.name},${student.login}@example.edu,A`)].join("\n") + "\n",
    );
    const githubEnv = { GITHUB_TOKEN: token, GITHUB_API_URL: github.apiUrl, GITHUB_SERVER_URL: "https://github.com" };
    const roster = await runCliAsync("roster", ["--org", org, "--template", `${org}/mq-student`, "--class", "class/list.csv"], { cwd: source, env: githubEnv });
    expect(roster.status, "a student without a repository yet: status 1").toBe(1);
    expect(roster.stdout).toContain(`3 of 4 students have a repository from ${org}/mq-student.`);
    expect(roster.stdout).toContain("no repository yet: dee-d (s004)");
    const rosterRows = parse(readFileSync(path.join(source, "class", "roster.csv"), "utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(rosterRows.map((row) => [row["student"], row["repo"]])).toEqual(
      students.filter((student) => student.work !== null).map((student) => [student.id, `https://github.com/${org}/mq-${student.login}.git`]),
    );

    // 4. The gradebook, past the deadline, posting statuses and feedback comments.
    const gradebookEnv = {
      ...githubEnv,
      // git reaches the organisation's repositories on disk instead of github.com.
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: `url.${path.dirname(hosted)}/.insteadOf`,
      GIT_CONFIG_VALUE_0: "https://github.com/",
    };
    const gradebookArgs = ["--roster", "class/roster.csv", "--deadline", deadline, "--only", module01, "--jobs", "2", "--post-status", "--post-feedback"];
    const run = await runCliAsync("gradebook", [...gradebookArgs, ...(unsandboxed ? ["--allow-unsandboxed"] : [])], { cwd: source, env: gradebookEnv });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(github.problems, "every request as GitHub's REST API documents it").toEqual([]);

    const gradebook = checkGradebook(JSON.parse(readFileSync(path.join(source, "gradebook", "gradebook.json"), "utf8")));
    const pointsOf = (id: string) => gradebook.rows.find((row) => row.student === id)?.report?.modules.find((module) => module.id === module01)?.score;
    const codePoints = moduleCodePoints(module01);
    const stackPoints = expectedScore(readExpected("01-wrong-lifo"));
    expect([pointsOf("s001"), pointsOf("s002"), pointsOf("s003")]).toEqual([codePoints, 0, stackPoints]);
    const csv = parse(readFileSync(path.join(source, "gradebook", "gradebook.csv"), "utf8"), { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(csv.map((row) => [row["student"], row["name"], row["email"], row["committed at"]])).toEqual([
      ["s001", "Ada Lovelace", "ada-l@example.edu", new Date(worked).toISOString()],
      ["s002", "Bo Berg", "bo-b@example.edu", new Date(released).toISOString()],
      ["s003", "Cy Zhang", "cy-z@example.edu", new Date(worked).toISOString()],
    ]);

    // Each graded commit has its status and a comment; the comment of a student who failed
    // hidden tests names them, since the deadline has passed (hidden visibility after_due_date).
    for (const student of students.filter((candidate) => candidate.work !== null)) {
      const row = gradebook.rows.find((candidate) => candidate.student === student.id);
      const head = git(repositories.get(student.id) ?? "", ["rev-parse", "HEAD"]);
      expect(row?.commit, student.id).toBe(head);
      const status = github.posts.find((post) => post.path === `/repos/${org}/mq-${student.login}/statuses/${head}`);
      expect(status?.body, student.id).toEqual(expect.objectContaining({ state: "success", context: "grade", description: `${row?.report?.score}/${row?.report?.maxScore}` }));
      expect(github.posts.filter((post) => post.path === `/repos/${org}/mq-${student.login}/commits/${head}/comments`), student.id).toHaveLength(1);
    }
    const comment = (login: string) => String(github.posts.find((post) => post.path.startsWith(`/repos/${org}/mq-${login}/commits/`))?.body["body"]);
    expect(comment("bo-b")).toContain(`Not started yet: ${module01}`);
    const failedHidden = gradebook.rows.find((row) => row.student === "s003")?.report?.modules[0]?.tests.find((test) => test.kind === "hidden" && test.status !== "passed");
    expect(failedHidden, "a stack fails some hidden test").toBeDefined();
    // Test names are written there as Markdown text, with > escaped.
    expect(comment("cy-z")).toContain(`hidden test ${failedHidden?.name.replaceAll(">", "&gt;")}`);

    // A second run with no new pushes posts nothing again.
    const postsBefore = github.posts.length;
    const again = await runCliAsync("gradebook", [...gradebookArgs, ...(unsandboxed ? ["--allow-unsandboxed"] : [])], { cwd: source, env: gradebookEnv });
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(github.posts).toHaveLength(postsBefore);

    // 5. Gradescope grades Ada's submission the same, showing hidden tests as released (after_published).
    const gradescope = await gradeOnGradescope(zip, repositories.get("s001") ?? "");
    expect(gradescope.status, gradescope.output.slice(-2000)).toBe(0);
    const tests01 = gradescope.results.tests.filter((test) => test.name.startsWith(`${module01} `) && !test.name.includes("quiz"));
    expect(tests01.reduce((sum, test) => sum + test.score, 0), "the same points for module 01 as in the gradebook").toBe(codePoints);
    const hidden = gradescope.results.tests.filter((test) => test.name.includes(" hidden test: "));
    expect(hidden.length).toBeGreaterThan(0);
    expect(new Set(hidden.map((test) => test.visibility))).toEqual(new Set(["after_published"]));

  });
});

import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { gradebookFormats } from "../../grader/report/class/formats.ts";
import { checkGradebook } from "../../grader/report/class/schema.ts";
import type { Gradebook } from "../../grader/report/types.ts";
import { layOverAnswers } from "./support/answers.ts";
import { runCli } from "./support/cli.ts";
import { course, courseRoot } from "./support/course.ts";
import { codePoints as moduleCodePoints, expectedScore, quizPoints, readExpected } from "./support/fixture-expectations.ts";

// A class as an instructor grades one: students' repositories (local git
// repositories here), a roster with every kind of row, and the gradebook run
// from the command line, again unchanged, after one push, killed halfway, and
// in two shards. Only module 01 is graded, to keep it quick.

const deadline = "2026-11-25T00:00:00Z";
const lifoFixture = path.join(courseRoot, "tests", "fixtures", "submissions", "01-wrong-lifo");
const lifo = readFileSync(path.join(lifoFixture, "exercises", "01-task-queue", "task-queue.ts"), "utf8");
// What each kind of student earns in module 01: a stack (no quiz answered), correct code (no quiz), and everything.
const lifoPoints = String(expectedScore(readExpected("01-wrong-lifo")));
const codePoints = String(moduleCodePoints("01-task-queue"));
const fullPoints = String(moduleCodePoints("01-task-queue") + quizPoints("01-task-queue"));
const solution = readFileSync(path.join(courseRoot, "solutions", "01-task-queue", "task-queue.ts"), "utf8");
// Signals every process it can see and leaves forged results wherever it can write, then behaves as a stack.
const hostile = `import { readdirSync, writeFileSync } from "node:fs";
for (const pid of readdirSync("/proc").filter((entry) => /^\\d+$/.test(entry))) {
  if (Number(pid) !== process.pid) try { process.kill(Number(pid), "SIGKILL"); } catch {}
}
for (const dir of ["/tmp", process.env.HOME ?? "/", process.cwd(), ".."]) {
  try { writeFileSync(dir + "/gradebook.json", "{}"); } catch {}
}
${lifo}`;

let work = "";
const commits: Record<string, string> = {};

function git(dir: string, args: string[], date?: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: "Student", GIT_AUTHOR_EMAIL: "student@example.com", GIT_COMMITTER_NAME: "Student", GIT_COMMITTER_EMAIL: "student@example.com" };
  const result = spawnSync("git", args, { cwd: dir, encoding: "utf8", env: date ? { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : env });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

/** A student's repository as the release gives it (stubs and lessons), with commits on top. */
function studentRepo(name: string, versions: { queue: string | "answers"; date: string }[]): string {
  const dir = path.join(work, "repos", name);
  mkdirSync(dir, { recursive: true });
  git(dir, ["init", "--quiet", "--initial-branch", "main"]);
  cpSync(path.join(courseRoot, "exercises"), path.join(dir, "exercises"), { recursive: true });
  cpSync(path.join(courseRoot, "lessons"), path.join(dir, "lessons"), { recursive: true });
  versions.forEach(({ queue, date }, index) => {
    if (queue === "answers") layOverAnswers(dir);
    else writeFileSync(path.join(dir, "exercises", "01-task-queue", "task-queue.ts"), queue);
    git(dir, ["add", "--all"]);
    git(dir, ["commit", "--quiet", "--message", `version ${index + 1}`], date);
    commits[`${name}@${index + 1}`] = git(dir, ["rev-parse", "HEAD"]);
  });
  return dir;
}

function runGradebook(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli("gradebook", ["--only", "01", "--jobs", "2", ...args], { env });
}

function readOut(dir: string) {
  const feedback = Object.fromEntries(readdirSync(path.join(dir, "feedback")).sort().map((file) => [file, readFileSync(path.join(dir, "feedback", file), "utf8")]));
  return {
    csv: readFileSync(path.join(dir, "gradebook.csv"), "utf8"),
    report: readFileSync(path.join(dir, "class-report.md"), "utf8"),
    gradebook: checkGradebook(JSON.parse(readFileSync(path.join(dir, "gradebook.json"), "utf8"))),
    feedback,
  };
}

/** Everything but the moments things happened and how long they took, which no two runs share. */
function timeless(dir: string) {
  const out = readOut(dir);
  const records = parse(out.csv, { bom: true }) as string[][];
  const gradebook = JSON.parse(JSON.stringify(out.gradebook), (key, value: unknown) => (["generatedAt", "gradedAt", "durationMs"].includes(key) ? "…" : value)) as Gradebook;
  return {
    csv: records.map((record) => record.filter((_, index) => index !== records[0]?.indexOf("graded at"))),
    report: out.report.replace(/Generated [^ ]+\./, "Generated …."),
    gradebook,
    feedback: out.feedback,
  };
}

const rosterRows = [
  "student,repo,deadline,commit,email",
  "alice,repos/alice,,,alice@example.com",
  "mallory,repos/mallory,,,",
  "bob,repos/bob,,,",
  "late,repos/late,,,",
  "extended,repos/late,2026-11-28T12:00:00+01:00,,",
  "pinned,repos/bob,,PINNED,",
  "erin,repos/erin,,,",
  "ghost,repos/ghost-does-not-exist,,,",
  "zed,,,,",
  "tardy,repos/tardy,,,",
];

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "mq-gradebook-test-"));
  studentRepo("alice", [{ queue: "answers", date: "2026-11-21T09:00:00Z" }]);
  studentRepo("mallory", [{ queue: hostile, date: "2026-11-21T09:00:00Z" }]);
  studentRepo("bob", [{ queue: lifo, date: "2026-11-22T09:00:00Z" }]);
  studentRepo("late", [
    { queue: lifo, date: "2026-11-20T09:00:00Z" },
    { queue: "answers", date: "2026-11-27T09:00:00Z" },
  ]);
  studentRepo("tardy", [{ queue: solution, date: "2026-11-26T09:00:00Z" }]);
  mkdirSync(path.join(work, "repos", "erin"));
  git(path.join(work, "repos", "erin"), ["init", "--quiet"]);
  writeFileSync(path.join(work, "roster.csv"), `${rosterRows.join("\n").replace("PINNED", commits["bob@1"] ?? "")}\n`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("npm run gradebook grades a class", { timeout: 240_000 }, () => {
  const roster = () => path.join(work, "roster.csv");
  const cache = () => path.join(work, "cache");

  test("every row: graded at the right commit, or the reason it could not be; exit 1 since some could not", () => {
    const run = runGradebook(["--roster", roster(), "--deadline", deadline, "--out", path.join(work, "first"), "--cache", cache()]);
    expect(run.status, run.stderr).toBe(1);
    const { csv, gradebook } = readOut(path.join(work, "first"));
    const [header = [], ...rows] = parse(csv, { bom: true }) as string[][];
    const total = `points (of ${fullPoints})`;
    const moduleColumn = `01-task-queue (of ${fullPoints})`;
    // The roster's own columns (email) come after the repository; then the commit, its date and the commits after it;
    // course.json weights its modules, so the weighted total comes before the raw points.
    expect(header).toEqual(["student", "repo", "email", "commit", "committed at", "later commits", "graded at", "weighted total (%)", total, moduleColumn, "problems"]);
    const byStudent = Object.fromEntries(rows.map((row) => [row[0] ?? "", row]));
    const cell = (student: string, column: string) => byStudent[student]?.[header.indexOf(column)];
    expect(rows.map((row) => row[0])).toEqual(["alice", "mallory", "bob", "late", "extended", "pinned", "erin", "ghost", "zed", "tardy"]);
    const expectGraded = (student: string, commit: string, points: string) => {
      expect(["commit", total, moduleColumn, "problems"].map((column) => cell(student, column)), student).toEqual([commit, points, points, ""]);
    };
    expectGraded("alice", commits["alice@1"] ?? "", fullPoints);
    // One module graded: its percentage is the weighted total.
    expect(["alice", "bob"].map((student) => cell(student, "weighted total (%)"))).toEqual(["100", String(Math.round((Number(lifoPoints) / Number(fullPoints)) * 10_000) / 100)]);
    expectGraded("bob", commits["bob@1"] ?? "", lifoPoints);
    // The last commit before the deadline, not the last commit; an extension reaches the next one.
    expectGraded("late", commits["late@1"] ?? "", lifoPoints);
    expectGraded("extended", commits["late@2"] ?? "", fullPoints);
    expectGraded("pinned", commits["bob@1"] ?? "", lifoPoints);
    expect(cell("alice", "email")).toBe("alice@example.com");
    expect(cell("alice", "committed at")).toBe("2026-11-21T09:00:00.000Z");
    // Work past the deadline shows: late committed once more after it; an extension took that commit; a pinned commit's later history is not fetched.
    expect(["alice", "late", "extended", "pinned"].map((student) => cell(student, "later commits"))).toEqual(["0", "1", "0", ""]);
    expect(cell("mallory", "commit")).toBe(commits["mallory@1"]);
    expect(Number(cell("mallory", total))).toBeLessThan(Number(fullPoints));
    expect(cell("erin", "problems")).toBe("the repository has no commits");
    expect(cell("ghost", "problems")).toBe("there is no repository at repos/ghost-does-not-exist");
    expect(cell("zed", "problems")).toBe("roster row 9: the repo column is empty");
    expect(cell("tardy", "problems")).toBe("no commit on the default branch before the deadline 2026-11-25T00:00:00.000Z");
    expect(gradebook.rows.find((row) => row.student === "extended")?.deadline).toBe("2026-11-28T11:00:00.000Z");
    expect(gradebook.rows.map((row) => row.report?.submission ?? null)).toEqual(["alice", "mallory", "bob", "late", "extended", "pinned", null, null, null, null]);
    expect(readdirSync(path.join(work, "first")).sort()).toEqual(["class-report.md", "code", "feedback", "gradebook.csv", "gradebook.json", "similarity.md"]);
  });

  test("similarity.md pairs the students whose code is close, the stub's code left out, and keeps the graded students' code", () => {
    const out = path.join(work, "first");
    const similarity = readFileSync(path.join(out, "similarity.md"), "utf8");
    const graded = ["alice", "mallory", "bob", "late", "extended", "pinned"];
    expect(similarity).toContain(`${graded.length} students compared;`);
    const file = "exercises/01-task-queue/task-queue.ts";
    // alice and extended committed the reference solution; bob, late and pinned the same stack, which mallory also carries.
    expect(similarity).toMatch(new RegExp(`\\| alice, extended \\| ${file} \\| 100% \\| \\d`));
    expect(similarity).toMatch(new RegExp(`\\| bob, late \\| ${file} \\| 100% \\|`));
    const listed = similarity.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| Students") ).map((line) => line.split(" | ")[0]?.slice(2));
    // A stack and the solution share the stub's lines and not much else.
    for (const pair of listed) expect(pair, "a stack is not near the solution").not.toMatch(/^(alice|extended), (bob|late|pinned)$|^(bob|late|pinned), (alice|extended)$/);
    expect(readdirSync(path.join(out, "code")).sort()).toEqual(graded.map((student) => `${student}.json`).sort());
    const kept = JSON.parse(readFileSync(path.join(out, "code", "alice.json"), "utf8")) as Record<string, string>;
    expect(kept[file]).toBe(solution);
  });

  test("the class report and each student's feedback say what they should, and no test code", () => {
    const { report, feedback } = readOut(path.join(work, "first"));
    expect(report).toContain("10 students: 6 graded, 4 could not be graded.");
    expect(report).toMatch(/Weighted total, by course\.json's module weights: mean [\d.]+%, median [\d.]+%, lowest [\d.]+%, highest 100%\./);
    expect(report).toMatch(new RegExp(`Raw points, out of ${fullPoints}: mean [\\d.]+, median [\\d.]+, lowest \\d+, highest ${fullPoints}\\.`));
    expect(report).toContain(`| 01-task-queue: A FIFO task queue | ${course.modules.find((module) => module.id === "01-task-queue")?.weight} | ${fullPoints} |`);
    expect(report).toMatch(/\| 01-task-queue hidden test: TaskQueue &gt; dequeue returns tasks in the order they were enqueued \| 4 of 6 \(66%\) \| 1\.00 \|/);
    expect(report).toContain("Everybody passes these");
    for (const student of ["erin", "ghost", "zed", "tardy"]) expect(report).toMatch(new RegExp(`\\| ${student} \\| .* \\|`));

    expect(Object.keys(feedback)).toEqual(["alice.md", "bob.md", "erin.md", "extended.md", "ghost.md", "late.md", "mallory.md", "pinned.md", "tardy.md", "zed.md"]);
    expect(feedback["alice.md"]).toContain(`**${fullPoints}/${fullPoints} points**`);
    expect(feedback["alice.md"]).toContain("Every point earned.");
    const bob = feedback["bob.md"] ?? "";
    expect(bob).toContain(`**${lifoPoints}/${fullPoints} points**`);
    expect(bob).toContain("hidden test TaskQueue &gt; dequeue returns tasks in the order they were enqueued: `dequeue should return the oldest task first (first in, first out)`");
    const hiddenSuite = readFileSync(path.join(courseRoot, "tests", "hidden", "01-task-queue.test.ts"), "utf8");
    const codeLines = hiddenSuite.split("\n").map((line) => line.trim()).filter((line) => line.length > 25 && /[;{}()]/.test(line));
    for (const text of Object.values(feedback)) {
      for (const line of codeLines) expect(text).not.toContain(line);
      // Public tests are the student's own to read; a hidden test shows only the behaviour it checks.
      for (const line of text.split("\n").filter((entry) => entry.startsWith("- hidden test"))) expect(line).not.toMatch(/expected .* to (be|equal)/);
    }
    expect(feedback["ghost.md"]).toContain("Your submission could not be graded");
  });

  test("the hostile submission changes no one else's grade", () => {
    const { gradebook } = readOut(path.join(work, "first"));
    const alice = gradebook.rows.find((row) => row.student === "alice")?.report;
    expect(alice?.modules[0]?.tests.filter((t) => t.status !== "passed")).toEqual([]);
    const bob = gradebook.rows.find((row) => row.student === "bob")?.report;
    expect(bob?.modules[0]?.problem).toBeNull();
  });

  test("show prints one student's full report from the gradebook folder: every test with its message, hidden ones included; an unknown student is one line naming close matches", () => {
    const out = path.join(work, "first");
    const run = runCli("gradebook", ["show", "bob", "--out", out]);
    expect(run.status, run.stderr).toBe(0);
    const bob = readOut(out).gradebook.rows.find((row) => row.student === "bob");
    const tests = bob?.report?.modules.flatMap((module) => module.tests) ?? [];
    expect(tests.some((test) => test.kind === "hidden")).toBe(true);
    for (const test of tests) expect(run.stdout).toContain(`[${test.kind}] ${test.name}`);
    expect(run.stdout).toContain("dequeue should return the oldest task first (first in, first out)");
    expect(run.stdout).toContain(`commit        ${commits["bob@1"]}, committed 2026-11-22T09:00:00.000Z; 0 later commits on the default branch`);
    expect(run.stdout).toContain(`Total ${lifoPoints}/${fullPoints} points`);
    const unknown = runCli("gradebook", ["show", "bbo", "--out", out]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^error: show: no student "bbo" in .*gradebook\.json; did you mean bob\?\n$/);
  });

  test("--regrade grades one row afresh, never from the cache, and merges it into the gradebook: every other row as it was", () => {
    const out = path.join(work, "regraded");
    cpSync(path.join(work, "first"), out, { recursive: true });
    const gradedAt = (dir: string) => readOut(dir).gradebook.rows.find((row) => row.student === "bob")?.gradedAt;
    // A cache of its own: the regraded report, with its new time, would otherwise be what later runs here take from the cache.
    const run = runGradebook(["--roster", roster(), "--deadline", deadline, "--out", out, "--cache", path.join(work, "regrade-cache"), "--regrade", "bob"]);
    // Still 1: the other rows that could not be graded are in the gradebook as they were.
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`✓ bob +${lifoPoints}/${fullPoints} +graded in`));
    expect(run.stdout.match(/[✓✗] /g)).toHaveLength(1);
    expect(gradedAt(out)).not.toBe(gradedAt(path.join(work, "first")));
    expect(timeless(out)).toEqual(timeless(path.join(work, "first")));
    const unknown = runGradebook(["--roster", roster(), "--deadline", deadline, "--out", out, "--cache", path.join(work, "regrade-cache"), "--regrade", "bbo"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^error: --regrade: no student "bbo" in the roster .*; did you mean bob\?\n$/);
  });

  test("a grading the machine may have spoiled (each module out of its time) is graded once more, then reads \"could not grade\", and is never cached", () => {
    const roster = path.join(work, "spoiled.csv");
    writeFileSync(roster, "student,repo\nalice,repos/alice\n");
    const cacheDir = path.join(work, "spoiled-cache");
    for (const out of ["spoiled-1", "spoiled-2"]) {
      const run = runGradebook(["--roster", roster, "--out", path.join(work, out), "--cache", cacheDir, "--timeout", "1"]);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stdout, "the second run grades again").not.toContain("from the cache");
      const [row] = readOut(path.join(work, out)).gradebook.rows;
      expect(row?.report, "never a score").toBeNull();
      expect(row?.problems).toEqual(["could not grade, twice: 01-task-queue: the module ran out of its time limit"]);
    }
    expect(readdirSync(path.join(cacheDir, "results"))).toEqual([]);
  });

  test("again with nothing changed: nothing is graded, and the gradebook is the same", () => {
    const run = runGradebook(["--roster", roster(), "--deadline", deadline, "--out", path.join(work, "again"), "--cache", cache()]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).not.toMatch(/graded in/);
    expect(run.stdout.match(/unchanged: from the cache/g)).toHaveLength(6);
    expect(timeless(path.join(work, "again"))).toEqual(timeless(path.join(work, "first")));
    // Not even the timestamps change: a cached report keeps the moment it was graded.
    expect(readOut(path.join(work, "again")).csv).toBe(readOut(path.join(work, "first")).csv);
  });

  test("a cached repository left broken by a killed run (a half-made remote, a stale lock) is fetched again", () => {
    git(path.join(cache(), "repos", "bob"), ["remote", "remove", "origin"]);
    writeFileSync(path.join(cache(), "repos", "alice", ".git", "index.lock"), "");
    const run = runGradebook(["--roster", roster(), "--deadline", deadline, "--out", path.join(work, "repaired"), "--cache", cache()]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout.match(/unchanged: from the cache/g)).toHaveLength(6);
    expect(timeless(path.join(work, "repaired"))).toEqual(timeless(path.join(work, "first")));
  });

  test("killed halfway and started again: the same gradebook as a run that was never stopped", async () => {
    const cacheDir = path.join(work, "cache-killed");
    const args = ["--import", "tsx", path.join(courseRoot, "grader", "cli", "gradebook.ts"), "--only", "01", "--jobs", "2"];
    const first = spawn(process.execPath, [...args, "--roster", roster(), "--deadline", deadline, "--out", path.join(work, "killed"), "--cache", cacheDir], {
      cwd: courseRoot,
      detached: true,
      stdio: "ignore",
    });
    const results = path.join(cacheDir, "results");
    const deadlineMs = Date.now() + 120_000;
    while (!(existsSync(results) && readdirSync(results).some((file) => file.endsWith(".json"))) && Date.now() < deadlineMs) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    process.kill(-(first.pid ?? 0), "SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    expect(existsSync(path.join(work, "killed", "gradebook.json")), "the killed run finished before it was killed").toBe(false);

    const resumed = runGradebook(["--roster", roster(), "--deadline", deadline, "--out", path.join(work, "killed"), "--cache", cacheDir]);
    expect(resumed.status, resumed.stderr).toBe(1);
    expect(resumed.stdout).toMatch(/unchanged: from the cache/);
    expect(resumed.stdout).toMatch(/graded in/);
    expect(timeless(path.join(work, "killed"))).toEqual(timeless(path.join(work, "first")));
  });

  test("after one student pushes, only that student is graded again", () => {
    const bob = path.join(work, "repos", "bob");
    writeFileSync(path.join(bob, "exercises", "01-task-queue", "task-queue.ts"), solution);
    git(bob, ["commit", "--quiet", "--all", "--message", "fix the order"], "2026-11-24T09:00:00Z");
    const run = runGradebook(["--roster", roster(), "--deadline", deadline, "--out", path.join(work, "pushed"), "--cache", cache()]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout.match(/graded in/g)).toHaveLength(1);
    expect(run.stdout).toMatch(new RegExp(`✓ bob +${codePoints}/${fullPoints} +graded in`));
    expect(run.stdout).toMatch(new RegExp(`✓ pinned +${lifoPoints}/${fullPoints} +unchanged`));
  });

  test("a late policy grades the last commit before the deadline plus its days, and each started day late costs its share of the weighted total", async () => {
    const { runGradebook: gradeClass } = await import("../../grader/gradebook/gradebook.ts");
    // Passed in as course.json's grading.late would give it; this course itself sets none.
    const gradebook = await gradeClass({ roster: roster(), deadline: new Date(deadline).toISOString(), cacheDir: cache(), jobs: 2, shard: null, only: "01", isolation: "sandbox", latePolicy: { penaltyPercentPerDay: 10, maxDaysLate: 3 } });
    const row = (student: string) => gradebook.rows.find((candidate) => candidate.student === student);
    // late's second commit, two days and nine hours after the deadline: three started days.
    expect(row("late")).toMatchObject({ commit: commits["late@2"], laterCommits: 0, late: { until: "2026-11-28T00:00:00.000Z", days: 3, penaltyPercent: 30 } });
    expect(row("late")?.total).toEqual({ points: Number(fullPoints), maxPoints: Number(fullPoints), weightedPercent: 100, afterPenalty: 70 });
    // tardy had nothing before the deadline; a day and nine hours after it, two started days.
    expect(row("tardy")).toMatchObject({ commit: commits["tardy@1"], problems: [], late: { days: 2, penaltyPercent: 20 } });
    expect(row("alice")?.late).toMatchObject({ days: 0, penaltyPercent: 0 });
    expect(row("extended")?.late, "an extension moves the late days too").toMatchObject({ until: "2026-12-01T11:00:00.000Z", days: 0 });
    expect(row("pinned")?.late, "a pinned commit has no deadline").toBeUndefined();
    const [header = [], ...records] = parse(gradebookFormats.csv.render(gradebook), { bom: true }) as string[][];
    const lateRecord = records.find((record) => record[0] === "late") ?? [];
    const columns = ["days late", "penalty (%)", "weighted total (%)", `points (of ${fullPoints})`, "total after penalty (%)"];
    expect(columns.map((column) => lateRecord[header.indexOf(column)])).toEqual(["3", "30", "100", fullPoints, "70"]);
    expect(gradebookFormats.classReport.render(gradebook)).toMatch(/## Late work\n[^]*\| late \| 2026-11-25T00:00:00\.000Z \| 2026-11-27T09:00:00\.000Z \| 3 \| 30% \| 0 \|/);
  });

  test("two shards merged are the unsharded gradebook, byte for byte but for the time it was made", () => {
    for (const shard of ["1/2", "2/2"]) {
      const run = runGradebook(["--roster", roster(), "--deadline", deadline, "--out", path.join(work, `shard-${shard[0]}`), "--cache", cache(), "--shard", shard]);
      expect(run.status, run.stderr).toBe(1);
    }
    expect(readOut(path.join(work, "shard-1")).gradebook.rows.map((row) => row.row)).toEqual([1, 3, 5, 7, 9]);
    const merged = runCli("gradebook", ["merge", path.join(work, "shard-2"), path.join(work, "shard-1"), "--out", path.join(work, "merged")]);
    expect(merged.status, merged.stderr).toBe(1);
    const whole = readOut(path.join(work, "pushed"));
    const fromShards = readOut(path.join(work, "merged"));
    expect(fromShards.csv).toBe(whole.csv);
    expect(fromShards.feedback).toEqual(whole.feedback);
    expect(fromShards.report.replace(/Generated [^ ]+\./, "")).toBe(whole.report.replace(/Generated [^ ]+\./, ""));
    expect({ ...fromShards.gradebook, generatedAt: "" }).toEqual({ ...whole.gradebook, generatedAt: "" });
    // Each shard kept its own students' code; the merge compares the whole class.
    const similarity = (dir: string) => readFileSync(path.join(work, dir, "similarity.md"), "utf8");
    expect(similarity("merged")).toBe(similarity("pushed"));
    expect(similarity("merged")).toContain("| alice, extended |");
  });

  test("a merge with a shard missing, or of different rosters, is refused with exit 2", () => {
    const missing = runCli("gradebook", ["merge", path.join(work, "shard-1"), "--out", path.join(work, "merged-bad")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^error: merge: roster rows 2, 4, 6, 8, 10 are in none of the folders \(is a shard missing\?\)\n$/);
    const twice = runCli("gradebook", ["merge", path.join(work, "shard-1"), path.join(work, "shard-1"), "--out", path.join(work, "merged-bad")]);
    expect(twice.stderr).toMatch(/^error: merge: roster row 1 is in both/);
    expect(existsSync(path.join(work, "merged-bad"))).toBe(false);
  });
});

describe("a class of six, five of them hostile in different ways: the correct one keeps full marks, cached or not", { timeout: 400_000 }, () => {
  /** A repository whose one commit is what `fill` leaves in a copy of the release. */
  function hostileRepo(name: string, fill: (dir: string) => void, indexed?: (dir: string) => void): void {
    const dir = path.join(work, "six", name);
    mkdirSync(dir, { recursive: true });
    git(dir, ["init", "--quiet", "--initial-branch", "main"]);
    cpSync(path.join(courseRoot, "exercises"), path.join(dir, "exercises"), { recursive: true });
    cpSync(path.join(courseRoot, "lessons"), path.join(dir, "lessons"), { recursive: true });
    fill(dir);
    git(dir, ["add", "--all"]);
    indexed?.(dir);
    git(dir, ["commit", "--quiet", "--message", "hostile"], "2026-11-21T09:00:00Z");
  }
  const queueFile = (dir: string) => path.join(dir, "exercises", "01-task-queue", "task-queue.ts");

  test("one row each; the correct one earns every point in the first run and from the cache in the second", () => {
    // Spins forty threads while it is graded.
    hostileRepo("spinner", (dir) => writeFileSync(queueFile(dir), `import { Worker } from "node:worker_threads";\nfor (let i = 0; i < 40; i++) new Worker("for (;;) {}", { eval: true });\n${solution}`));
    // Its exercise file is a link to /dev/zero, its quiz a link to /dev/stdin.
    hostileRepo("devices", (dir) => {
      rmSync(queueFile(dir));
      symlinkSync("/dev/zero", queueFile(dir));
      rmSync(path.join(dir, "lessons", "01-task-queue", "quiz.md"));
      symlinkSync("/dev/stdin", path.join(dir, "lessons", "01-task-queue", "quiz.md"));
    });
    // A path of about 4 KB.
    hostileRepo("deep", (dir) => {
      const deep = path.join(dir, "exercises", "01-task-queue", ...Array.from({ length: 15 }, (_, index) => `${String(index).padStart(2, "0")}${"d".repeat(250)}`));
      mkdirSync(deep, { recursive: true });
      writeFileSync(path.join(deep, "x.ts"), "export {};\n");
    });
    // Thousands of paths to one blob: a small repository that would check out large.
    hostileRepo("bomb", () => {}, (dir) => {
      const blob = spawnSync("git", ["hash-object", "-w", "--stdin"], { cwd: dir, input: "x".repeat(1024 * 1024), encoding: "utf8" }).stdout.trim();
      const entries = Array.from({ length: 3_000 }, (_, index) => `100644 ${blob}\texercises/01-task-queue/bomb/${index}.ts`).join("\n");
      expect(spawnSync("git", ["update-index", "--add", "--index-info"], { cwd: dir, input: `${entries}\n` }).status).toBe(0);
    });
    // Answers far larger than the judge will check, after filling its scratch space.
    hostileRepo("flood", (dir) =>
      writeFileSync(
        queueFile(dir),
        `import { writeFileSync } from "node:fs";\ntry { writeFileSync("/tmp/fill", Buffer.alloc(64 * 1024 * 1024)); } catch {}\n${solution.replace(/dequeue\(\)([^{]*)\{/, 'dequeue()$1{\n    if (this.size() > 2) return "x".repeat(20_000_000) as never;')}`,
      ),
    );
    hostileRepo("correct", (dir) => layOverAnswers(dir));
    const roster = path.join(work, "six.csv");
    writeFileSync(roster, `student,repo\n${["spinner", "devices", "deep", "bomb", "flood", "correct"].map((name) => `${name},six/${name}`).join("\n")}\n`);
    const cacheDir = path.join(work, "six-cache");
    const correctRow = (out: string) => readOut(path.join(work, out)).gradebook.rows.find((row) => row.student === "correct");
    for (const out of ["six-first", "six-again"]) {
      const run = runGradebook(["--roster", roster, "--out", path.join(work, out), "--cache", cacheDir, "--jobs", "3"]);
      expect([0, 1], run.stderr).toContain(run.status);
      const { gradebook, feedback } = readOut(path.join(work, out));
      expect(gradebook.rows.map((row) => row.student)).toEqual(["spinner", "devices", "deep", "bomb", "flood", "correct"]);
      expect(correctRow(out)?.report?.score, JSON.stringify(correctRow(out)?.problems)).toBe(Number(fullPoints));
      if (out === "six-again") expect(run.stdout).toMatch(/correct .*unchanged: from the cache/);
      // Each hostile row is graded or says why not, in one line.
      const byStudent = Object.fromEntries(gradebook.rows.map((row) => [row.student, row]));
      expect(byStudent["devices"]?.report?.ignored).toEqual(expect.arrayContaining(["exercises/01-task-queue/task-queue.ts (a symbolic link)"]));
      expect(byStudent["devices"]?.report?.modules[0]?.tests.find((t) => t.kind === "quiz")?.message).toMatch(/is a symbolic link/);
      expect(byStudent["deep"]?.problems.join("")).toMatch(/longer than 1000 bytes/);
      expect(byStudent["bomb"]?.problems.join("")).toMatch(/hold 3,\d{3} files \(the limit is 2,000\)/);
      expect(byStudent["flood"]?.report?.modules[0]?.tests.map((t) => t.message ?? "").join("\n")).toContain("too large to check");
      expect(byStudent["spinner"]?.report, "graded, not lost").not.toBeNull();
      // No hidden code anywhere a student reads.
      const hiddenSuite = readFileSync(path.join(courseRoot, "tests", "hidden", "01-task-queue.test.ts"), "utf8");
      const codeLines = hiddenSuite.split("\n").map((line) => line.trim()).filter((line) => line.length > 25 && /[;{}()]/.test(line));
      for (const text of Object.values(feedback)) for (const line of codeLines) expect(text).not.toContain(line);
    }
  });
});

describe("npm run gradebook refuses bad input with one line and exit 2, before grading anything", { timeout: 120_000 }, () => {
  const expectRefused = (args: string[], message: RegExp, env: NodeJS.ProcessEnv = {}) => {
    const run = runCli("gradebook", args, { env });
    expect(run.status, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(run.stdout, "nothing but the error").toBe("");
    expect(run.stderr).toMatch(message);
  };
  const roster = () => path.join(work, "roster.csv");

  test("a roster that is missing, a folder, not CSV, or without its columns", () => {
    expectRefused(["--roster", path.join(work, "nope.csv")], /--roster: .*nope\.csv does not exist/);
    expectRefused(["--roster", work], /is a folder/);
    writeFileSync(path.join(work, "broken.csv"), 'student,repo\n"alice,repos/alice\n');
    expectRefused(["--roster", path.join(work, "broken.csv")], /is not valid CSV/);
    writeFileSync(path.join(work, "columns.csv"), "name,url\nalice,repos/alice\n");
    expectRefused(["--roster", path.join(work, "columns.csv")], /has no "student" column \(its header is: name, url\)/);
  });

  test("bad options", () => {
    expectRefused(["--roster", roster(), "--deadline", "next friday"], /--deadline: "next friday" is not an ISO 8601 date and time with a time zone/);
    expectRefused(["--roster", roster(), "--deadline", "2026-12-01T23:59:00"], /with a time zone/);
    expectRefused(["--roster", roster(), "--shard", "3/2"], /--shard: "3\/2" is not K\/N with 1 <= K <= N/);
    expectRefused(["--roster", roster(), "--jobs", "0"], /--jobs: "0" is not a whole number of at least 1/);
    expectRefused(["--roster", roster(), "--only", "99"], /unknown module "99"/);
    expectRefused(["--roster", roster(), "--frobnicate"], /Unknown option --frobnicate/);
    expectRefused(["--roster", roster(), "--out", roster()], /--out: .* is a file, not a folder/);
    expectRefused([], /--roster is required/);
    expectRefused(["--roster", roster(), "--post-status"], /--post-status: set GITHUB_TOKEN/, { GITHUB_TOKEN: "" });
    expectRefused(["merge"], /merge: name the gradebook folders/);
    expectRefused(["merge", work], /has no gradebook\.json/);
  });

  test("where the sandbox cannot start, unless --allow-unsandboxed says to go on without it", () => {
    const nodeOnly = path.join(work, "node-only");
    mkdirSync(nodeOnly, { recursive: true });
    expectRefused(["--roster", roster()], /bubblewrap \(bwrap\) is not installed; grading a class needs the sandbox \(--allow-unsandboxed grades without it\)/, { PATH: nodeOnly });
  });
});

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { listRoster, outsideTerm, parseTermDay, readSavedState, whatChanged, type PushState } from "../../grader/gradebook/pushes.ts";
import { loadRoster } from "../../grader/gradebook/roster.ts";
import { runCli } from "./support/cli.ts";
import { courseRoot } from "./support/course.ts";

// A class of three small repositories as remotes (ls-remote reads them as it reads
// GitHub's), one empty one, and a row whose repository does not exist.
const work = mkdtempSync(path.join(os.tmpdir(), "mq-pushes-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function git(dir: string, ...args: string[]): string {
  const result = spawnSync("git", ["-c", "user.name=Student", "-c", "user.email=student@example.com", ...args], { cwd: dir, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

function commit(student: string, message: string): string {
  const dir = path.join(work, "repos", student);
  git(dir, "commit", "--quiet", "--allow-empty", "--message", message);
  return git(dir, "rev-parse", "HEAD");
}

for (const student of ["ada", "bo", "cy", "empty"]) {
  mkdirSync(path.join(work, "repos", student), { recursive: true });
  git(path.join(work, "repos", student), "init", "--quiet", "--initial-branch", "main");
  if (student !== "empty") commit(student, "start");
}
const pinned = "a".repeat(40);
const rosterFile = path.join(work, "roster.csv");
writeFileSync(rosterFile, `student,repo,commit,deadline\nada,repos/ada,,\nbo,repos/bo,,2026-12-01T12:00:00Z\ncy,repos/cy,${pinned},\nempty,repos/empty,,\nghost,repos/ghost,,\n,repos/ada,,\n`);

const context = { course: "c0ffee", settings: { post: "none" }, now: new Date("2026-11-20T12:00:00Z") };
const list = () => listRoster(loadRoster(rosterFile, null), context);

describe("looking for pushes", () => {
  test("lists each row's newest commit with git ls-remote: a pinned commit as it is, an empty repository as none, a missing one as unlisted, a malformed row not at all", async () => {
    const { state, unlisted } = await list();
    expect(state.rows).toEqual({
      ada: { repo: "repos/ada", head: git(path.join(work, "repos", "ada"), "rev-parse", "HEAD"), listed: true, pastDeadline: false },
      bo: { repo: "repos/bo", head: git(path.join(work, "repos", "bo"), "rev-parse", "HEAD"), listed: true, pastDeadline: false },
      cy: { repo: "repos/cy", head: pinned, listed: true, pastDeadline: false },
      empty: { repo: "repos/empty", head: null, listed: true, pastDeadline: false },
      ghost: { repo: "repos/ghost", head: null, listed: false, pastDeadline: false },
    });
    expect(unlisted).toEqual(["ghost: there is no repository at repos/ghost"]);
    expect(state).toMatchObject({ version: 1, course: "c0ffee", roster: loadRoster(rosterFile, null).digest, settings: { post: "none" } });
  });

  test("nothing changed: no reason to grade, except a repository that could not be listed, which always counts as changed", async () => {
    const { state } = await list();
    const listable = { ...state, rows: Object.fromEntries(Object.entries(state.rows).filter(([student]) => student !== "ghost")) };
    expect(whatChanged(listable, listable)).toEqual([]);
    expect(whatChanged(state, state)).toEqual(["repositories that could not be listed, so may have changed: ghost"]);
  });

  test("a push, a new course commit, another roster, a changed setting, a passed deadline and a removed row are each a reason, named", async () => {
    const before = (await list()).state;
    const head = commit("bo", "more work");
    const after = (await list()).state;
    expect(after.rows["bo"]?.head).toBe(head);
    const drop = (state: PushState, student: string): PushState => ({ ...state, rows: Object.fromEntries(Object.entries(state.rows).filter(([name]) => name !== student)) });
    const saved = drop(before, "ghost");
    expect(whatChanged(saved, drop(after, "ghost"))).toEqual(["new commits from bo"]);
    const later = { ...drop(after, "ghost"), course: "beef", roster: "other", settings: { post: "feedback" } };
    later.rows = { ...later.rows, bo: { ...(later.rows["bo"] as PushState["rows"][string]), pastDeadline: true } };
    expect(whatChanged(saved, drop(later, "ada"))).toEqual([
      "the course changed (c0ffee → beef)",
      "the roster changed",
      'the setting post changed ("none" → "feedback")',
      "new commits from bo",
      "the deadline passed for bo",
      "rows no longer graded: ada",
    ]);
  });

  test("the deadline is judged per row, extensions included", async () => {
    const roster = loadRoster(rosterFile, "2026-11-25T00:00:00Z");
    const { state } = await listRoster(roster, { ...context, now: new Date("2026-11-28T00:00:00Z") });
    expect(Object.fromEntries(Object.entries(state.rows).map(([student, row]) => [student, row.pastDeadline]))).toEqual({ ada: true, bo: false, cy: true, empty: true, ghost: true });
  });

  test("the saved state: missing or unreadable is no state, with the reason", () => {
    const file = path.join(work, "saved.json");
    expect(readSavedState(file)).toEqual({ state: null, reason: "no earlier graded run saved what it saw" });
    writeFileSync(file, "{ half");
    expect(readSavedState(file)).toEqual({ state: null, reason: "what the last graded run saved cannot be read" });
    writeFileSync(file, JSON.stringify({ version: 2 }));
    expect(readSavedState(file).state).toBeNull();
  });

  test("the term: whole days in UTC, both ends included, empty unbounded; a wrong day or order is bad input", () => {
    const term = { start: parseTermDay("2026-09-01", "--term-start"), end: parseTermDay(" 2026-12-18 ", "--term-end") };
    expect(outsideTerm(term, new Date("2026-08-31T23:59:59Z"))).toBe("the term starts on 2026-09-01 (TERM_START)");
    expect(outsideTerm(term, new Date("2026-09-01T00:00:00Z"))).toBeNull();
    expect(outsideTerm(term, new Date("2026-12-18T23:59:59Z"))).toBeNull();
    expect(outsideTerm(term, new Date("2026-12-19T00:00:00Z"))).toBe("the term ended on 2026-12-18 (TERM_END)");
    expect(outsideTerm({ start: null, end: parseTermDay("", "--term-end") }, new Date("2030-01-01T00:00:00Z"))).toBeNull();
    for (const wrong of ["2026-02-31", "2026-13-01", "1 Sept", "2026-9-1"]) expect(() => parseTermDay(wrong, "--term-end"), wrong).toThrow(`--term-end: "${wrong}" is not a day`);
    expect(() => outsideTerm({ start: "2026-12-01", end: "2026-09-01" }, new Date())).toThrow("--term-start 2026-12-01 is after --term-end 2026-09-01");
  });

  test("the command loads nothing the workflow's job lacks: Node's own modules, the course's, and csv-parse (the job installs only that)", () => {
    const packages = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      // What loads at run time: `import type` is erased, dynamic imports count.
      for (const match of readFileSync(file, "utf8").matchAll(/^import\s+(?!type\s)[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/gm)) {
        const specifier = match[1] ?? match[2];
        if (specifier === undefined || specifier.startsWith("node:")) continue;
        if (specifier.startsWith(".")) {
          const imported = path.resolve(path.dirname(file), specifier);
          expect(existsSync(imported), `${path.relative(courseRoot, file)} imports ${specifier}`).toBe(true);
          visit(imported);
        } else packages.add(specifier);
      }
    };
    visit(path.join(courseRoot, "grader", "cli", "pushes.ts"));
    expect(seen.size).toBeGreaterThan(3);
    expect([...packages]).toEqual(["csv-parse/sync"]);
  });

  test("npm run pushes: grades the first time, not again until someone pushes, never outside the term; bad input is one line and status 2", () => {
    writeFileSync(path.join(work, "class.csv"), "student,repo\nada,repos/ada\nbo,repos/bo\n");
    const output = path.join(work, "github-output");
    writeFileSync(output, "");
    const run = (...args: string[]) => runCli("pushes", ["--roster", path.join(work, "class.csv"), "--github-output", output, "--course", "c0ffee", ...args], { env: { GITHUB_ACTIONS: "true" } });
    const changed = () => readFileSync(output, "utf8").trim().split("\n").at(-1);
    const saved = path.join(work, "state", "saved.json");
    const next = path.join(work, "state", "next.json");

    const first = run("--saved", saved, "--out", saved);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe("::notice::Grading: no earlier graded run saved what it saw.\n");
    expect(changed()).toBe("changed=true");

    const quiet = run("--saved", saved, "--out", next);
    expect(quiet.stdout).toContain("::notice::Nothing to grade: no one pushed since the last graded run");
    expect(changed()).toBe("changed=false");

    commit("ada", "late night");
    expect(run("--saved", saved, "--out", next).stdout).toBe("::notice::Grading: new commits from ada.\n");
    expect(changed()).toBe("changed=true");

    const outside = run("--saved", saved, "--out", next, "--term-start", "2026-09-01", "--term-end", "2026-12-18", "--now", "2027-01-05T10:00:00Z");
    expect(outside.stdout).toBe("::notice::Outside the term: the term ended on 2026-12-18 (TERM_END), so this scheduled run grades no one.\n");
    expect(changed()).toBe("changed=false");

    const bad = run("--out", next, "--term-start", "September");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('error: --term-start: "September" is not a day written YYYY-MM-DD, such as 2026-09-01\n');
  });
});

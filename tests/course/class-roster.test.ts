import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadRoster } from "../../grader/gradebook/roster.ts";
import { runCliAsync } from "./support/cli.ts";
import { startFakeGitHub, type FakeGitHub, type FakeRepository } from "./support/fake-github.ts";

// The class organisation is a local fake of GitHub's REST API (support/fake-github.ts).

/** The command as npm runs it, asynchronously: the fake GitHub answers from this process meanwhile. */
const roster = (args: string[], env: Record<string, string>) => runCliAsync("roster", args, { env });

const token = "github_pat_test-token-of-the-class";
const org = "mq-class";
const template = "mq-course/mq-student";

const repositories: FakeRepository[] = [
  { name: "mq-ada", template, createdAt: "2026-09-01T10:00:00Z", collaborators: [{ login: "ada-l", admin: true }] },
  { name: "mq-bo", template, createdAt: "2026-09-01T11:00:00Z", collaborators: [{ login: "bo-b", admin: true }] },
  { name: "mq-bo-again", template, createdAt: "2026-09-03T09:00:00Z", collaborators: [{ login: "bo-b", admin: true }, { login: "ada-l", admin: false }] },
  { name: "mq-cy", template: "MQ-Course/MQ-Student", createdAt: "2026-09-02T08:00:00Z", collaborators: [{ login: "Cy-Z", admin: true }] },
  { name: "ta-trial", template, createdAt: "2026-08-30T08:00:00Z", collaborators: [{ login: "ta-tom", admin: true }] },
  // Not from the template: never on the roster, whoever made it.
  { name: "course-site", template: null, createdAt: "2026-08-01T08:00:00Z", collaborators: [{ login: "ada-l", admin: true }] },
  // Enough repositories that the list comes in two pages.
  ...Array.from({ length: 100 }, (_, index) => ({ name: `archive-${index}`, template: null, createdAt: "2025-01-01T00:00:00Z", collaborators: [] })),
];

let github: FakeGitHub;
const work = mkdtempSync(path.join(os.tmpdir(), "mq-roster-test-"));

beforeAll(async () => {
  github = await startFakeGitHub({ org, token, repositories });
});
afterAll(async () => {
  await github.close();
  rmSync(work, { recursive: true, force: true });
});

describe("npm run roster: the class's repositories, from GitHub", { timeout: 60_000 }, () => {
  const env = () => ({ GITHUB_TOKEN: token, GITHUB_API_URL: github.apiUrl, GITHUB_SERVER_URL: "https://github.com" });

  test("finds the repositories made from the template, matches their creators to the class list, and names who has none yet", async () => {
    const classList = path.join(work, "class.csv");
    writeFileSync(classList, "login,student,name,email,section\nada-l,s001,Ada Lovelace,ada@example.edu,A\nbo-b,s002,Bo Berg,bo@example.edu,B\ncy-z,s003,\"Zhang, Cy\",cy@example.edu,A\ndee-d,s004,Dee Doe,dee@example.edu,B\n");
    const out = path.join(work, "roster.csv");
    const run = await roster(["--org", org, "--template", template, "--class", classList, "--out", out], env());
    expect(github.problems).toEqual([]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain("3 of 4 students have a repository from mq-course/mq-student.");
    expect(run.stdout).toContain("no repository yet: dee-d (s004)");
    expect(run.stdout).toContain(`more than one repository: bo-b: ${org}/mq-bo-again used; also ${org}/mq-bo`);
    expect(run.stdout).toContain(`from the template, but made by no one on the class list: ${org}/ta-trial`);
    expect(readFileSync(out, "utf8")).toBe(
      "student,repo,login,name,email,section\r\n" +
        `s001,https://github.com/${org}/mq-ada.git,ada-l,Ada Lovelace,ada@example.edu,A\r\n` +
        `s002,https://github.com/${org}/mq-bo-again.git,bo-b,Bo Berg,bo@example.edu,B\r\n` +
        `s003,https://github.com/${org}/mq-cy.git,cy-z,"Zhang, Cy",cy@example.edu,A\r\n`,
    );
    // Both pages of the organisation's list were read.
    expect(github.reads.filter((requested) => requested === `/orgs/${org}/repos`)).toHaveLength(2);
    // The gradebook reads it as it is.
    const written = loadRoster(out, null);
    expect(written.entries.map((entry) => [entry.student, entry.repo, entry.problem])).toEqual([
      ["s001", `https://github.com/${org}/mq-ada.git`, null],
      ["s002", `https://github.com/${org}/mq-bo-again.git`, null],
      ["s003", `https://github.com/${org}/mq-cy.git`, null],
    ]);
  });

  test("bad input is one line and exit 2, and nothing is written", async () => {
    const classList = path.join(work, "class-nologin.csv");
    writeFileSync(classList, "student,name\ns001,Ada\n");
    const out = path.join(work, "never.csv");
    const cases: Array<[string[], RegExp, Record<string, string>]> = [
      [["--org", org, "--template", template], /--class is required/, env()],
      [["--org", org, "--template", "not-a-template", "--class", classList], /--template: "not-a-template" is not OWNER\/REPO/, env()],
      [["--org", org, "--template", template, "--class", classList, "--out", out], /has no "login" column/, env()],
      [["--org", org, "--template", template, "--class", classList, "--out", out], /set GITHUB_TOKEN/, { ...env(), GITHUB_TOKEN: "" }],
      [["--org", "someone-else", "--template", template, "--class", path.join(work, "class.csv"), "--out", out], /GitHub would not list the repositories of someone-else: 404/, env()],
    ];
    for (const [args, pattern, environment] of cases) {
      const run = await roster(args, environment);
      expect(run.status, run.stdout + run.stderr).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(pattern);
    }
    expect(() => readFileSync(out)).toThrow();
  });
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { inShard, loadRoster, parseShard } from "../../grader/gradebook/roster.ts";
import { repositoryOn } from "../../grader/gradebook/post-status.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "mq-roster-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function roster(text: string, deadline: string | null = null) {
  const file = path.join(dir, `roster-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  return loadRoster(file, deadline);
}

describe("the roster", () => {
  test("is read as CSV: a byte-order mark, CRLF, quoted commas, header case and extra columns are all fine, the extra ones carried", () => {
    const { entries } = roster('\uFEFFStudent,"Repo",Name,Deadline\r\n"ada","https://example.com/a,b.git","Lovelace, Ada",\r\n\r\nbrian,repos/brian,Brian,2026-12-02T08:00:00+02:00\r\n');
    expect(entries).toEqual([
      { row: 1, student: "ada", repo: "https://example.com/a,b.git", deadline: null, commit: null, problem: null, columns: { name: "Lovelace, Ada" } },
      { row: 2, student: "brian", repo: "repos/brian", deadline: "2026-12-02T06:00:00.000Z", commit: null, problem: null, columns: { name: "Brian" } },
    ]);
  });

  test("a class deadline applies to every row without its own", () => {
    const { entries } = roster("student,repo,deadline\nada,a,\nbrian,b,2026-12-03T00:00:00Z\n", "2026-12-01T23:59:00.000Z");
    expect(entries.map((entry) => entry.deadline)).toEqual(["2026-12-01T23:59:00.000Z", "2026-12-03T00:00:00.000Z"]);
  });

  test("a wrong row is that row's problem, naming each thing wrong with it", () => {
    const { entries } = roster("student,repo,commit,deadline\nada,a,,\nada,b,,\n../etc,c,,\n,d,abc123,\nerin,,,tomorrow\nshort\n");
    expect(entries.map((entry) => entry.problem)).toEqual([
      null,
      'roster row 2: student "ada" is also on row 1',
      'roster row 3: student "../etc" names a file, so use letters, digits, ".", "_" and "-" only',
      'roster row 4: the student column is empty; commit "abc123" is not a full commit SHA (40 hexadecimal digits)',
      'roster row 5: the repo column is empty; deadline "tomorrow" is not an ISO 8601 date and time with a time zone, such as 2026-12-01T23:59:00Z or 2026-12-01T23:59:00+01:00',
      "roster row 6: the repo column is empty",
    ]);
  });

  test("shards: every N-th row from K, so N shards cover each row once", () => {
    const shards = [1, 2, 3].map((index) => parseShard(`${index}/3`));
    for (let row = 1; row <= 10; row++) expect(shards.filter((shard) => inShard(row, shard))).toHaveLength(1);
    expect([1, 2, 3, 4, 5, 6, 7].filter((row) => inShard(row, parseShard("2/3")))).toEqual([2, 5]);
    expect(() => parseShard("0/3")).toThrow("--shard");
    expect(() => parseShard("1-3")).toThrow("--shard");
  });

  test("GitHub repositories are recognised in every URL form, on the configured host only", () => {
    for (const url of ["https://github.com/class/mq-ada", "https://github.com/class/mq-ada.git", "git@github.com:class/mq-ada.git", "ssh://git@github.com/class/mq-ada"]) {
      expect(repositoryOn("https://github.com", url), url).toEqual({ owner: "class", repo: "mq-ada" });
    }
    expect(repositoryOn("https://github.com", "https://gitlab.com/class/mq-ada")).toBeNull();
    expect(repositoryOn("https://github.com", "repos/ada")).toBeNull();
    expect(repositoryOn("https://git.example.edu", "https://git.example.edu/class/mq-ada")).toEqual({ owner: "class", repo: "mq-ada" });
  });
});

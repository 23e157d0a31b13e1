import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { GraderInputError } from "../errors.ts";

/** One roster row, checked: what to grade for one student, or why the row cannot be graded. */
export interface RosterEntry {
  /** The row's number, counting data rows from 1 (the header is row 0). */
  row: number;
  student: string;
  repo: string;
  /** This student's deadline: the row's own (an extension) or the class's; ISO 8601 in UTC. */
  deadline: string | null;
  /** A pinned commit, which overrides the deadline. */
  commit: string | null;
  /** Why the row is malformed, or null. */
  problem: string | null;
  /** The roster's other columns (name, email, section …), by header, in the roster's order. */
  columns: { [column: string]: string };
}

export interface Roster {
  file: string;
  /** A hash of the roster's bytes: shards of one roster agree on it. */
  digest: string;
  entries: RosterEntry[];
}

// Student ids name files (feedback/<student>.md), so they keep to what is safe in a path everywhere.
const studentPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const commitPattern = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant with its time zone, in UTC; otherwise the reason it is not one. */
export function parseInstant(text: string): { instant: string } | { problem: string } {
  const trimmed = text.trim();
  if (!instantPattern.test(trimmed)) {
    return { problem: `"${trimmed}" is not an ISO 8601 date and time with a time zone, such as 2026-12-01T23:59:00Z or 2026-12-01T23:59:00+01:00` };
  }
  const date = new Date(trimmed);
  if (Number.isNaN(date.getTime())) return { problem: `"${trimmed}" is not a real date and time` };
  return { instant: date.toISOString() };
}

type Record = { [column: string]: string | undefined };

/** The columns the gradebook reads; any others are the instructor's, carried into gradebook.csv. */
const rosterColumns = new Set(["student", "repo", "deadline", "commit"]);

/**
 * Reads a roster: a CSV with a header row naming at least `student` and
 * `repo`, and optionally `deadline` and `commit`; other columns are ignored.
 * A roster that cannot be read is a GraderInputError (nothing is graded); a
 * row that is wrong becomes that row's problem, and the others are graded.
 */
export function loadRoster(file: string, classDeadline: string | null): Roster {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GraderInputError(`--roster: ${file} ${code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a folder" : "cannot be read"}`);
  }
  let records: Record[];
  try {
    records = parse(bytes, { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }) as Record[];
  } catch (error) {
    throw new GraderInputError(`--roster: ${file} is not valid CSV (${(error as Error).message.split("\n")[0]})`);
  }
  const header = parse(bytes, { bom: true, trim: true, to_line: 1 }) as string[][];
  const columns = (header[0] ?? []).map((name) => name.toLowerCase());
  for (const required of ["student", "repo"]) {
    if (!columns.includes(required)) throw new GraderInputError(`--roster: ${file} has no "${required}" column (its header is: ${columns.join(", ") || "empty"})`);
  }

  const columnsOfRoster = columns;
  const seen = new Map<string, number>();
  const entries = records.map((record, index): RosterEntry => {
    const row = index + 1;
    const student = record["student"] ?? "";
    const repo = record["repo"] ?? "";
    const commit = record["commit"] ? record["commit"].toLowerCase() : null;
    const problems: string[] = [];
    if (student === "") problems.push("the student column is empty");
    else if (!studentPattern.test(student)) problems.push(`student "${student}" names a file, so use letters, digits, ".", "_" and "-" only`);
    else if (seen.has(student)) problems.push(`student "${student}" is also on row ${seen.get(student)}`);
    else seen.set(student, row);
    if (repo === "") problems.push("the repo column is empty");
    if (commit !== null && !commitPattern.test(commit)) problems.push(`commit "${record["commit"]}" is not a full commit SHA (40 hexadecimal digits)`);
    let deadline = classDeadline;
    if (record["deadline"]) {
      const parsed = parseInstant(record["deadline"]);
      if ("problem" in parsed) problems.push(`deadline ${parsed.problem}`);
      else deadline = parsed.instant;
    }
    const columns = Object.fromEntries(columnsOfRoster.filter((name) => !rosterColumns.has(name)).map((name) => [name, record[name] ?? ""]));
    return { row, student, repo, deadline, commit, problem: problems.length > 0 ? `roster row ${row}: ${problems.join("; ")}` : null, columns };
  });
  return { file, digest: createHash("sha256").update(bytes).digest("hex"), entries };
}

export interface Shard {
  index: number;
  count: number;
}

/** `K/N`: every N-th row, starting at row K. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new GraderInputError(`--shard: "${text}" is not K/N with 1 <= K <= N, such as 1/4`);
  }
  return { index, count };
}

export function inShard(row: number, shard: Shard | null): boolean {
  return shard === null || (row - shard.index) % shard.count === 0;
}

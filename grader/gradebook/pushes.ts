// Whether a scheduled gradebook run has anything to do: the newest commit of
// every student's repository (git ls-remote, no fetch), with everything else
// that decides a grade, compared with what the last successful run saw.
// Runs on Node 24 without npm ci (types stripped, csv-parse alone installed),
// so it imports only modules that need nothing else.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { GraderInputError } from "../errors.ts";
import { mapConcurrently } from "../pipeline/run.ts";
import { git, remoteOf } from "./fetch.ts";
import type { Roster, RosterEntry } from "./roster.ts";

/** What one roster row's repository looked like to `git ls-remote`. */
export interface RowState {
  repo: string;
  /** The default branch's newest commit, or null for a repository without commits (or a row that names no repository). */
  head: string | null;
  /** False when the repository could not be listed: such a row counts as changed on every run. */
  listed: boolean;
  /** Whether the row's deadline has passed: feedback may show hidden results from then on. */
  pastDeadline: boolean;
}

/** Everything that decides the gradebook's outcome, as one run sees it. */
export interface PushState {
  version: 1;
  /** The course's commit: its hidden suites and grader. */
  course: string;
  /** A hash of the roster's bytes. */
  roster: string;
  /** The workflow's settings that change what is graded or posted (deadline, visibility, what is posted). */
  settings: { [name: string]: string };
  /** By student id. */
  rows: { [student: string]: RowState };
}

/** Repositories listed at once: the answers are small and the time is spent waiting on the network. */
export const listConcurrency = 8;

/** The default branch's newest commit of a repository, without fetching anything (git run as the gradebook's fetch runs it). */
export async function listHead(url: string): Promise<{ ok: true; head: string | null } | { ok: false; problem: string }> {
  try {
    const answer = await git(process.cwd(), ["ls-remote", "--quiet", "--", url, "HEAD"]);
    // "<commit>\tHEAD", or nothing at all for a repository without commits.
    return { ok: true, head: /^([0-9a-f]{40}|[0-9a-f]{64})\tHEAD$/m.exec(answer)?.[1] ?? null };
  } catch (error) {
    return { ok: false, problem: (error as Error).message || "git ls-remote failed" };
  }
}

export interface Listed {
  state: PushState;
  /** "student: reason" for each repository that could not be listed. */
  unlisted: string[];
}

/**
 * Lists every row's repository and records the state of this run. A pinned
 * commit is its row's head (nothing to list); a malformed row has none and
 * changes only with the roster.
 */
export async function listRoster(roster: Roster, context: { course: string; settings: { [name: string]: string }; now: Date }): Promise<Listed> {
  const rosterDir = path.dirname(path.resolve(roster.file));
  const unlisted: string[] = [];
  const rowStates = await mapConcurrently(roster.entries, listConcurrency, async (entry: RosterEntry): Promise<[string, RowState] | null> => {
    if (entry.problem !== null) return null;
    const pastDeadline = entry.deadline !== null && Date.parse(entry.deadline) <= context.now.getTime();
    if (entry.commit !== null) return [entry.student, { repo: entry.repo, head: entry.commit, listed: true, pastDeadline }];
    const remote = remoteOf(entry.repo, rosterDir);
    const listed = "problem" in remote ? { ok: false as const, problem: remote.problem } : await listHead(remote.url);
    if (!listed.ok) unlisted.push(`${entry.student}: ${listed.problem}`);
    return [entry.student, { repo: entry.repo, head: listed.ok ? listed.head : null, listed: listed.ok, pastDeadline }];
  });
  const rows = Object.fromEntries(rowStates.filter((row): row is [string, RowState] => row !== null));
  return { state: { version: 1, course: context.course, roster: roster.digest, settings: context.settings, rows }, unlisted };
}

/** The state a successful run saved, or null (with the reason) when there is none that can be used. */
export function readSavedState(file: string): { state: PushState } | { state: null; reason: string } {
  if (!existsSync(file)) return { state: null, reason: "no earlier graded run saved what it saw" };
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as Partial<PushState> | null;
    if (state?.version !== 1 || typeof state.course !== "string" || typeof state.roster !== "string" || typeof state.settings !== "object" || typeof state.rows !== "object" || state.rows === null) {
      return { state: null, reason: "what the last graded run saved is not in the form this grader writes" };
    }
    return { state: state as PushState };
  } catch {
    return { state: null, reason: "what the last graded run saved cannot be read" };
  }
}

const listedNames = (names: string[]) => (names.length <= 5 ? names.join(", ") : `${names.slice(0, 5).join(", ")} and ${names.length - 5} more`);

/** Why the gradebook must run again: each difference from the saved state, in words; empty when nothing that decides a grade changed. */
export function whatChanged(saved: PushState, current: PushState): string[] {
  const reasons: string[] = [];
  if (saved.course !== current.course) reasons.push(`the course changed (${saved.course.slice(0, 10) || "none"} → ${current.course.slice(0, 10) || "none"})`);
  if (saved.roster !== current.roster) reasons.push("the roster changed");
  const settingNames = [...new Set([...Object.keys(saved.settings), ...Object.keys(current.settings)])].sort();
  for (const name of settingNames) {
    if (saved.settings[name] !== current.settings[name]) reasons.push(`the setting ${name} changed ("${saved.settings[name] ?? ""}" → "${current.settings[name] ?? ""}")`);
  }
  const rows = Object.entries(current.rows);
  const pushed = rows.filter(([student, row]) => row.listed && saved.rows[student]?.head !== row.head).map(([student]) => student);
  if (pushed.length > 0) reasons.push(`new commits from ${listedNames(pushed)}`);
  const unlisted = rows.filter(([, row]) => !row.listed).map(([student]) => student);
  if (unlisted.length > 0) reasons.push(`repositories that could not be listed, so may have changed: ${listedNames(unlisted)}`);
  const pastDeadline = rows.filter(([student, row]) => row.pastDeadline && saved.rows[student]?.pastDeadline !== true).map(([student]) => student);
  if (pastDeadline.length > 0) reasons.push(`the deadline passed for ${listedNames(pastDeadline)}`);
  const gone = Object.keys(saved.rows).filter((student) => !(student in current.rows));
  if (gone.length > 0) reasons.push(`rows no longer graded: ${listedNames(gone)}`);
  return reasons;
}

/** The term's bounds: whole days in UTC, both included; null when unbounded. */
export interface Term {
  start: string | null;
  end: string | null;
}

const dayMs = 24 * 60 * 60 * 1000;

/** A day as YYYY-MM-DD (empty: no bound), checked; `option` names it in the error. */
export function parseTermDay(text: string, option: string): string | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const day = new Date(`${trimmed}T00:00:00Z`);
  // A day that does not exist (2026-02-31) is not a date, nor is one JavaScript would roll over into March.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed) || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== trimmed) {
    throw new GraderInputError(`${option}: "${trimmed}" is not a day written YYYY-MM-DD, such as 2026-09-01`);
  }
  return trimmed;
}

/** Why `now` is outside the term, or null when it is inside (or the term is unbounded). */
export function outsideTerm(term: Term, now: Date): string | null {
  if (term.start !== null && term.end !== null && term.start > term.end) {
    throw new GraderInputError(`--term-start ${term.start} is after --term-end ${term.end}`);
  }
  if (term.start !== null && now.getTime() < Date.parse(`${term.start}T00:00:00Z`)) return `the term starts on ${term.start} (TERM_START)`;
  if (term.end !== null && now.getTime() >= Date.parse(`${term.end}T00:00:00Z`) + dayMs) return `the term ended on ${term.end} (TERM_END)`;
  return null;
}

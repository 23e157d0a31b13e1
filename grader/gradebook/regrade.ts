import { GraderInputError } from "../errors.ts";
import { withTotals } from "../report/class/totals.ts";
import type { Gradebook, GradebookRow, LatePolicy } from "../report/types.ts";
import type { Roster, RosterEntry } from "./roster.ts";
import { unknownStudent } from "./student-match.ts";

/** How a roster row differs from what its gradebook row recorded, or null: a regrade keeps a row only while its roster row says the same. */
function rosterRowChange(row: GradebookRow, entry: RosterEntry): string | null {
  if (row.student !== entry.student) return `was ${row.student}, is now ${entry.student}`;
  if (row.repo !== entry.repo) return "its repo changed";
  const deadline = entry.commit ? null : entry.deadline;
  if (row.deadline !== deadline) return `its deadline was ${row.deadline ?? "none"}, is now ${deadline ?? "none"} (the roster's, or --deadline)`;
  if (JSON.stringify(row.columns ?? {}) !== JSON.stringify(entry.columns)) return "its other columns changed";
  // Only a pinned commit leaves laterCommits null on a graded row.
  const pinnedThen = row.report !== null && row.laterCommits === null;
  const pinChanged = row.report !== null && row.laterCommits !== undefined && (pinnedThen !== (entry.commit !== null) || (entry.commit !== null && row.commit !== entry.commit));
  return pinChanged ? "its pinned commit changed" : null;
}

/**
 * The roster row to regrade in a gradebook made before, checked before
 * anything is fetched: the student is on the roster and in the gradebook,
 * every other row of the roster is as it was graded, and the late policy is
 * the same. Anything else would merge rows graded under different rules.
 */
export function regradeEntry(previous: Gradebook, roster: Roster, student: string, latePolicy: LatePolicy | null, where: string): RosterEntry {
  const entry = roster.entries.find((candidate) => candidate.student === student);
  if (!entry) throw unknownStudent("--regrade", student, `the roster ${roster.file}`, roster.entries.map((candidate) => candidate.student));
  if (!previous.rows.some((row) => row.row === entry.row)) {
    throw new GraderInputError(`--regrade: ${where} has no row ${entry.row} (${student}): it is a shard's folder; regrade in the merged one`);
  }
  if (previous.rosterRows !== roster.entries.length) {
    throw new GraderInputError(`--regrade: the roster has ${roster.entries.length} rows, but ${where} was graded from one with ${previous.rosterRows}; grade the class again`);
  }
  // Compared even for the same roster file: the class's --deadline is not in it.
  for (const row of previous.rows) {
    const now = roster.entries[row.row - 1];
    const change = row.row === entry.row || !now ? null : rosterRowChange(row, now);
    if (change) throw new GraderInputError(`--regrade: roster row ${row.row} (${row.student}) is not as ${where} graded it: ${change}; grade the class again`);
  }
  if (JSON.stringify(previous.latePolicy ?? null) !== JSON.stringify(latePolicy)) {
    throw new GraderInputError(`--regrade: course.json's late policy is not the one ${where} was graded with; grade the class again`);
  }
  return entry;
}

/** A gradebook made before, with one row graded again: every other row as it was, the totals worked out with the course's weights of now. */
export function mergeRegraded(previous: Gradebook, regraded: Gradebook): Gradebook {
  const [fresh] = regraded.rows;
  if (!fresh || regraded.rows.length !== 1) throw new Error("a regrade grades exactly one row");
  return withTotals({
    ...regraded,
    rosterRows: previous.rosterRows,
    shard: previous.shard,
    rows: previous.rows.map((row) => (row.row === fresh.row ? fresh : row)),
  });
}

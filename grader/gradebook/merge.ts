import { GraderInputError } from "../errors.ts";
import { withTotals } from "../report/class/totals.ts";
import type { Gradebook } from "../report/types.ts";

/**
 * One gradebook from the shards of one run: the same roster, course and
 * options, and between them every roster row exactly once. Anything else
 * would be a gradebook with a student missing or counted twice.
 */
export function mergeGradebooks(parts: { dir: string; gradebook: Gradebook }[]): Gradebook {
  const [first] = parts;
  if (!first) throw new GraderInputError("merge: name at least one gradebook folder");
  for (const { dir, gradebook } of parts) {
    if (gradebook.rosterDigest !== first.gradebook.rosterDigest) throw new GraderInputError(`merge: ${dir} graded a different roster from ${first.dir}`);
    if (gradebook.courseDigest !== first.gradebook.courseDigest) {
      throw new GraderInputError(`merge: ${dir} was graded with a different course, grader or options from ${first.dir}`);
    }
    // Weights and the late policy are left out of the course's digest (changing them regrades no one), so they are compared here.
    if (JSON.stringify(gradebook.modules) !== JSON.stringify(first.gradebook.modules) || JSON.stringify(gradebook.latePolicy ?? null) !== JSON.stringify(first.gradebook.latePolicy ?? null)) {
      throw new GraderInputError(`merge: ${dir} was graded with other module weights or another late policy from ${first.dir}`);
    }
  }
  const rows = parts.flatMap(({ dir, gradebook }) => gradebook.rows.map((row) => ({ dir, row })));
  const byNumber = new Map<number, string>();
  for (const { dir, row } of rows) {
    const other = byNumber.get(row.row);
    if (other !== undefined) throw new GraderInputError(`merge: roster row ${row.row} is in both ${other} and ${dir}`);
    byNumber.set(row.row, dir);
  }
  const missing = Array.from({ length: first.gradebook.rosterRows }, (_, index) => index + 1).filter((number) => !byNumber.has(number));
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join(", ");
    throw new GraderInputError(`merge: roster rows ${shown}${missing.length > 10 ? ` and ${missing.length - 10} more` : ""} are in none of the folders (is a shard missing?)`);
  }
  return withTotals({
    ...first.gradebook,
    generatedAt: new Date().toISOString(),
    shard: null,
    rows: rows.map(({ row }) => row).sort((a, b) => a.row - b.row),
  });
}

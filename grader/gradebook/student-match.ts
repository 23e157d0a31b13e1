import { GraderInputError } from "../errors.ts";

/** Edits (insert, delete or replace a character, swap two neighbours: the usual typos) that turn one word into another. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The names a person may have meant by `query`, closest first: a typo or two away, another case, or a part of the name. */
export function closeMatches(query: string, names: readonly string[], limit = 5): string[] {
  const wanted = query.toLowerCase();
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  return names
    .filter((name) => name !== "")
    .map((name) => {
      const lower = name.toLowerCase();
      const contains = wanted.length >= 2 && (lower.includes(wanted) || wanted.includes(lower));
      return { name, distance: contains ? 0 : editDistance(wanted, lower) };
    })
    .filter((candidate) => candidate.distance <= allowed)
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, limit)
    .map((candidate) => candidate.name);
}

/** The one-line refusal for a student who is not where they were looked for, with the names that come close. */
export function unknownStudent(command: string, query: string, where: string, names: readonly string[]): GraderInputError {
  const close = closeMatches(query, names);
  const hint = close.length > 0 ? `; did you mean ${close.join(", ")}?` : ` (none of its ${names.length} students is close)`;
  return new GraderInputError(`${command}: no student "${query}" in ${where}${hint}`);
}

import type { ModuleNames } from "./names.ts";

// The course files that list every module, each given the new one in its
// place: the manifest, the hidden-test inventory and the README's table.
// Each function takes a file's text and returns the new text, so nothing is
// written until every edit is known to work.

/** A module's entry in course.json, as the manifest schema has it. */
export interface ManifestEntry {
  id: string;
  title: string;
  lesson: string;
  quiz: string;
  exercise: { files: string[] };
  points: { publicTest: number; hiddenTest: number; quizQuestion: number };
  /** Each names the starter's rules it helps with (see rules.ts), so npm run hint can start with the one for a failing test. */
  hints: Array<{ rules: string[]; text: string }>;
}

/** The starter exercise's manifest entry: a point per test and question, and hints in the order a student needs them. */
export function manifestEntry({ id, file, title }: ModuleNames): ManifestEntry {
  return {
    id,
    title,
    lesson: `lessons/${id}/README.md`,
    quiz: `lessons/${id}/quiz.md`,
    exercise: { files: [file] },
    points: { publicTest: 1, hiddenTest: 1, quizQuestion: 1 },
    hints: [
      {
        rules: ["fifo", "size", "separate"],
        text: "Keep the items in a ring of slots: an array, plus head (the slot of the oldest item) and count (how many are held, which is size()). The next free slot is (head + count) % capacity. Keep all of it in instance fields, so two buffers share nothing.",
      },
      {
        rules: ["full", "empty-null", "fifo"],
        text: "put: when count equals the capacity, return false before touching anything. take: when count is 0, return null; otherwise read the slot at head, clear it, move head on by one (wrapping with %) and lower count.",
      },
      {
        rules: ["capacity", "any-value", "empty-null"],
        text: "Check the capacity with Number.isInteger(capacity) && capacity >= 1, which refuses NaN, Infinity and fractions in one go. Decide emptiness by count, never by an item's value: 0, \"\" and undefined are items.",
      },
    ],
  };
}

/** A module as course.json holds it, with whatever fields the manifest has grown. */
type RawModule = { id: string; exercise?: unknown; weight?: unknown } & Record<string, unknown>;

/** The weight most exercise modules have, or null when the course weights no module. */
function usualWeight(modules: RawModule[]): number | null {
  const weights = modules.filter((module) => module.exercise !== null).flatMap((module) => (typeof module.weight === "number" ? [module.weight] : []));
  const counts = new Map<number, number>();
  for (const weight of weights) counts.set(weight, (counts.get(weight) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/**
 * course.json with the entry added before the first module numbered after it
 * (the manifest's order is the course's order). A course that weights its
 * modules must weight every one, so the entry gets the usual weight.
 */
export function withManifestEntry(courseJson: string, entry: ManifestEntry): { text: string; weight: number | null } {
  const course = JSON.parse(courseJson) as { modules: RawModule[] };
  const weight = usualWeight(course.modules);
  const after = course.modules.findIndex((module) => module.id.slice(0, 2) > entry.id.slice(0, 2));
  course.modules.splice(after === -1 ? course.modules.length : after, 0, weight === null ? { ...entry } : { ...entry, weight });
  return { text: `${JSON.stringify(course, null, 2)}\n`, weight };
}

/** What vitest escapes when it writes a snapshot into a template literal. */
const escapeForSnapshot = (text: string) => text.replace(/`|\\|\$\{/g, "\\$&");

/**
 * The hidden-inventory snapshot with the new module's tests recorded, as
 * vitest writes it: modules in key order, each module's full test names
 * sorted. Null when the snapshot holds no inventory to add to.
 */
export function withInventoryEntry(snapshot: string, id: string, testNames: string[]): string | null {
  const start = snapshot.indexOf("exports[`the hidden suites hold exactly the recorded tests 1`] = `\n{\n");
  const end = snapshot.indexOf("\n}\n`;", start);
  if (start === -1 || end === -1) return null;
  const block = [`  "${id}": [`, ...[...testNames].sort().map((name) => `    "${escapeForSnapshot(name)}",`), "  ],"].join("\n");
  const keyPattern = /^ {2}"([^"]+)": \[$/gm;
  keyPattern.lastIndex = start;
  let insertAt = end + 1;
  for (let match = keyPattern.exec(snapshot); match !== null && match.index < end; match = keyPattern.exec(snapshot)) {
    if ((match[1] ?? "") > id) {
      insertAt = match.index;
      break;
    }
  }
  return `${snapshot.slice(0, insertAt)}${block}\n${snapshot.slice(insertAt)}`;
}

/** The README with a row for the module in its table of modules (`| NN | … | [Title](lessons/…) |`), in number order; null when it has no such table. */
export function withReadmeRow(readme: string, { id, number, title, className }: ModuleNames): string | null {
  const lines = readme.split("\n");
  const rowNumber = (line: string) => /^\| (\d{2}) \| .* \| \[.*\]\(lessons\/[^)]+\) \|$/.exec(line)?.[1];
  const rows = lines.flatMap((line, index) => (rowNumber(line) !== undefined ? [index] : []));
  const last = rows.at(-1);
  if (last === undefined) return null;
  const before = rows.find((index) => (rowNumber(lines[index] ?? "") ?? "") > number);
  // A pipe would end the cell, and a lone bracket the link text.
  const cellTitle = title.replace(/[|[\]\\]/g, "\\$&");
  lines.splice(before ?? last + 1, 0, `| ${number} | \`${className}\`: a bounded buffer, the starter to replace | [${cellTitle}](lessons/${id}/README.md) |`);
  return lines.join("\n");
}

import type { ModuleNames } from "./names.ts";
import { starterRules } from "./rules.ts";

/** The marker an instructor searches for (`grep -rn "TODO(new-module)"`) to find what to replace. */
export const instructorTodo = "TODO(new-module)";

/** Wraps words into lines of at most `width` characters, each starting with `first` or, after the first, `rest`. */
export function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(" ")) {
    const prefix = lines.length === 0 ? first : rest;
    if (line.length > prefix.length && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += line.length > prefix.length ? ` ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}

/** The stub students start from: the rules in its doc comment, every method throwing a TODO error. */
export function stubSource(names: ModuleNames): string {
  const { id, number, className } = names;
  const rules = starterRules(names).flatMap((rule) => wrap(`- [${rule.id}] ${rule.lead} ${rule.text}`, 88, " * ", " *   "));
  return `// ${instructorTodo}: the starter exercise, a bounded buffer. Replace it with this module's exercise,
// and keep its shape: the rules in the doc comment, as in the lesson, and methods that throw "TODO: …".
/**
 * Module ${number}: a bounded buffer that refuses what it has no room for.
 *
 * Read \`lessons/${id}/README.md\`, then make the public tests pass:
 *
 *     npm run exercise ${number}
 *
 * The rules the grader checks (each has an id in brackets; the tests name the
 * rules they check):
${rules.join("\n")}
 */
export class ${className}<T = unknown> {
  /** @param capacity the most items the buffer holds: a whole number of at least 1, else \`RangeError\`. */
  constructor(capacity: number) {
    throw new Error("TODO: the constructor should check capacity (a whole number of at least 1, else RangeError) and start empty");
  }

  /** Stores the item behind the others and returns \`true\`; returns \`false\`, storing nothing, when the buffer is full. */
  put(item: T): boolean {
    throw new Error("TODO: put(item) should store the item and return true, or return false when the buffer is full");
  }

  /** Removes and returns the oldest item, or \`null\` when the buffer is empty. */
  take(): T | null {
    throw new Error("TODO: take() should remove and return the oldest item, or null when the buffer is empty");
  }

  /** How many items the buffer holds. */
  size(): number {
    throw new Error("TODO: size() should return how many items the buffer holds");
  }
}
`;
}

/** The reference solution: a ring of slots, so neither put nor take moves an item. */
export function solutionSource({ className }: ModuleNames): string {
  return `// ${instructorTodo}: the reference solution of the starter exercise; replace it with this module's.
/**
 * A bounded buffer kept as a ring of slots. \`head\` is the slot of the oldest
 * item and \`count\` how many are held, so the next free slot is
 * \`(head + count) % capacity\`: put and take are O(1) and move nothing.
 */
export class ${className}<T = unknown> {
  private readonly slots: Array<T | undefined> = [];
  private readonly capacity: number;
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    // Number.isInteger is false for NaN, the infinities and fractions alike.
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(\`capacity must be a whole number of at least 1, not \${String(capacity)}\`);
    }
    this.capacity = capacity;
  }

  put(item: T): boolean {
    if (this.count === this.capacity) return false;
    this.slots[(this.head + this.count) % this.capacity] = item;
    this.count += 1;
    return true;
  }

  take(): T | null {
    if (this.count === 0) return null;
    const item = this.slots[this.head] as T;
    // The slot lets go of the item, so a taken item can be garbage collected.
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count -= 1;
    return item;
  }

  size(): number {
    return this.count;
  }
}
`;
}

import type { ModuleNames } from "./names.ts";

/** One rule of the starter exercise, stated the same way in the lesson and in the stub. */
export interface StarterRule {
  id: string;
  /** The lesson's bold lead-in: "Oldest first." */
  lead: string;
  /** The rule itself, in Markdown (inline code only, so it reads in a doc comment too). */
  text: string;
}

/** The rules of the starter exercise, a bounded buffer. The suites' tags name these ids. */
export function starterRules({ className }: ModuleNames): StarterRule[] {
  return [
    {
      id: "capacity",
      lead: "Capacity.",
      text: `\`new ${className}(capacity)\` holds at most \`capacity\` items. \`capacity\` must be a whole number of at least 1: anything else (\`0\`, \`-1\`, \`1.5\`, \`NaN\`, \`Infinity\`) throws a \`RangeError\` whose message says what is wrong.`,
    },
    {
      id: "fifo",
      lead: "Oldest first.",
      text: "`take` removes and returns the item that was put earliest, whatever mix of puts and takes came before: the order holds when the storage wraps around.",
    },
    {
      id: "full",
      lead: "Full means `false`.",
      text: "`put` on a full buffer returns `false` and changes nothing: the item is not stored, and the items held stay as they were. Otherwise `put` stores the item behind the others and returns `true`.",
    },
    {
      id: "empty-null",
      lead: "Empty means `null`.",
      text: "`take` on an empty buffer returns `null` (not `undefined`, and it does not throw), for as long as the buffer stays empty.",
    },
    {
      id: "size",
      lead: "`size()`",
      text: "is the number of items held: `0` for a new buffer, up by one for each `put` that returned `true`, down by one for each `take` that returned an item.",
    },
    {
      id: "any-value",
      lead: "Any value is an item.",
      text: '`0`, `""`, `false`, `undefined` and objects go in and come out as the same value, and count in `size()`. An object is not copied or changed.',
    },
    {
      id: "separate",
      lead: "No shared state.",
      text: "Two buffers never see each other's items or counts, even when their calls are interleaved.",
    },
  ];
}

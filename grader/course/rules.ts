import { fromMarkdown } from "mdast-util-from-markdown";
import { toString } from "mdast-util-to-string";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import type { ListItem, Nodes } from "mdast";

/**
 * A rule the grader checks, as a module states it: in its stub's doc comment
 * and in its lesson, each on a list item that starts with the rule's id in
 * brackets (`- [fifo] dequeue returns the task enqueued earliest`). Every test
 * names the rules it checks in its `tags`, so a failing test leads back to a
 * sentence the student has read, and a rule no test checks shows.
 */
export interface Rule {
  id: string;
  /** The rest of the list item's first line, as written. */
  text: string;
  /** Where it is stated: "exercises/01-task-queue/task-queue.ts:12". */
  where: string;
}

/** A rule id: lower-case words joined by hyphens. */
export const ruleIdPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const stubRule = /^\s*\*\s*-\s*\[([^\]\s]+)\]\s*(.*)$/;

/** The rules a stub's comments state (its list items that start with `[id]`), in order. */
export function stubRules(source: string, fileLabel: string): Rule[] {
  const rules: Rule[] = [];
  source.split("\n").forEach((line, index) => {
    const match = stubRule.exec(line);
    if (match) rules.push({ id: match[1] ?? "", text: (match[2] ?? "").trim(), where: `${fileLabel}:${index + 1}` });
  });
  return rules;
}

/** The rules a lesson states: its list items whose text starts with `[id]`, in order. */
export function lessonRules(markdown: string, fileLabel: string): Rule[] {
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const rules: Rule[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === "listItem") {
      const found = /^\[([^\]\s]+)\]\s*(.*)/.exec(firstLine(node));
      if (found) rules.push({ id: found[1] ?? "", text: (found[2] ?? "").trim(), where: `${fileLabel}:${node.position?.start.line ?? 0}` });
    }
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return rules;
}

/** A list item's text up to the end of its first line, with Markdown marks dropped. */
function firstLine(item: ListItem): string {
  const [first] = item.children;
  if (!first) return "";
  return toString(first).split("\n")[0] ?? "";
}

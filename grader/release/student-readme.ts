import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { toString } from "mdast-util-to-string";
import { gfm } from "micromark-extension-gfm";
import { GraderInputError } from "../errors.ts";

export const studentBlockStart = "<!-- student-readme:start -->";
export const studentBlockEnd = "<!-- student-readme:end -->";

/**
 * The student README, made from this repository's README: its title and every
 * block between the student-readme markers, in order. Both READMEs therefore
 * show students the same words, and editing one edits both.
 */
export function studentReadme(readme: string, label = "README.md"): string {
  const tree = fromMarkdown(readme, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const title = tree.children.find((node) => node.type === "heading" && node.depth === 1);
  if (!title) throw new GraderInputError(`${label}: has no "# " title for the student README`);

  const blocks: string[] = [];
  let openedAt: number | undefined;
  for (const node of tree.children) {
    if (node.type !== "html") continue;
    const marker = node.value.trim();
    const line = node.position?.start.line ?? 1;
    if (marker === studentBlockStart) {
      if (openedAt !== undefined) throw new GraderInputError(`${label}:${line}: a student block starts inside another`);
      openedAt = node.position?.end.offset ?? 0;
    } else if (marker === studentBlockEnd) {
      if (openedAt === undefined) throw new GraderInputError(`${label}:${line}: ${studentBlockEnd} without a start`);
      blocks.push(readme.slice(openedAt, node.position?.start.offset ?? openedAt).trim());
      openedAt = undefined;
    }
  }
  if (openedAt !== undefined) throw new GraderInputError(`${label}: a student block is never closed with ${studentBlockEnd}`);
  if (blocks.length === 0) throw new GraderInputError(`${label}: has no ${studentBlockStart} … ${studentBlockEnd} blocks for the student README`);
  return `# ${toString(title)}\n\n${blocks.join("\n\n")}\n`;
}

import { stripVTControlCharacters } from "node:util";
import wrapAnsi from "wrap-ansi";

// What a wrapped line's continuation rows line up under: the text after an
// indent and a mark ("✗ ", "[ ] 2. ", "1/6  ", "Next  "), as the eye expects.
const leadPattern = /^( *)(?:\[[ x]\] \d+\. |\d+\/\d+ {2}|[^\p{L}\p{N}\s] |\p{L}+ {2,})?/u;
const styleCode = /^\u001b\[[0-9;]*m/;

/** Splits a line after its first `visible` characters, keeping style codes with the part they style. */
function splitVisible(line: string, visible: number): [string, string] {
  let index = 0;
  for (let seen = 0; index < line.length && seen < visible; ) {
    const code = styleCode.exec(line.slice(index));
    if (code) index += code[0].length;
    else {
      index += line.codePointAt(index)! > 0xffff ? 2 : 1;
      seen++;
    }
  }
  return [line.slice(0, index), line.slice(index)];
}

/**
 * Wraps each line between words to `columns`, so a terminal never breaks one
 * mid-word; continuation rows are indented to line up under the line's text.
 * A word longer than a row (a path, a link) stays whole.
 */
export function wrapLines(text: string, columns: number): string {
  return text
    .split("\n")
    .map((line) => {
      if (!wrapAnsi(line, columns, { hard: false, trim: false }).includes("\n")) return line;
      const lead = Math.min(leadPattern.exec(stripVTControlCharacters(line))?.[0].length ?? 0, Math.floor(columns / 3));
      const [head, rest] = splitVisible(line, lead);
      const rows = wrapAnsi(rest, columns - lead, { hard: false, trim: true }).split("\n");
      return rows.map((row, index) => (index === 0 ? head : " ".repeat(lead)) + row).join("\n");
    })
    .join("\n");
}

/** Text to write to standard output: wrapped to the terminal's width, or as it is for a pipe or a file. */
export function forTerminal(text: string, stream: NodeJS.WriteStream = process.stdout): string {
  return stream.isTTY && stream.columns > 0 ? wrapLines(text, stream.columns) : text;
}

import type { QuizQuestion } from "../course/quiz.ts";

/** Ticks exactly the chosen options (0-based) of one question, editing the boxes in place. */
export function tickOptions(markdown: string, question: QuizQuestion, chosen: ReadonlySet<number>): string {
  // Each box is one character, so replacing it keeps every other offset valid.
  let text = markdown;
  question.options.forEach((option, index) => {
    const mark = chosen.has(index) ? "x" : " ";
    text = text.slice(0, option.boxOffset) + mark + text.slice(option.boxOffset + 1);
  });
  return text;
}

/**
 * Reads an answer typed at the prompt: option numbers separated by commas or
 * spaces ("2", "1,3", "1 3"). Returns the 0-based choices, or an error to show.
 */
export function parseChoice(input: string, optionCount: number): ReadonlySet<number> | string {
  const parts = input.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return "type the numbers of the options you pick, e.g. 2 or 1,3";
  const chosen = new Set<number>();
  for (const part of parts) {
    const number = Number(part);
    if (!Number.isInteger(number) || number < 1 || number > optionCount) return `"${part}" is not an option number from 1 to ${optionCount}`;
    chosen.add(number - 1);
  }
  return chosen;
}

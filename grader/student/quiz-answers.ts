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

/** The index of the first question with no box ticked, where a quiz run resumes; null when every question is answered. */
export function firstUnanswered(questions: ReadonlyArray<{ options: ReadonlyArray<{ checked: boolean }> }>): number | null {
  const index = questions.findIndex((question) => !question.options.some((option) => option.checked));
  return index === -1 ? null : index;
}

/** What a line typed at the quiz prompt asks for. */
export type QuizAnswer =
  | { action: "keep" }
  | { action: "stop" }
  | { action: "tick"; chosen: ReadonlySet<number> }
  | { action: "retry"; message: string };

/**
 * Reads a line typed at the prompt: option numbers separated by commas or
 * spaces ("2", "1,3", "1 3"), Enter to keep the answer, "c" to clear it, "q"
 * to stop. A "pick one" question takes one number.
 */
export function readAnswer(input: string | null, question: Pick<QuizQuestion, "options" | "pickOne">): QuizAnswer {
  if (input === null) return { action: "stop" };
  const typed = input.trim().toLowerCase();
  if (typed === "") return { action: "keep" };
  if (typed === "q") return { action: "stop" };
  if (typed === "c") return { action: "tick", chosen: new Set() };
  const optionCount = question.options.length;
  const chosen = new Set<number>();
  for (const part of typed.split(/[\s,]+/).filter(Boolean)) {
    const number = Number(part);
    if (!Number.isInteger(number) || number < 1 || number > optionCount) return { action: "retry", message: `"${part}" is not an option number from 1 to ${optionCount}` };
    chosen.add(number - 1);
  }
  if (chosen.size === 0) return { action: "retry", message: "type the numbers of the options you pick, e.g. 2 or 1,3" };
  if (question.pickOne && chosen.size > 1) return { action: "retry", message: `this question takes one answer: type one number from 1 to ${optionCount}` };
  return { action: "tick", chosen };
}

import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { toString } from "mdast-util-to-string";
import { gfm } from "micromark-extension-gfm";
import type { List, ListItem, RootContent } from "mdast";
import { GraderInputError } from "../errors.ts";

export interface QuizOption {
  text: string;
  checked: boolean;
  /** 1-based line of the option's `- [ ]` in quiz.md. */
  line: number;
  /** Offset of the character between the brackets, so a tool can tick the box in place. */
  boxOffset: number;
}

export interface QuizQuestion {
  title: string;
  line: number;
  /** The Markdown between the heading and the options (code, a scenario), as written. */
  context: string;
  options: QuizOption[];
}

export interface Quiz {
  questions: QuizQuestion[];
}

/**
 * Parses a quiz written as GitHub Markdown: each question is a `##` heading
 * followed by one task list of options. Anything else (text, code) is allowed
 * between them. A structural mistake throws a GraderInputError naming the line.
 */
export function parseQuiz(markdown: string, fileLabel: string): Quiz {
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const fail = (line: number | undefined, problem: string): never => {
    throw new GraderInputError(`${fileLabel}:${line ?? 1}: ${problem}`);
  };

  const questions: QuizQuestion[] = [];
  let current: { question: QuizQuestion; list: List | undefined; headingEnd: number } | undefined;

  const finishQuestion = () => {
    if (current && current.question.options.length === 0) {
      fail(current.question.line, `question "${current.question.title}" has no options; add a task list ("- [ ] answer")`);
    }
  };

  for (const node of tree.children as RootContent[]) {
    if (node.type === "heading" && node.depth <= 2) {
      finishQuestion();
      current = undefined;
      if (node.depth === 1) continue;
      const title = toString(node).trim();
      const line = node.position?.start.line ?? 1;
      if (title === "") fail(line, "question heading is empty");
      if (questions.some((question) => question.title === title)) fail(line, `question "${title}" appears twice`);
      const question: QuizQuestion = { title, line, context: "", options: [] };
      questions.push(question);
      current = { question, list: undefined, headingEnd: node.position?.end.offset ?? 0 };
      continue;
    }
    if (node.type !== "list" || !current) continue;
    const isTaskList = node.children.some((item) => typeof item.checked === "boolean");
    if (!isTaskList) continue;
    if (current.list) fail(node.position?.start.line, `question "${current.question.title}" has a second list of options; keep its options in one list`);
    current.list = node;
    current.question.context = markdown.slice(current.headingEnd, node.position?.start.offset ?? current.headingEnd).trim();
    for (const item of node.children) current.question.options.push(readOption(item, current.question, markdown, fail));
  }
  finishQuestion();
  if (questions.length === 0) fail(1, "no questions found; each question is a \"## \" heading followed by \"- [ ] option\" lines");
  return { questions };
}

function readOption(
  item: ListItem,
  question: QuizQuestion,
  markdown: string,
  fail: (line: number | undefined, problem: string) => never,
): QuizOption {
  const line = item.position?.start.line;
  if (typeof item.checked !== "boolean") {
    fail(line, `option in "${question.title}" has no checkbox; write "- [ ] answer" or "- [x] answer"`);
  }
  const text = toString(item).trim();
  if (text === "") fail(line, `option in "${question.title}" has no text`);
  if (question.options.some((option) => option.text === text)) fail(line, `option "${text}" appears twice in "${question.title}"`);
  const start = item.position?.start.offset ?? 0;
  const open = markdown.indexOf("[", start);
  return { text, checked: item.checked === true, line: line ?? 1, boxOffset: open + 1 };
}

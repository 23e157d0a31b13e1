import { Worker } from "node:worker_threads";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { toString } from "mdast-util-to-string";
import { gfm } from "micromark-extension-gfm";
import type { List, ListItem, Root, RootContent } from "mdast";
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
  return quizFromTree(fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }), markdown, fileLabel);
}

/** A worker that does not start is the grader's fault, never the quiz's. */
const workerStartTimeoutMs = 60_000;

/**
 * Parses quizzes that a submission wrote, one at a time, in a worker thread
 * with a small heap and stack, each stopped at its time limit. A quiz built to
 * be slow, huge or deeply nested becomes a GraderInputError naming the file;
 * the worker is then replaced for the next one. Close it when done.
 */
export class BoundedQuizReader {
  private worker: Promise<Worker> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly timeoutMs: number) {}

  read(markdown: string, fileLabel: string): Promise<Quiz> {
    const next = this.queue.then(() => this.parse(markdown, fileLabel));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    void this.worker?.then((worker) => worker.terminate());
    this.worker = null;
  }

  private start(): Promise<Worker> {
    // Plain JavaScript, so the worker needs no loader of the parent's (tsx, vitest).
    const worker = new Worker(new URL("./markdown-worker.mjs", import.meta.url), {
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 64, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the Markdown worker did not start")), workerStartTimeoutMs);
      worker.once("message", () => {
        clearTimeout(timer);
        resolve(worker);
      });
      worker.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  private async parse(markdown: string, fileLabel: string): Promise<Quiz> {
    const worker = await (this.worker ??= this.start());
    const tree = await new Promise<Root>((resolve, reject) => {
      const fail = (problem: string) => {
        cleanUp();
        this.close();
        reject(new GraderInputError(`${fileLabel}: ${problem}`));
      };
      const timer = setTimeout(() => fail(`took longer than ${this.timeoutMs / 1000} s to read; write plain questions and task lists`), this.timeoutMs);
      const onMessage = (message: Root) => {
        cleanUp();
        resolve(message);
      };
      const onError = (error: Error & { code?: string }) =>
        fail(error instanceof RangeError || error.code === "ERR_WORKER_OUT_OF_MEMORY" ? "is too large or nested too deeply to read" : "cannot be read as Markdown");
      const onExit = () => fail("cannot be read as Markdown");
      const cleanUp = () => {
        clearTimeout(timer);
        worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      };
      worker.on("message", onMessage).on("error", onError).on("exit", onExit);
      worker.postMessage(markdown);
    });
    return quizFromTree(tree, markdown, fileLabel);
  }
}

function quizFromTree(tree: Root, markdown: string, fileLabel: string): Quiz {
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

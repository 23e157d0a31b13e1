import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { toString } from "mdast-util-to-string";
import { gfm } from "micromark-extension-gfm";
import type { List, ListItem, Nodes, Root, RootContent } from "mdast";
import { GraderInputError } from "../errors.ts";

export interface QuizOption {
  /** The option as plain text: what answer keys name. */
  text: string;
  /** The option as a reader sees it, with inline code still in backticks. */
  shown: string;
  checked: boolean;
  /** 1-based line of the option's `- [ ]` in quiz.md. */
  line: number;
  /** Offset of the character between the brackets, so a tool can tick the box in place. */
  boxOffset: number;
}

/** What is wrong with one question as written, at the line to fix. */
export interface QuizProblem {
  line: number;
  message: string;
}

export interface QuizQuestion {
  title: string;
  /** The heading as a reader sees it: inline code in backticks, without the "1." it is numbered with. */
  shown: string;
  /** The heading ends "(pick one)": exactly one box may be ticked. */
  pickOne: boolean;
  line: number;
  /** The Markdown between the heading and the options (code, a scenario), as written. */
  context: string;
  options: QuizOption[];
  /** Set when the question's options cannot be read as written; it then counts as not answered. The first of `problems`. */
  problem: QuizProblem | null;
  /** Every mistake in the question, in the order they were found. */
  problems: QuizProblem[];
}

export interface Quiz {
  questions: QuizQuestion[];
  /** Every format problem in the file, by line: each question's and the file's own. */
  problems: QuizProblem[];
}

/**
 * Parses a quiz written as GitHub Markdown: each question is a `##` heading
 * followed by one task list of options. Anything else (text, code) is allowed
 * between them. A mistake inside one question (a stray `* [x]`, an option
 * without a box) is that question's `problem`, so the rest of the quiz still
 * counts; a mistake in the file's shape (no questions, a repeated or empty
 * heading) throws a GraderInputError naming the line.
 */
export function parseQuiz(markdown: string, fileLabel: string): Quiz {
  return quizFromTree(readTree(markdown), markdown, fileLabel);
}

/**
 * Every format problem of a quiz, by line, where parseQuiz would stop at the
 * first mistake in the file's shape: so a student can mend them all in one go.
 * Empty for a quiz that parseQuiz and wholeQuiz accept.
 */
export function quizProblems(markdown: string): QuizProblem[] {
  return readQuiz(readTree(markdown), markdown).quiz.problems;
}

function readTree(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** The quiz, or a GraderInputError for its first question problem: for quizzes the course itself ships, which must be whole. */
export function wholeQuiz(quiz: Quiz, fileLabel: string): Quiz {
  const broken = quiz.questions.find((question) => question.problem !== null);
  if (broken?.problem) throw new GraderInputError(describeQuizProblem(fileLabel, broken.problem));
  return quiz;
}

/** `file:line: what to fix`, as students and annotations see it. */
export function describeQuizProblem(fileLabel: string, problem: QuizProblem): string {
  return `${fileLabel}:${problem.line}: ${problem.message}`;
}

/** A reader that does not start is the grader's fault, never the quiz's. */
const readerStartTimeoutMs = 60_000;

type ReaderReply = { tree: Root } | { failure: "too-deep" | "unreadable" };

/**
 * Parses quizzes that a submission wrote, one at a time, in a process of its
 * own with a small heap, each stopped at its time limit. A quiz built to be
 * slow, huge or deeply nested becomes a GraderInputError naming the file; the
 * process is then replaced for the next one. A process, not a worker thread:
 * a thread that reaches its heap limit can abort the grader with it. Close it
 * when done.
 */
export class BoundedQuizReader {
  private reader: Promise<ChildProcess> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly timeoutMs: number) {}

  read(markdown: string, fileLabel: string): Promise<Quiz> {
    const next = this.queue.then(() => this.parse(markdown, fileLabel));
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    void this.reader?.then((child) => child.kill("SIGKILL")).catch(() => undefined);
    this.reader = null;
  }

  private start(): Promise<ChildProcess> {
    // Plain JavaScript with none of the parent's loaders (tsx, vitest), and nothing of its environment.
    const child = fork(fileURLToPath(new URL("./markdown-process.mjs", import.meta.url)), [], {
      execArgv: ["--max-old-space-size=64"],
      env: {},
      serialization: "advanced",
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    const started = new Promise<ChildProcess>((resolve, reject) => {
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error("the Markdown reader did not start")), readerStartTimeoutMs);
      child.once("message", () => {
        clearTimeout(timer);
        resolve(child);
      });
      child.once("error", fail);
      child.once("exit", () => fail(new Error("the Markdown reader exited as it started")));
    });
    // A reader that has ended (its heap ran out, say) is started afresh for the next quiz.
    child.once("exit", () => {
      if (this.reader === started) this.reader = null;
    });
    return started;
  }

  private async parse(markdown: string, fileLabel: string): Promise<Quiz> {
    const child = await (this.reader ??= this.start());
    const tree = await new Promise<Root>((resolve, reject) => {
      const fail = (problem: string) => {
        cleanUp();
        this.close();
        reject(new GraderInputError(`${fileLabel}: ${problem}`));
      };
      const timer = setTimeout(() => fail(`took longer than ${this.timeoutMs / 1000} s to read; write plain questions and task lists`), this.timeoutMs);
      const onMessage = (reply: ReaderReply) => {
        if ("tree" in reply) {
          cleanUp();
          resolve(reply.tree);
        } else fail(reply.failure === "too-deep" ? "is too large or nested too deeply to read" : "cannot be read as Markdown");
      };
      // The process ends only when its heap runs out (or something kills it).
      const onExit = () => fail("is too large or nested too deeply to read");
      const cleanUp = () => {
        clearTimeout(timer);
        child.off("message", onMessage).off("exit", onExit);
      };
      child.on("message", onMessage).on("exit", onExit);
      child.send(markdown, (error) => {
        if (error) fail("cannot be read as Markdown");
      });
    });
    return quizFromTree(tree, markdown, fileLabel);
  }
}

/** Whether a question's heading ends "(pick one)", so exactly one box may be ticked. */
export function picksOne(title: string): boolean {
  return /\(pick one\)\s*$/i.test(title);
}

/** Text with inline code kept in its backticks, so `while ((task = …))` stays readable as code. */
function shownText(node: Nodes): string {
  if (node.type === "inlineCode") return `\`${node.value}\``;
  if (node.type === "break") return " ";
  if ("children" in node) return node.children.map((child) => shownText(child)).join("");
  return "value" in node ? node.value : "";
}

const boxHint = 'write "- [x]" (a dash, a space, then the box)';

/** The list marker an item starts with ("-", "*", "+", "1." …), as written. */
function markerOf(item: ListItem, markdown: string): string {
  const start = item.position?.start.offset ?? 0;
  return /^\s*([-*+]|\d+[.)])/.exec(markdown.slice(start, start + 12))?.[1] ?? "-";
}

/** Lines that look like an option but are not one, such as "-[x] answer" with no space after the dash. */
function lookalikeOptions(markdown: string, from: number, to: number): number[] {
  const lines: number[] = [];
  const before = markdown.slice(0, from).split("\n").length;
  markdown
    .slice(from, to)
    .split("\n")
    .forEach((text, index) => {
      if (/^ {0,3}([-*+]|\d+[.)])\[[ xX]?\]/.test(text)) lines.push(before + index);
    });
  return lines;
}

/** The quiz, or a GraderInputError for the first mistake in the file's shape (a mistake inside a question is that question's problem). */
function quizFromTree(tree: Root, markdown: string, fileLabel: string): Quiz {
  const { quiz, shapeProblems } = readQuiz(tree, markdown);
  const [first] = shapeProblems;
  if (first) throw new GraderInputError(describeQuizProblem(fileLabel, first));
  return quiz;
}

/** Reads every question, noting each mistake instead of stopping at one. */
function readQuiz(tree: Root, markdown: string): { quiz: Quiz; shapeProblems: QuizProblem[] } {
  // Mistakes in the file's shape, in the order they appear.
  const shapeProblems: QuizProblem[] = [];
  const fail = (line: number | undefined, message: string) => {
    shapeProblems.push({ line: line ?? 1, message });
  };

  const questions: QuizQuestion[] = [];
  // Questions whose heading is empty or repeated are read too, for the mistakes in their options, but never counted.
  const unlisted: QuizQuestion[] = [];
  interface Open {
    question: QuizQuestion;
    lists: List[];
    headingEnd: number;
  }
  let current: Open | undefined;

  const finishQuestion = (end: number) => {
    if (!current) return;
    const { question, lists } = current;
    const flag = (line: number, message: string) => {
      if (question.problems.some((seen) => seen.line === line && seen.message === message)) return;
      question.problems.push({ line, message });
      question.problem ??= { line, message };
    };
    const [first] = lists;
    if (first) {
      question.context = markdown.slice(current.headingEnd, first.position?.start.offset ?? current.headingEnd).trim();
      for (const item of first.children) readOption(item, question, markdown, flag);
    }
    // A second task list under one question is nearly always an option written with another marker ("* [x]", "1. [x]"): name each such option.
    if (lists.length > 1) {
      const odd = lists.flatMap((each) => each.children).filter((item) => markerOf(item, markdown) !== "-");
      for (const item of odd) flag(item.position?.start.line ?? question.line, `this option starts with "${markerOf(item, markdown)}"; ${boxHint} like the other options`);
      if (odd.length === 0) {
        for (const list of lists.slice(1)) {
          const line = list.children[0]?.position?.start.line ?? list.position?.start.line ?? question.line;
          flag(line, `the options of question "${question.title}" are split into two lists; keep them together, one per line, and ${boxHint}`);
        }
      }
    }
    for (const line of lookalikeOptions(markdown, current.headingEnd, end)) flag(line, `this line is not read as an option; ${boxHint}`);
    if (question.options.length === 0) flag(question.line, `question "${question.title}" has no options; add a task list ("- [ ] answer")`);
  };

  for (const node of tree.children as RootContent[]) {
    if (node.type === "heading" && node.depth <= 2) {
      finishQuestion(node.position?.start.offset ?? markdown.length);
      current = undefined;
      if (node.depth === 1) continue;
      const title = toString(node).trim();
      const line = node.position?.start.line ?? 1;
      let listed = true;
      if (title === "") {
        fail(line, "question heading is empty");
        listed = false;
      } else if (questions.some((question) => question.title === title)) {
        fail(line, `question "${title}" appears twice`);
        listed = false;
      }
      const shown = shownText(node).trim().replace(/^\d+[.)]\s+/, "");
      const question: QuizQuestion = { title, shown, pickOne: picksOne(title), line, context: "", options: [], problem: null, problems: [] };
      (listed ? questions : unlisted).push(question);
      current = { question, lists: [], headingEnd: node.position?.end.offset ?? 0 };
      continue;
    }
    if (node.type !== "list" || !current) continue;
    if (node.children.some((item) => typeof item.checked === "boolean")) current.lists.push(node);
  }
  finishQuestion(markdown.length);
  if (questions.length === 0) fail(1, "no questions found; each question is a \"## \" heading followed by \"- [ ] option\" lines");
  const problems = [...shapeProblems, ...[...questions, ...unlisted].flatMap((question) => question.problems)].sort((a, b) => a.line - b.line);
  return { quiz: { questions, problems }, shapeProblems };
}

function readOption(item: ListItem, question: QuizQuestion, markdown: string, flag: (line: number, message: string) => void): void {
  const line = item.position?.start.line ?? question.line;
  if (typeof item.checked !== "boolean") {
    flag(line, `this option of "${question.title}" has no box; ${boxHint}, or "- [ ]" to leave it unticked`);
    return;
  }
  const text = toString(item).trim();
  if (text === "") return flag(line, `an option of "${question.title}" has no text`);
  if (question.options.some((option) => option.text === text)) return flag(line, `option "${text}" appears twice in "${question.title}"`);
  const start = item.position?.start.offset ?? 0;
  const open = markdown.indexOf("[", start);
  question.options.push({ text, shown: shownText(item).trim(), checked: item.checked === true, line, boxOffset: open + 1 });
}

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import pc from "picocolors";
import { loadCourse, moduleNumber } from "../course/manifest.ts";
import { describeQuizProblem, parseQuiz, quizProblems } from "../course/quiz.ts";
import { GraderInputError } from "../errors.ts";
import { moduleArgument, nextModule } from "../student/module-argument.ts";
import { printable } from "../report/text.ts";
import { firstUnanswered, readAnswer, tickOptions } from "../student/quiz-answers.ts";
import { runCommand } from "./run-command.ts";
import { forTerminal } from "./terminal-text.ts";

const usage = "npm run quiz <module>";

/**
 * `npm run quiz 01`: asks each question in the terminal and ticks the chosen
 * boxes in the module's quiz.md, which stays the record (and stays editable by
 * hand). It never says whether an answer is right: the keys are not here.
 * It starts at the first unanswered question, so a stopped quiz resumes.
 */
await runCommand(async () => {
  const args = process.argv.slice(2);
  if (args.length > 1) throw new GraderInputError(`expected one module, got ${args.length} arguments (usage: ${usage})`);
  const course = loadCourse();
  const module = moduleArgument(course, args[0], usage);
  const file = path.join(course.root, module.quiz);
  let markdown: string;
  try {
    markdown = readFileSync(file, "utf8");
  } catch {
    throw new GraderInputError(`${module.quiz} is missing`);
  }
  // The terminal can only edit a quiz it can read whole: every broken line is named at once, so one edit mends them all.
  const problems = quizProblems(markdown);
  if (problems.length > 0) {
    // Each line quotes the student's own text: printed inert.
    for (const problem of problems) process.stderr.write(`error: ${printable(describeQuizProblem(module.quiz, problem))}\n`);
    if (problems.length > 1) process.stderr.write(`${problems.length} problems in ${module.quiz}: mend them, then run npm run quiz ${moduleNumber(module)} again.\n`);
    return 2;
  }
  const asFound = parseQuiz(markdown, module.quiz).questions;
  const total = asFound.length;
  const first = firstUnanswered(asFound);
  const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  // The iterator buffers lines, so answers piped in ahead of the prompts are not lost.
  const lines = terminal[Symbol.asyncIterator]();
  const ask = async (): Promise<string | null> => {
    process.stdout.write("> ");
    const next = await lines.next();
    if (!process.stdin.isTTY && !next.done) process.stdout.write(`${next.value}\n`);
    return next.done ? null : String(next.value);
  };
  let inputEnded = false;
  const out = (text = "") => process.stdout.write(`${forTerminal(text)}\n`);

  out(pc.bold(`Quiz ${module.id}: ${total} questions. Answers are saved to ${module.quiz} as you go.`));
  out(pc.dim("Type option numbers (2, or 1,3 where you may pick several). Enter keeps your answer, c clears it, q stops."));
  const resume = resumeNote(first);
  if (resume) out(resume);
  for (let index = first ?? 0; index < total && !inputEnded; index++) {
    // Re-parse after each save so offsets always match the file as written.
    const question = parseQuiz(markdown, module.quiz).questions[index];
    if (!question) break;
    out();
    out(pc.bold(`${index + 1}/${total}  ${question.shown}`));
    if (question.context) out(question.context);
    question.options.forEach((option, number) => out(`  ${option.checked ? pc.green("[x]") : "[ ]"} ${number + 1}. ${option.shown}`));
    for (;;) {
      const answer = readAnswer(await ask(), question);
      if (answer.action === "retry") {
        out(pc.yellow(answer.message));
        continue;
      }
      if (answer.action === "stop") inputEnded = true;
      if (answer.action === "tick") {
        markdown = tickOptions(markdown, question, answer.chosen);
        writeFileSync(file, markdown);
        if (answer.chosen.size === 0) out(pc.dim("Cleared."));
      }
      break;
    }
  }
  terminal.close();
  const questions = parseQuiz(markdown, module.quiz).questions;
  const answered = questions.filter((question) => question.options.some((option) => option.checked)).length;
  out();
  out(`${answered} of ${questions.length} questions answered in ${module.quiz}.`);
  out(pc.dim("Your answers are checked by your instructor's grader, not here: npm run grade and the push workflow check only that quiz.md is well formed."));
  out(pc.dim("npm run progress says when the instructor's grader runs."));
  const next = nextModule(course, module);
  if (answered === questions.length && next) out(`Next: npm run exercise ${moduleNumber(next)}`);
  return 0;
});

/** Where a quiz run starts, when not at question 1: after the answered ones, or back at 1 to review a finished quiz. */
function resumeNote(first: number | null): string | null {
  if (first === null) return "Every question is answered: starting at question 1, so you can review your answers.";
  if (first === 0) return null;
  const answered = first === 1 ? "question 1 is answered" : `questions 1–${first} are answered`;
  return `Resuming at question ${first + 1}: ${answered}.`;
}

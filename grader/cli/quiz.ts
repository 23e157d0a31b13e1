import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import pc from "picocolors";
import { loadCourse, moduleNumber } from "../course/manifest.ts";
import { parseQuiz, wholeQuiz } from "../course/quiz.ts";
import { GraderInputError } from "../errors.ts";
import { moduleArgument, nextModule } from "../student/module-argument.ts";
import { readAnswer, tickOptions } from "../student/quiz-answers.ts";
import { runCommand } from "./run-command.ts";
import { forTerminal } from "./terminal-text.ts";

const usage = "npm run quiz <module>";

/**
 * `npm run quiz 01`: asks each question in the terminal and ticks the chosen
 * boxes in the module's quiz.md, which stays the record (and stays editable by
 * hand). It never says whether an answer is right: the keys are not here.
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
  // The terminal can only edit a quiz it can read whole: a broken question stops here, with its line.
  const total = wholeQuiz(parseQuiz(markdown, module.quiz), module.quiz).questions.length;
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
  for (let index = 0; index < total && !inputEnded; index++) {
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
  out(pc.dim("Whether they are right is decided when you grade: npm run grade (or on push)."));
  const next = nextModule(course, module);
  if (answered === questions.length && next) out(`Next: npm run exercise ${moduleNumber(next)}`);
  return 0;
});

import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suitePaths } from "../../../grader/course/manifest.ts";
import { parseQuiz } from "../../../grader/course/quiz.ts";
import { loadQuizKey } from "../../../grader/course/quiz-key.ts";
import { tickOptions } from "../../../grader/student/quiz-answers.ts";
import { course, courseRoot } from "./course.ts";

/** Makes a student repository a perfect submission: the reference solutions in exercises/, every key's answers ticked. */
export function layOverAnswers(dir: string): void {
  cpSync(path.join(courseRoot, "solutions"), path.join(dir, "exercises"), { recursive: true });
  for (const module of course.modules) {
    const key = loadQuizKey(path.join(courseRoot, suitePaths(module).quizKey), suitePaths(module).quizKey);
    let markdown = readFileSync(path.join(dir, module.quiz), "utf8");
    for (const question of parseQuiz(markdown, module.quiz).questions) {
      const answers = key.questions.find((entry) => entry.question === question.title)?.answers ?? [];
      markdown = tickOptions(markdown, question, new Set(question.options.flatMap((option, index) => (answers.includes(option.text) ? [index] : []))));
    }
    writeFileSync(path.join(dir, module.quiz), markdown);
  }
}

import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseQuiz } from "../../grader/course/quiz.ts";
import { listSuiteTests } from "../../grader/course/suite-tests.ts";
import { runCli } from "./support/cli.ts";
import { course, courseRoot, quizQuestions, readCourseFile } from "./support/course.ts";
import { copyCourse, removeCourseCopies } from "./support/course-copy.ts";

const quizFile = "lessons/01-task-queue/quiz.md";
// Counts come from the quiz and the manifest, so a question or hint added to module 01 changes no expectation here.
const questions = quizQuestions("01-task-queue");
const optionsOf = (question: number) => parseQuiz(readCourseFile(quizFile), quizFile).questions[question - 1]?.options.length;
/** An option as written in quiz.md (inline code and all), by question and option number: the quiz shows it so. */
const rawOption = (question: number, option: number) => {
  const parsed = parseQuiz(readCourseFile(quizFile), quizFile).questions[question - 1]?.options[option - 1];
  const line = readCourseFile(quizFile).split("\n")[(parsed?.line ?? 0) - 1] ?? "";
  return line.replace(/^- \[ \] /, "");
};
const hintsOf01 = course.modules.find((module) => module.id === "01-task-queue")?.hints ?? [];
const hints = hintsOf01.length;
const publicSuite = listSuiteTests(readCourseFile("tests/public/01-task-queue.test.ts"), "tests/public/01-task-queue.test.ts");
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const hintsLeft = (shown: number) => `${hints - shown} more hint${hints - shown === 1 ? "" : "s"} left`;

describe("npm run quiz and npm run hint", () => {
  afterAll(removeCourseCopies);

  test("the quiz asks in the terminal, ticks quiz.md in place, resumes where it stopped and never says what is right", () => {
    const checkout = copyCourse("student");
    // Question 1: two answers (refused), then option 2. Question 2: option 4. Then stop.
    const first = runCli("quiz", ["1"], { cwd: checkout, input: "1,2\n2\n4\nq\n" });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`2 of ${questions} questions answered`);
    expect(first.stdout).toContain(`this question takes one answer: type one number from 1 to ${optionsOf(1)}`);
    expect(first.stdout).not.toContain("Resuming");
    // Again: it resumes at question 3. A bad answer then 1 and 3 for question 3, keep 4 (unanswered), stop.
    const result = runCli("quiz", ["1"], { cwd: checkout, input: "9\n1,3\n\nq\n" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("Resuming at question 3: questions 1–2 are answered.");
    expect(result.stdout).not.toMatch(new RegExp(`^[12]/${questions} {2}`, "m"));
    expect(result.stdout).toContain(`"9" is not an option number from 1 to ${optionsOf(3)}`);
    expect(result.stdout).toContain(`3 of ${questions} questions answered`);
    // Numbered once, and inline code keeps its backticks.
    expect(result.stdout).toContain(`3/${questions}  A worker runs \`while ((task = queue.dequeue())) handle(task);\`. Which tasks`);
    expect(rawOption(3, 2), "an option with inline code").toContain("`");
    expect(result.stdout).toMatch(new RegExp(`^ {2}\\[ \\] 2\\. ${escape(rawOption(3, 2))}$`, "m"));
    expect(result.stdout).not.toMatch(new RegExp(`\\d/${questions} {2}\\d\\.`));
    // It says that the answers are checked elsewhere, and by what.
    expect(result.stdout).toContain("Your answers are checked by your instructor's grader, not here: npm run grade and the push workflow check only that quiz.md is well formed.");
    expect(result.stdout).toContain("npm run progress says when the instructor's grader runs.");
    // Answer the rest (option 1 each); then, every question answered, a run starts at 1 to review: keep 1, clear 2, stop.
    const rest = runCli("quiz", ["1"], { cwd: checkout, input: "1\n".repeat(questions - 3) });
    expect(rest.stdout).toContain(`Resuming at question 4: questions 1–3 are answered.`);
    expect(rest.stdout).toContain(`${questions} of ${questions} questions answered`);
    const review = runCli("quiz", ["1"], { cwd: checkout, input: "\nc\nq\n" });
    expect(review.stdout).toContain("Every question is answered: starting at question 1, so you can review your answers.");
    expect(review.stdout).toMatch(new RegExp(`^ {2}\\[x\\] 4\\. ${escape(rawOption(2, 4))}$`, "m"));
    expect(review.stdout).toContain("Cleared.");
    for (const run of [first, result, rest, review]) expect(run.stdout).not.toMatch(/\b(correct|wrong|right answer|whether they are right)\b/i);

    const quiz = parseQuiz(readFileSync(path.join(checkout, quizFile), "utf8"), quizFile);
    const ticked = quiz.questions.map((question) => question.options.flatMap((option, index) => (option.checked ? [index + 1] : [])));
    expect(ticked).toEqual([[2], [], [1, 3], ...Array.from({ length: questions - 3 }, () => [1])]);
    // Only the ticked boxes changed: the file is still the hand-editable Markdown it was.
    const before = readFileSync(path.join(courseRoot, quizFile), "utf8").split("\n");
    const after = readFileSync(path.join(checkout, quizFile), "utf8").split("\n");
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((line, index) => (line === before[index] ? [] : [line]));
    expect(changed.slice(0, 3)).toEqual([`- [x] ${rawOption(1, 2)}`, `- [x] ${rawOption(3, 1)}`, `- [x] ${rawOption(3, 3)}`]);
    expect(changed.slice(3)).toHaveLength(questions - 3);
    for (const line of changed) expect(line).toMatch(/^- \[x\] /);
  });

  test("a malformed quiz file is a one-line error naming the line, exit 2", () => {
    const checkout = copyCourse("student");
    const file = path.join(checkout, quizFile);
    writeFileSync(file, readFileSync(file, "utf8").replace("- [ ] C, then D", "- C, then D"));
    const result = runCli("quiz", ["01"], { cwd: checkout });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/lessons\/01-task-queue\/quiz\.md:10: this option of ".*" has no box; write "- \[x\]"/);
  });

  test("a quiz with several mistakes names every one in one run, exit 2", () => {
    const checkout = copyCourse("student");
    const file = path.join(checkout, quizFile);
    const original = readFileSync(file, "utf8");
    const lineOf = (text: string) => original.split("\n").indexOf(text) + 1;
    // A box left out in question 1, a "*" option in question 3, question 2's heading repeated at question 4.
    const heading = original.split("\n").find((line) => line.startsWith("## 2.")) ?? "";
    const broken = original
      .replace("- [ ] C, then D", "- C, then D")
      .replace("- [ ] `false`", "* [x] `false`")
      .replace(/^## 4\..*$/m, heading);
    writeFileSync(file, broken);
    const result = runCli("quiz", ["01"], { cwd: checkout });
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^error: ${quizFile}:${lineOf("- [ ] C, then D")}: this option of ".*" has no box`)),
      expect.stringMatching(new RegExp(`^error: ${quizFile}:${lineOf("- [ ] \`false\`")}: this option starts with "\\*"`)),
      expect.stringMatching(new RegExp(`^error: ${quizFile}:${lineOf(original.split("\n").find((line) => line.startsWith("## 4.")) ?? "")}: question ".*" appears twice$`)),
      `3 problems in ${quizFile}: mend them, then run npm run quiz 01 again.`,
    ]);
    expect(result.stdout).toBe("");
  });

  // The typos a student made: "* [x]" and "1. [x]" start a second list; "-[x]" is not a list item at all.
  // One in each of three quizzes, read by one progress run (it runs every module's public tests).
  test("progress reads quizzes with * [x], 1. [x] and -[x] in them, names each line to mend, and still counts the rest", () => {
    const checkout = copyCourse("student");
    const typos = [
      { module: "01-task-queue", marker: "* [x] ", says: '"*"' },
      { module: "02-priority-queue", marker: "1. [x] ", says: '"1."' },
      { module: "03-visibility-timeout", marker: "-[x] ", says: "not read as an option" },
    ].map((typo) => {
      const file = path.join(checkout, "lessons", typo.module, "quiz.md");
      const original = readFileSync(file, "utf8");
      const lines = original.split("\n");
      const options = lines.flatMap((text, index) => (text.startsWith("- [ ] ") ? [index] : []));
      const questionTwo = lines.findIndex((text) => text.startsWith("## 2."));
      // The second option of question 1 gets the typo; question 2's first option is ticked.
      const typoAt = options[1] ?? 0;
      const tickAt = options.find((index) => index > questionTwo) ?? 0;
      lines[typoAt] = `${typo.marker}${(lines[typoAt] ?? "").slice("- [ ] ".length)}`;
      lines[tickAt] = (lines[tickAt] ?? "").replace("- [ ] ", "- [x] ");
      writeFileSync(file, lines.join("\n"));
      return { ...typo, line: typoAt + 1, questions: parseQuiz(original, "quiz.md").questions.length };
    });
    const result = runCli("progress", [], { cwd: checkout });
    expect(result.status, result.stderr).toBe(0);
    for (const typo of typos) {
      const shown = result.stdout.split("\n").filter((text) => text.includes(`lessons/${typo.module}/quiz.md:${typo.line}: `));
      expect(shown.length, `${typo.module}: names the line to mend`).toBeGreaterThan(0);
      for (const text of shown) {
        expect(text).toContain(typo.says);
        expect(text).toContain('write "- [x]"');
      }
      expect(result.stdout, `${typo.module}: question 2 is still read`).toMatch(new RegExp(`${typo.module} .* quiz 1/${typo.questions} answered`));
    }
    expect(result.stdout).toMatch(/Next\s+mend the quiz of 01-task-queue: /);
  });

  test.each([
    [["grade", "--only", "01"], "npm kept --only for itself", "npm run grade -- --only 01"],
    [["exercise", "01", "--once"], "npm kept --once for itself", "npm run exercise -- 01 --once"],
  ])("npm run %j without -- stops with the command to type, exit 2", { timeout: 90_000 }, (args, says, command) => {
    const checkout = copyCourse("student");
    const result = spawnSync("npm", ["run", "--silent", ...args], { cwd: checkout, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, input: "", timeout: 60_000 });
    expect(result.status, result.stdout).toBe(2);
    const lines = result.stderr.trim().split("\n").filter((line) => !line.startsWith("npm warn"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(says);
    expect(lines[0]).toContain(command);
    const typed = spawnSync("npm", ["run", "--silent", ...command.split(" ").slice(2)], { cwd: checkout, encoding: "utf8", input: "", timeout: 60_000 });
    expect(typed.stderr, "the command it suggests is taken as meant").not.toContain("npm kept");
  });

  test("the drain-speed experiment names a lost falsy task, which the green public tests never try, and still measures", () => {
    const checkout = copyCourse("student");
    const file = path.join(checkout, "exercises", "01-task-queue", "task-queue.ts");
    copyFileSync(path.join(courseRoot, "tests", "fixtures", "submissions", "01-wrong-falsy-is-empty", "exercises", "01-task-queue", "task-queue.ts"), file);
    const falsy = runCli("experiment", ["01-drain-speed", "--max", "2000"], { cwd: checkout });
    expect(falsy.status, falsy.stderr).toBe(1);
    expect(falsy.stdout).toContain("Your TaskQueue lost the task 0: after enqueue(0) and enqueue(1), dequeue returned null.");
    expect(falsy.stdout).toContain("npm run exercise 01 stays green, because its public tests never enqueue one");
    expect(falsy.stdout, "the table still measures it").toMatch(/^ *2,000 {2}your TaskQueue +[\d.]+ ns/m);
    expect(falsy.stdout).not.toContain("Fix it first");

    copyFileSync(path.join(courseRoot, "solutions", "01-task-queue", "task-queue.ts"), file);
    const correct = runCli("experiment", ["01-drain-speed", "--max", "2000"], { cwd: checkout });
    expect(correct.status, correct.stderr).toBe(0);
    expect(correct.stdout).not.toContain("lost the task 0");
  });

  test("a hint starts with the first failing public test's rules, says which test, then the rest come in order", () => {
    const checkout = copyCourse("student");
    // A queue that throws when empty: the first public test to fail is about [empty-null].
    const exercise = path.join(checkout, "exercises", "01-task-queue", "task-queue.ts");
    copyFileSync(path.join(courseRoot, "tests", "fixtures", "submissions", "01-wrong-throws-when-empty", "exercises", "01-task-queue", "task-queue.ts"), exercise);
    const failing = publicSuite.find((entry) => entry.rules.includes("empty-null"));
    const aboutEmpty = hintsOf01.findIndex((hint) => hint.rules.includes("empty-null"));
    const first = runCli("hint", ["task-queue"], { cwd: checkout });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^For the failing test "${escape(failing?.name ?? "")}" \\(rule \\[empty-null\\]\\):\nHint ${aboutEmpty + 1} of ${hints}: .*\\[empty-null\\]`));
    expect(first.stdout).toContain(hintsLeft(1));
    // Mended: every public test passes, so the next hint is the first not yet seen, in course order.
    copyFileSync(path.join(courseRoot, "solutions", "01-task-queue", "task-queue.ts"), exercise);
    const second = runCli("hint", ["1"], { cwd: checkout });
    expect(second.stdout).toContain(`Every public test of 01-task-queue passes, so hints come in order:\nHint ${aboutEmpty === 0 ? 2 : 1} of ${hints}: `);
    expect(second.stdout).toContain(hintsLeft(2));
  });

  test("hint progress is kept in the course folder, where npm ci cannot wipe it, and git ignores it", () => {
    const checkout = copyCourse("student");
    // The stub fails its first public test first, so the first hint is one about that test's rules.
    const firstRules = publicSuite[0]?.rules ?? [];
    const expected = hintsOf01.findIndex((hint) => hint.rules.some((rule) => firstRules.includes(rule)));
    runCli("hint", ["01"], { cwd: checkout });
    const state = path.join(checkout, ".course-state", "hints.json");
    expect(JSON.parse(readFileSync(state, "utf8"))).toEqual({ "01-task-queue": [expected] });
    // npm ci deletes node_modules and nothing else; the next hint carries on from the first.
    expect(path.relative(path.join(checkout, "node_modules"), state).startsWith("..")).toBe(true);
    // A count, as an older copy of the course kept it, still reads: 2 means the first two were seen.
    writeFileSync(state, JSON.stringify({ "01-task-queue": 2 }));
    const next = runCli("hint", ["01"], { cwd: checkout }).stdout;
    expect(next).toContain(`Hint 1 of ${hints}: `);
    expect(next).toContain(`Hint 2 of ${hints}: `);
    expect(next).toContain(hintsLeft(3));
    expect((JSON.parse(readFileSync(state, "utf8")) as Record<string, number[]>)["01-task-queue"]).toHaveLength(3);
    execFileSync("git", ["init", "-q"], { cwd: checkout });
    for (const ignored of [".course-state/hints.json", "report.json", "grade-report.json"]) {
      expect(spawnSync("git", ["check-ignore", "-q", ignored], { cwd: checkout }).status, `${ignored} should be gitignored`).toBe(0);
    }
  });
});

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseQuiz } from "../../grader/course/quiz.ts";
import { runCli } from "./support/cli.ts";
import { courseRoot } from "./support/course.ts";
import { copyCourse, removeCourseCopies } from "./support/course-copy.ts";

const quizFile = "lessons/01-task-queue/quiz.md";

describe("npm run quiz and npm run hint", () => {
  afterAll(removeCourseCopies);

  test("the quiz asks in the terminal, ticks quiz.md in place and never says what is right", () => {
    const checkout = copyCourse("student");
    // Question 1: option 2. Question 2: keep (Enter). Question 3: a bad answer, then 1 and 3. Then stop.
    const result = runCli("quiz", ["1"], { cwd: checkout, input: "2\n\n9\n1,3\nq\n" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('"9" is not an option number from 1 to 5');
    expect(result.stdout).toContain("2 of 6 questions answered");
    expect(result.stdout).not.toMatch(/\b(correct|wrong|right answer)\b/i);

    const quiz = parseQuiz(readFileSync(path.join(checkout, quizFile), "utf8"), quizFile);
    const ticked = quiz.questions.map((question) => question.options.flatMap((option, index) => (option.checked ? [index + 1] : [])));
    expect(ticked).toEqual([[2], [], [1, 3], [], [], []]);
    // Only the three boxes changed: the file is still the hand-editable Markdown it was.
    const before = readFileSync(path.join(courseRoot, quizFile), "utf8").split("\n");
    const after = readFileSync(path.join(checkout, quizFile), "utf8").split("\n");
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((line, index) => (line === before[index] ? [] : [line]));
    expect(changed).toEqual([expect.stringMatching(/^- \[x\] B, then C$/), expect.stringMatching(/^- \[x\] `0`$/), expect.stringMatching(/^- \[x\] `false`$/)]);
  });

  test("a malformed quiz file is a one-line error naming the line, exit 2", () => {
    const checkout = copyCourse("student");
    const file = path.join(checkout, quizFile);
    writeFileSync(file, readFileSync(file, "utf8").replace("- [ ] C, then D", "- C, then D"));
    const result = runCli("quiz", ["01"], { cwd: checkout });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/lessons\/01-task-queue\/quiz\.md:10: option in ".*" has no checkbox/);
  });

  test("hints come one at a time and say how many remain", () => {
    const checkout = copyCourse("student");
    runCli("hint", ["01", "--reset"], { cwd: checkout });
    try {
      const first = runCli("hint", ["task-queue"], { cwd: checkout });
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/^Hint 1 of 4: /);
      expect(first.stdout).toContain("3 more hints left");
      const second = runCli("hint", ["1"], { cwd: checkout });
      expect(second.stdout).toContain("Hint 2 of 4: ");
      expect(second.stdout).toContain("2 more hints left");
    } finally {
      runCli("hint", ["01", "--reset"], { cwd: checkout });
    }
  });
});

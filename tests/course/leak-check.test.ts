import { spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { suitePaths } from "../../grader/course/manifest.ts";
import { parseQuiz } from "../../grader/course/quiz.ts";
import { loadQuizKey } from "../../grader/course/quiz-key.ts";
import { listSuiteTests } from "../../grader/course/suite-tests.ts";
import { loadReleaseDeclaration } from "../../grader/release/declaration.ts";
import { findLeaks, loadSecrets } from "../../grader/release/leak-check.ts";
import { checkStudentRepository } from "../../grader/release/release.ts";
import { gradeReleasedStubs } from "../../grader/release/stub-grading.ts";
import { buildStudentTree } from "../../grader/release/student-tree.ts";
import { compareFiles, leakThreshold } from "../../grader/similarity/similarity.ts";
import { tickOptions } from "../../grader/student/quiz-answers.ts";
import { runCli } from "./support/cli.ts";
import { course, courseRoot, exerciseModules, hiddenTests, readCourseFile } from "./support/course.ts";
import { copyCourse, removeCourseCopies } from "./support/course-copy.ts";
import { disguise } from "./support/disguise.ts";

const git = (dir: string, ...args: string[]) => spawnSync("git", ["-C", dir, "-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], { encoding: "utf8" });

/** A student repository (as released) with one leak planted by `plant`. */
function releaseWithLeak(plant: (dir: string) => void): string {
  const dir = copyCourse("student");
  rmSync(path.join(dir, "node_modules"));
  plant(dir);
  return dir;
}

/** The leaks `npm run release -- --check` reports, one line each as it prints them. */
function checkWithLeak(plant: (dir: string) => void): { status: number; leaks: string[] } {
  const report = checkStudentRepository(courseRoot, releaseWithLeak(plant));
  return { status: report.leaks.length === 0 ? 0 : 1, leaks: report.leaks.map((leak) => `leak ${leak.where} ${leak.what}`) };
}

const hiddenSuite = suitePaths(course.modules[2]!).hidden; // 02-priority-queue
/** A line of the hidden suite that is long and appears in no public file. */
const distinctiveHiddenLine = readCourseFile(hiddenSuite)
  .split("\n")
  .map((line) => line.trim())
  .find((line) => line.length > 50 && line.includes("expect(") && !readCourseFile(suitePaths(course.modules[2]!).public).includes(line)) as string;
const hiddenTestName = listSuiteTests(readCourseFile(hiddenSuite), hiddenSuite).at(-1)?.name.split(" > ").at(-1) as string;

describe.concurrent("the leak check finds each kind of leak planted in a student repository, and names the file", { timeout: 180_000 }, () => {
  afterAll(removeCourseCopies);

  test("npm run release -- --check: a clean release passes with exit 0", () => {
    const result = runCli("release", ["--check", releaseWithLeak(() => {})]);
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^Leak check: no leaks/m);
  });

  test("npm run release -- --check: a solution file, renamed and moved, is named, exit 1", () => {
    const dir = releaseWithLeak((dir) => copyFileSync(path.join(courseRoot, "solutions", "03-visibility-timeout", "visibility-queue.ts"), path.join(dir, "exercises", "03-visibility-timeout", "backup.ts")));
    const result = runCli("release", ["--check", dir]);
    expect(result.status).toBe(1);
    expect(result.stdout.split("\n").filter((line) => line.startsWith("leak "))).toEqual([
      "leak exercises/03-visibility-timeout/backup.ts is a copy of solutions/03-visibility-timeout/visibility-queue.ts",
    ]);
    expect(result.stdout).toMatch(/^Leak check: 1 leak in 1 file /m);
  });

  test("one distinctive hidden line, pasted into a lesson with other indentation", () => {
    expect(distinctiveHiddenLine).toBeTruthy();
    const result = checkWithLeak((dir) => appendFileSync(path.join(dir, "lessons", "04-dead-letter-queue", "README.md"), `\nAn aside:\n\n        ${distinctiveHiddenLine}\n`));
    expect(result.status).toBe(1);
    const pastedAt = readFileSync(path.join(courseRoot, "lessons", "04-dead-letter-queue", "README.md"), "utf8").split("\n").length + 3;
    expect(result.leaks).toEqual([expect.stringMatching(new RegExp(`^leak lessons/04-dead-letter-queue/README\\.md:${pastedAt} has a line of ${hiddenSuite.replace(/\./g, "\\.")}: `))]);
  });

  test("a quiz key, in a comment", () => {
    const keyFile = suitePaths(course.modules[5]!).quizKey; // 05-backpressure
    const entry = loadQuizKey(path.join(courseRoot, keyFile), keyFile).questions.find((question) => question.answers.length > 1);
    const result = checkWithLeak((dir) => appendFileSync(path.join(dir, "lessons", "05-backpressure", "quiz.md"), `\n<!-- key: ${JSON.stringify(entry)} -->\n`));
    expect(result.status).toBe(1);
    expect(result.leaks.join("\n")).toMatch(/^leak lessons\/05-backpressure\/quiz\.md:\d+ holds a quiz key's answer set from tests\/hidden\/quiz-keys\/05-backpressure\.json/m);
  });

  test("a quiz shipped with the key's answers ticked", () => {
    const module = course.modules[1]!; // 01-task-queue
    const key = loadQuizKey(path.join(courseRoot, suitePaths(module).quizKey), "key");
    const result = checkWithLeak((dir) => {
      const file = path.join(dir, module.quiz);
      const markdown = readFileSync(file, "utf8");
      const question = parseQuiz(markdown, module.quiz).questions[0]!;
      const answers = key.questions.find((entry) => entry.question === question.title)?.answers ?? [];
      writeFileSync(file, tickOptions(markdown, question, new Set(question.options.flatMap((option, index) => (answers.includes(option.text) ? [index] : [])))));
    });
    expect(result.status).toBe(1);
    expect(result.leaks).toEqual([expect.stringMatching(/^leak lessons\/01-task-queue\/quiz\.md:\d+ ticks 1 of the key's answers to "1\. /)]);
  });

  test("a hidden test name, in the README", () => {
    const result = checkWithLeak((dir) => appendFileSync(path.join(dir, "README.md"), `\nWatch out for the test "${hiddenTestName}".\n`));
    expect(result.status).toBe(1);
    expect(result.leaks).toEqual([expect.stringMatching(new RegExp(`^leak README\\.md:\\d+ names a hidden test of ${hiddenSuite.replace(/\./g, "\\.")}: "`))]);
  });

  test("a stub replaced by its solution, renamed, stripped of comments and reformatted: near the solution, with the lines of both", () => {
    const stub = "exercises/02-priority-queue/priority-queue.ts";
    const solution = "solutions/02-priority-queue/priority-queue.ts";
    const disguised = disguise(readCourseFile(solution));
    expect(disguised).not.toContain("//");
    const result = checkWithLeak((dir) => writeFileSync(path.join(dir, stub), disguised));
    expect(result.status).toBe(1);
    // No line of it is a byte copy any more: only the similarity check sees it.
    expect(result.leaks).toEqual([expect.stringMatching(/^leak exercises\/02-priority-queue\/priority-queue\.ts:\d+ is near solutions\/02-priority-queue\/priority-queue\.ts \(similarity 1\.00; from 0\.\d\d it is a leak\): lines \d+-\d+.* match its lines \d+-\d+/)]);
  });

  test("a file under a secret path, whatever it holds", () => {
    const result = checkWithLeak((dir) => {
      mkdirSync(path.join(dir, "tests", "hidden"), { recursive: true });
      writeFileSync(path.join(dir, "tests", "hidden", "notes.md"), "todo\n");
    });
    expect(result.status).toBe(1);
    expect(result.leaks).toEqual(["leak tests/hidden/notes.md is in tests/hidden/, which never ships (the hidden suites and the quiz keys)"]);
  });

  test("a leak that was committed and then deleted still sits in git history, and a commit message counts too", () => {
    const result = checkWithLeak((dir) => {
      git(dir, "init", "--quiet", "--initial-branch=main");
      git(dir, "add", "--all");
      git(dir, "commit", "--quiet", "--message", "Release");
      const leaked = path.join(dir, "experiments", "answer.ts");
      copyFileSync(path.join(courseRoot, "solutions", "01-task-queue", "task-queue.ts"), leaked);
      git(dir, "add", "--all");
      git(dir, "commit", "--quiet", "--message", `Add an answer for "${hiddenTestName}"`);
      rmSync(leaked);
      git(dir, "commit", "--quiet", "--all", "--message", "Remove it again");
    });
    expect(result.status).toBe(1);
    const leaks = result.leaks;
    expect(leaks).toContainEqual(expect.stringMatching(/^leak git history [0-9a-f]{10}:experiments\/answer\.ts is a copy of solutions\/01-task-queue\/task-queue\.ts$/));
    expect(leaks).toContainEqual(expect.stringMatching(/^leak git history: message of commit [0-9a-f]{10}:1 names a hidden test/));
    expect(leaks).toHaveLength(2);
  });
});

describe("what the release ships is far from the solutions, and its stubs earn no hidden point", () => {
  test("no stub is near its own solution, or any other", () => {
    const solutions = exerciseModules.flatMap((module) => (module.exerciseFiles ?? []).map((file) => `solutions/${module.id}/${file}`));
    for (const module of exerciseModules) {
      for (const file of module.exerciseFiles ?? []) {
        const stub = readCourseFile(`exercises/${module.id}/${file}`);
        for (const solution of solutions) expect(compareFiles(stub, readCourseFile(solution)).similarity, `exercises/${module.id}/${file} ~ ${solution}`).toBeLessThan(leakThreshold);
      }
    }
  });

  test("a stub replaced by its solution earns hidden points, and grading the released stubs names the module and its tests", { timeout: 180_000 }, async () => {
    const module = "01-task-queue";
    const tree = buildStudentTree(courseRoot);
    tree.set(`exercises/${module}/task-queue.ts`, { content: Buffer.from(readCourseFile(`solutions/${module}/task-queue.ts`)), executable: false });
    const grading = await gradeReleasedStubs(courseRoot, tree, { only: module, cacheDir: null });
    expect(grading.hiddenTests).toBe(hiddenTests(module));
    expect(grading.findings).toEqual([{ where: `exercises/${module}/`, what: expect.stringMatching(/^earns \d+ hidden points? as shipped \(a stub must earn none\): "[^"]+", "[^"]+", "[^"]+" and \d+ more$/) }]);
    expect(grading.cached).toBe(false);
  });
});

describe("the release declaration stays honest", () => {
  test("every allowed line is still needed, and the release tree has no leaks", () => {
    const declaration = loadReleaseDeclaration(courseRoot);
    const tree = buildStudentTree(courseRoot, declaration);
    const report = findLeaks([...tree].map(([file, { content }]) => ({ label: file, path: file, content })), loadSecrets(courseRoot, declaration));
    expect(report.leaks).toEqual([]);
    expect(report.unusedAllowances, "allowances in release/release.json that match nothing").toEqual([]);
    expect(report.allowed.length).toBe(declaration.allowedLines.length);
  });
});

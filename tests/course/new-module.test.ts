import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadCourse } from "../../grader/course/manifest.ts";
import { GraderInputError } from "../../grader/errors.ts";
import { npmCommand, npmEnvironment } from "../../grader/release/npm.ts";
import { loadReleaseDeclaration } from "../../grader/release/declaration.ts";
import { findLeaks, loadSecrets } from "../../grader/release/leak-check.ts";
import { buildStudentTree } from "../../grader/release/student-tree.ts";
import type { GradeReport } from "../../grader/report/types.ts";
import { generateModule } from "../../scripts/new-module/generate.ts";
import { moduleNames, reservedNumbers } from "../../scripts/new-module/names.ts";
import type { CommandResult } from "./support/cli.ts";
import { courseRoot } from "./support/course.ts";
import { copyCourse, removeCourseCopies } from "./support/course-copy.ts";
import { npm } from "./support/npm.ts";

// `npm run new-module` writes a whole module, and the module passes at once.
// In a copy of the course: generate one, then run there the course checks
// that go over every module and cost little (rules, manifest and quiz keys,
// API shape, reading time, quiz bias, hidden inventory), the coverage check
// on the new solution alone, and a real grade of the solution and the stub.
// The slow checks of every module (all fixtures, a release, every solution
// graded twice) are npm test's own, where a generated module takes part like
// any other. About 20 s on two cores (35 s of CPU): the commands below run
// side by side.

/** The course's module numbers come after the ones kept for modules to come: a test that takes a fixed number would fail once a module has it. */
const numberAfter = (offset: number) => String(Math.max(...[...reservedNumbers.keys(), ...loadCourse(courseRoot).modules.map((module) => module.id.slice(0, 2))].map(Number)) + offset).padStart(2, "0");
const [number, next, afterNext, firstFree] = [1, 2, 3, 4].map(numberAfter) as [string, string, string, string];
const id = `${number}-rate-limiter`;
const generatedFiles = [
  `lessons/${id}/README.md`,
  `lessons/${id}/quiz.md`,
  `exercises/${id}/rate-limiter.ts`,
  `solutions/${id}/rate-limiter.ts`,
  `tests/public/${id}.test.ts`,
  `tests/hidden/${id}.test.ts`,
  `tests/hidden/quiz-keys/${id}.json`,
];

/** Runs a command without blocking this process, so the independent checks below overlap. */
function start(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...env, NO_COLOR: "1", FORCE_COLOR: "0" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const vitest = path.join(courseRoot, "node_modules", "vitest", "vitest.mjs");
const newModuleScript = (dir: string, args: string[]) => start(process.execPath, ["--import", "tsx", path.join(dir, "scripts", "new-module.ts"), ...args], dir);

let copy = "";
let generated: CommandResult;
const reports = mkdtempSync(path.join(os.tmpdir(), "new-module-reports-"));

beforeAll(() => {
  copy = copyCourse("instructor");
  generated = npm(copy, ["run", "new-module", "--", id, "Rate limiting"]);
});
afterAll(() => {
  removeCourseCopies();
  rmSync(reports, { recursive: true, force: true });
});

describe("npm run new-module writes a module that passes the course checks at once", () => {
  test("it writes the lesson, quiz, key, stub, solution and suites, lists the module everywhere, and says what to edit next", () => {
    expect(generated.status, generated.stdout + generated.stderr).toBe(0);
    for (const file of generatedFiles) {
      expect(existsSync(path.join(copy, file)), file).toBe(true);
      expect(generated.stdout).toContain(`new      ${file}`);
    }
    for (const file of ["course.json", "tests/course/__snapshots__/hidden-inventory.test.ts.snap", "README.md"]) expect(generated.stdout).toContain(`updated  ${file}`);
    const modules = loadCourse(copy).modules;
    const module = modules.find((entry) => entry.id === id);
    expect(module?.exerciseFiles).toEqual(["rate-limiter.ts"]);
    expect(module?.title).toBe("Rate limiting");
    expect(modules.at(-1)?.id, "modules stay in number order").toBe(id);
    expect(readFileSync(path.join(copy, "README.md"), "utf8")).toContain(`| ${number} | \`RateLimiter\`: a bounded buffer, the starter to replace | [Rate limiting](lessons/${id}/README.md) |`);
    expect(generated.stdout).toContain(`grep -rn "TODO(new-module)" lessons/${id}`);
    expect(generated.stdout).toContain(`npm run grade -- --solutions --only ${number}`);
  });

  // Generous limits: these wait on other processes, beside the rest of npm test on a small machine.
  describe.concurrent("in the copy", { timeout: 240_000 }, () => {
    test("the course checks over every module pass: rules, manifest and keys, API shapes, stated values, reading time, quiz bias, hidden inventory", async () => {
      const files = ["rules", "course-invariants", "reading-time", "quiz-bias", "hidden-inventory"].map((name) => `tests/course/${name}.test.ts`);
      // The full grades of every module are left to npm test; the new module's own grades are the next test.
      const skipGrading = "^(?!.*(the reference solutions earn full marks|the stubs earn nothing))";
      const result = await start(process.execPath, [vitest, "run", "--config", "vitest.course.config.ts", "--reporter=verbose", "-t", skipGrading, ...files], copy);
      expect(result.status, result.stdout.slice(-3000) + result.stderr.slice(-2000)).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`Test Files\\s+${files.length} passed \\(${files.length}\\)`));
      // The checks did look at the new module: its rules, its quiz key, its API shape, its reading time.
      const checks = [
        `every rule is stated in the stub and the lesson, and checked by tests that name it > ${id} > every rule has a hidden test`,
        `${id}: every quiz question has a key`,
        `${id}: every hidden assertion states the behaviour it checks`,
        `stubs and solutions export the same API > ${id}/rate-limiter.ts`,
        `each stub states the values its lesson's rules name > ${id}`,
        "00-message-queues is the shortest lesson",
      ];
      for (const check of checks) expect(result.stdout).toContain(check);
      expect(result.stdout).toMatch(new RegExp(`${id}: [\\d.]+ min \\(limit 25\\)`));
    });

    test("the hidden suite runs every line, branch and function of the solution", async () => {
      const coverage = ["--coverage.enabled", "--coverage.provider=v8", `--coverage.include=solutions/${id}/**`, "--coverage.reporter=text", `--coverage.reportsDirectory=${path.join(reports, "coverage")}`];
      const thresholds = ["lines", "branches", "functions", "statements"].map((kind) => `--coverage.thresholds.${kind}=100`);
      const result = await start(process.execPath, [vitest, "run", "--config", "vitest.config.ts", "--reporter=dot", `tests/hidden/${id}.test.ts`, ...coverage, ...thresholds], copy, { ...process.env, SUITES: "hidden", EXERCISES: "solutions" });
      expect(result.status, result.stdout.slice(-3000) + result.stderr.slice(-2000)).toBe(0);
      expect(result.stdout).toContain("rate-limiter.ts |     100 |      100 |     100 |     100 |");
    });

    test("npm run grade: the solution earns every point, the stub no hidden point and fails each hidden test with a message", async () => {
      const [npmBin, npmPrefix] = npmCommand();
      const grade = (name: string, extra: string[]) => start(npmBin, [...npmPrefix, "run", "grade", "--", "--only", id, "--json", path.join(reports, name), ...extra], copy, npmEnvironment());
      const [solved, stub] = await Promise.all([grade("solutions.json", ["--solutions"]), grade("stub.json", [])]);
      const report = (name: string) => (JSON.parse(readFileSync(path.join(reports, name), "utf8")) as GradeReport).modules.find((module) => module.id === id);
      expect(solved.status, solved.stdout + solved.stderr).toBe(0);
      const full = report("solutions.json");
      expect(full?.tests.filter((t) => t.status !== "passed").map((t) => `${t.name}: ${t.message}`)).toEqual([]);
      expect(full?.score).toBe(full?.maxScore);
      expect(full?.tests.filter((t) => t.kind === "hidden").length).toBeGreaterThanOrEqual(10);
      expect(stub.status, stub.stdout + stub.stderr).toBe(1);
      const hidden = report("stub.json")?.tests.filter((t) => t.kind === "hidden") ?? [];
      expect(hidden.length).toBe(full?.tests.filter((t) => t.kind === "hidden").length);
      for (const graded of hidden) {
        expect(graded.status, `${graded.name} should fail on the stub, not error`).toBe("failed");
        expect(graded.score).toBe(0);
        expect(graded.message ?? "", `${graded.name} needs a message a student can act on`).toMatch(/\w{3,}.*\w{3,}/);
      }
    });

    test("markdownlint finds nothing in the new lesson, quiz and README", async () => {
      const cli = path.join(courseRoot, "node_modules", "markdownlint-cli2", "markdownlint-cli2-bin.mjs");
      const result = await start(process.execPath, [cli, `lessons/${id}/README.md`, `lessons/${id}/quiz.md`, "README.md"], copy);
      expect(result.stderr.trim(), "markdownlint problems").toBe("");
      expect(result.status).toBe(0);
    });
  });

  test("what students would get leaks nothing: no solution line, hidden test name or quiz answer set", () => {
    const declaration = loadReleaseDeclaration(copy);
    const tree = buildStudentTree(copy, declaration);
    expect([...tree.keys()]).toEqual(expect.arrayContaining([`lessons/${id}/README.md`, `exercises/${id}/rate-limiter.ts`, `tests/public/${id}.test.ts`]));
    expect([...tree.keys()].filter((file) => file.startsWith("scripts/")), "the generator never ships").toEqual([]);
    const report = findLeaks([...tree].map(([file, { content }]) => ({ label: file, path: file, content })), loadSecrets(copy, declaration));
    expect(report.leaks).toEqual([]);
  });
});

describe("npm run new-module refuses bad input with one line and exit 2, and writes nothing", () => {
  /** Every file of a folder, to prove a refused command left it as it was. */
  const snapshot = (dir: string) => readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();

  test("on the command line: a number in use, an unquoted title", async () => {
    const before = readFileSync(path.join(copy, "course.json"), "utf8");
    // Two processes; every other refusal comes from the same functions, checked in the next test without one.
    const cases: Array<[string[], RegExp]> = [
      [["01-another-queue", "Another"], new RegExp(`^error: 01 is already used by 01-task-queue in course\\.json; pick a free number such as ${next}$`)],
      [[`${next}-queue-stats`, "Queue", "stats"], /^error: expected an id and a title, got 3 arguments: put the title in quotes/],
    ];
    const results = await Promise.all(cases.map(([args]) => newModuleScript(copy, args)));
    results.forEach((result, index) => {
      const [args, pattern] = cases[index] ?? [[], /$^/];
      expect(result.status, `${args.join(" ")}: ${result.stdout}${result.stderr}`).toBe(2);
      expect(result.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(result.stderr.trim()).toMatch(pattern);
    });
    expect(readFileSync(path.join(copy, "course.json"), "utf8")).toBe(before);
    expect(existsSync(path.join(copy, "lessons", `${next}-queue-stats`))).toBe(false);
  });

  test("checked without a process each: every id form, the planned modules, numbers in use by files, existing files", () => {
    const refused = (run: () => unknown, pattern: RegExp) => {
      expect(run).toThrow(GraderInputError);
      expect(run).toThrow(pattern);
    };
    for (const bad of ["10", "1-queue", "100-queue", "10-Queue", "10-rate_limiter", "10-2d-queue", "10-queue-", "10--queue", ""]) {
      refused(() => moduleNames(bad, "Title"), bad === "" ? /give the module's id and title/ : /is not an id of the form NN-name/);
    }
    refused(() => moduleNames("08-rabbitmq", "RabbitMQ"), /08 is kept for the RabbitMQ lab, 08-rabbitmq/);
    refused(() => moduleNames("09-order-pipeline", "Capstone"), /09 is kept for the planned capstone/);
    refused(() => moduleNames("10-queue", "  "), /give the module's title/);
    refused(() => moduleNames("10-queue", undefined), /give the module's title after its id/);
    refused(() => moduleNames("10-queue", "Two\nlines"), /one line of plain text/);
    refused(() => moduleNames("10-map", "Maps"), /would be called Map, which hides JavaScript's own Map/);
    expect(moduleNames("10-rate-limiter", " Rate limiting ")).toMatchObject({ number: "10", file: "rate-limiter.ts", className: "RateLimiter", title: "Rate limiting" });

    // A small course: its manifest, a lesson someone began by hand, and a fixture for another number.
    const root = mkdtempSync(path.join(os.tmpdir(), "new-module-refusals-"));
    try {
      cpSync(path.join(copy, "course.json"), path.join(root, "course.json"));
      mkdirSync(path.join(root, "lessons", `${next}-queue-stats`), { recursive: true });
      writeFileSync(path.join(root, "lessons", `${next}-queue-stats`, "README.md"), "# Begun by hand\n");
      mkdirSync(path.join(root, "tests", "fixtures", "submissions", `${afterNext}-wrong-order`), { recursive: true });
      const before = snapshot(root);
      refused(() => generateModule(root, moduleNames(`${number}-other`, "Other")), new RegExp(`^${number} is already used by ${id} in course\\.json; pick a free number such as ${firstFree}$`));
      refused(() => generateModule(root, moduleNames(`${next}-queue-stats`, "Queue stats")), new RegExp(`^lessons/${next}-queue-stats/README\\.md already exists; new-module never overwrites a file`));
      refused(() => generateModule(root, moduleNames(`${next}-other`, "Other")), new RegExp(`^${next} is already used by lessons/${next}-queue-stats; pick a free number such as ${firstFree}$`));
      refused(() => generateModule(root, moduleNames(`${afterNext}-order-check`, "Order")), new RegExp(`^${afterNext} is already used by tests/fixtures/submissions/${afterNext}-wrong-order`));
      expect(snapshot(root)).toEqual(before);
      expect(readFileSync(path.join(root, "course.json"), "utf8")).toBe(readFileSync(path.join(copy, "course.json"), "utf8"));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

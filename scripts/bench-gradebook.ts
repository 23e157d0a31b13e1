// `npm run bench -- gradebook [--copies N]`: grades a class of N (default 30)
// copies of the reference solutions, each a git repository of its own and
// each a little different so none is a cached copy of another, at --jobs 1 and
// --jobs 2; then reruns with nothing changed; and times one `npm run grade`
// of the same submission for the cost per submission.
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { courseRoot } from "../grader/course/manifest.ts";
import { copyCourse } from "./course-copy.ts";

function run(cwd: string, label: string, args: string[], okStatuses = [0]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", ...args], { cwd, encoding: "utf8" });
  const seconds = (performance.now() - started) / 1000;
  if (!okStatuses.includes(result.status ?? -1)) {
    process.stderr.write(`error: ${label} exited with ${result.status}\n${result.stdout.slice(-3000)}${result.stderr}\n`);
    process.exit(2);
  }
  return seconds;
}

export function makeClass(work: string, copies: number): string {
  const lines = ["student,repo"];
  for (let index = 1; index <= copies; index++) {
    const student = `student-${String(index).padStart(3, "0")}`;
    const dir = path.join(work, "repos", student);
    mkdirSync(dir, { recursive: true });
    cpSync(path.join(courseRoot, "solutions"), path.join(dir, "exercises"), { recursive: true });
    cpSync(path.join(courseRoot, "lessons"), path.join(dir, "lessons"), { recursive: true });
    appendFileSync(path.join(dir, "exercises", "01-task-queue", "task-queue.ts"), `\n// ${student}\n`);
    const git = (...args: string[]) => spawnSync("git", ["-c", "user.name=Student", "-c", "user.email=student@example.com", ...args], { cwd: dir });
    git("init", "--quiet");
    git("add", "--all");
    git("commit", "--quiet", "--message", "my work");
    lines.push(`${student},repos/${student}`);
  }
  const roster = path.join(work, "roster.csv");
  writeFileSync(roster, `${lines.join("\n")}\n`);
  return roster;
}

export function benchGradebook(copies: number): void {
  const work = mkdtempSync(path.join(os.tmpdir(), "bench-gradebook-"));
  // A copy of the course, so that editing this checkout during the run (which would regrade everyone) cannot skew it.
  const course = copyCourse("instructor");
  try {
    const roster = makeClass(work, copies);
    const gradebook = (jobs: number, cache: string) =>
      run(course, `gradebook --jobs ${jobs}`, ["grader/cli/gradebook.ts", "--roster", roster, "--jobs", String(jobs), "--out", path.join(work, `out-${jobs}`), "--cache", path.join(work, cache)], [0, 1]);
    const perMinute = (seconds: number) => ((copies / seconds) * 60).toFixed(1);
    const row = (label: string, value: string) => process.stdout.write(`${label.padEnd(44)} ${value}\n`);
    process.stdout.write(`Node ${process.version}, ${os.availableParallelism()} cores, a class of ${copies} copies of the reference solutions (sandbox):\n`);
    const single = run(course, "grade --submission", ["grader/cli/grade.ts", "--submission", path.join(work, "repos", "student-001"), "--isolation", "sandbox"], [0, 1]);
    row("one npm run grade -- --submission", `${single.toFixed(1)} s`);
    const each = (seconds: number) => `${seconds.toFixed(1)} s   ${perMinute(seconds)} submissions/min   ${(seconds / copies).toFixed(1)} s each (${(seconds / copies / single).toFixed(2)}x one grade)`;
    row("gradebook --jobs 1", each(gradebook(1, "cache-1")));
    const two = gradebook(2, "cache-2");
    row("gradebook --jobs 2", each(two));
    const cached = gradebook(2, "cache-2");
    row("gradebook again, nothing changed", `${cached.toFixed(1)} s   (${((cached / two) * 100).toFixed(1)}% of the first run)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(course, { recursive: true, force: true });
  }
}

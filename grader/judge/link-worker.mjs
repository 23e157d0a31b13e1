// The watchdog thread of the judge. It starts the submission process and
// notices what the judge's main thread cannot while it waits on the answer
// pipe: the process ending, or overrunning the deadline the main thread set.
// Either way it kills the process, waits for it to end, posts the exit notice
// on its private port, and then writes a wake-up line into the answer pipe.
// The submission can write that line too, but never the notice: the main
// thread believes only the port. It never reads or judges any answer.
import { spawn } from "node:child_process";
import { openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import { workerData } from "node:worker_threads";
import { joinCommand, makeGroups, oomKilled, pidsLimitHit, removeGroups } from "./process-groups.mjs";

const { deadline, command, args, env, cwd, answers, stderrLimitBytes, limits, notices } = workerData;
// deadline[0]: when the current request must be answered (performance.timeOrigin + now), 0 when idle;
// deadline[1]: the CPU seconds of the process tree, as this thread last read them.
const deadlineView = new Float64Array(deadline);
const answerPipe = openSync(answers, "r+");

// A control group of its own where the kernel offers one (see kernel-limits.ts); the
// process joins it before it runs anything, so nothing it starts is outside.
const groups = makeGroups(limits);
const [launchCommand, launchArgs] = joinCommand(groups, command, args);
const child = spawn(launchCommand, launchArgs, { cwd, env, stdio: ["ignore", "ignore", "pipe"], detached: false });
let stderrTail = "";
let ended = false;

/** How long a killed process may take to end before the judge is told anyway. */
const endWaitMs = 2_000;

function end(reason) {
  if (ended) return;
  ended = true;
  clearInterval(watch);
  let notified = false;
  const notify = () => {
    if (notified) return;
    notified = true;
    // The kernel's memory limit kills without a word: its group's count says so.
    if (oomKilled(groups)) reason = `used more than ${Math.round(limits.memoryBytes / 1024 / 1024)} MB of memory`;
    removeGroups(groups);
    notices.postMessage({ kind: "exit", reason, stderr: stderrTail });
    // A leading newline ends any half-written line the process left behind.
    writeSync(answerPipe, `\n${JSON.stringify({ kind: "wake" })}\n`);
  };
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return notify();
  child.once("exit", notify);
  setTimeout(notify, endWaitMs).unref();
  try {
    child.kill("SIGKILL");
  } catch {
    notify(); // already gone
  }
}

child.stderr.setEncoding("utf8");
child.stderr.on("data", (text) => {
  stderrTail = (stderrTail + text).slice(-stderrLimitBytes);
});
child.on("error", (error) => end(`could not start: ${error.message}`));
// What it printed last may still be in the pipe: read it first, briefly.
child.on("exit", (code, killedBy) =>
  setTimeout(() => end(killedBy ? `was stopped by ${killedBy}` : code === joinFailedCode && groups.length > 0 ? "could not start: it could not join its control group" : `exited with code ${code}`), 50),
);

/** Exit status of the wrapper that could not join its control group (see process-groups.mjs). */
const joinFailedCode = 125;
const pageBytes = 4096;
const ticksPerSecond = 100;

/**
 * Every process below `pid`, read from /proc (Linux): resident memory, CPU time
 * (its own and that of children it has reaped, so short-lived children count)
 * and threads.
 */
function tree(pid, found = []) {
  let entry;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
    entry = { rss: fields[21] * pageBytes, cpuTicks: fields[11] + fields[12] + fields[13] + fields[14], threads: fields[17] };
  } catch {
    return found; // gone meanwhile
  }
  found.push(entry);
  let tasks = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    let children = "";
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, "latin1");
    } catch {
      continue;
    }
    for (const child of children.trim().split(" ").filter(Boolean)) tree(child, found);
  }
  return found;
}

// The sandbox's limits, counted over all its processes. The time limit needs
// no counting: killing bubblewrap ends its PID namespace, and everything in it.
// Where a control group holds a limit the kernel enforces it first; these
// checks stay, as the fallback and for their clearer reasons.
let tick = 0;
/** CPU time a second or so ago, to tell a process that uses more than its cores. */
let cpuMark = null;
const cpuWindowMs = 1_000;
const watch = setInterval(() => {
  const due = deadlineView[0];
  if (due > 0 && performance.timeOrigin + performance.now() > due) end("overran its time");
  else if (limits && child.pid !== undefined && ++tick % 2 === 0) {
    const processes = tree(child.pid);
    const rss = processes.reduce((sum, entry) => sum + entry.rss, 0);
    const threads = processes.reduce((sum, entry) => sum + entry.threads, 0);
    const cpuTicks = processes.reduce((sum, entry) => sum + entry.cpuTicks, 0);
    // For the judge's own measure of speed checks (see workload.ts).
    deadlineView[1] = cpuTicks / ticksPerSecond;
    const now = performance.now();
    cpuMark ??= { at: now, cpuTicks };
    const window = now - cpuMark.at;
    const cores = window >= cpuWindowMs ? (cpuTicks - cpuMark.cpuTicks) / ticksPerSecond / (window / 1_000) : 0;
    if (window >= cpuWindowMs) cpuMark = { at: now, cpuTicks };
    if (processes.length > limits.processes || pidsLimitHit(groups)) end(`started more than ${limits.processes - 2} processes`);
    else if (threads > limits.tasks) end(`started more than ${limits.tasks} threads`);
    else if (rss > limits.memoryBytes) end(`used more than ${Math.round(limits.memoryBytes / 1024 / 1024)} MB of memory`);
    // Half a core of room for the collector's helper threads; a quota, where there is one, holds it first.
    else if (cores > limits.cpuCores + 0.5) end(`used more than ${limits.cpuCores} core${limits.cpuCores === 1 ? "" : "s"} of CPU time`);
  }
}, 20);

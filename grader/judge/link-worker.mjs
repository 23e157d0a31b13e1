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

const { deadline, command, args, env, cwd, answers, stderrLimitBytes, limits, notices } = workerData;
// deadline[0]: when the current request must be answered (performance.timeOrigin + now), 0 when idle.
const deadlineView = new Float64Array(deadline);
const answerPipe = openSync(answers, "r+");

const child = spawn(command, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"], detached: false });
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
child.on("exit", (code, killedBy) => setTimeout(() => end(killedBy ? `was stopped by ${killedBy}` : `exited with code ${code}`), 50));

/** Every process below `pid`, with its resident memory, read from /proc (Linux). */
function tree(pid, found = []) {
  let rss = 0;
  try {
    rss = Number(readFileSync(`/proc/${pid}/statm`, "latin1").split(" ")[1]) * 4096;
  } catch {
    return found; // gone meanwhile
  }
  found.push(rss);
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
let tick = 0;
const watch = setInterval(() => {
  const due = deadlineView[0];
  if (due > 0 && performance.timeOrigin + performance.now() > due) end("overran its time");
  else if (limits && child.pid !== undefined && ++tick % 2 === 0) {
    const processes = tree(child.pid);
    const rss = processes.reduce((sum, bytes) => sum + bytes, 0);
    if (processes.length > limits.processes) end(`started more than ${limits.processes - 2} processes`);
    else if (rss > limits.memoryBytes) end(`used more than ${Math.round(limits.memoryBytes / 1024 / 1024)} MB of memory`);
  }
}, 20);

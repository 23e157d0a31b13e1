// The control groups (cgroups) of one submission process, made by the judge's
// watchdog where the grader found a parent it may write to (see
// grader/pipeline/kernel-limits.ts): a CPU quota, a memory limit with no swap
// (it counts tmpfs and page cache too) and a cap on processes and threads,
// all held by the kernel.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const periodMicroseconds = 100_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** The control files each controller gets, in the order they must be written. */
function settings(controller, version, limits) {
  if (controller === "cpu") {
    const quota = String(Math.round(periodMicroseconds * limits.cpuCores));
    // A burst of one period's quota, saved from periods it did not use: the collector's helper threads
    // run beside the main thread now and then, and an honest process should not wait for them.
    return version === 1
      ? [["cpu.cfs_period_us", String(periodMicroseconds)], ["cpu.cfs_quota_us", quota], ["cpu.cfs_burst_us", quota, "optional"]]
      : [["cpu.max", `${quota} ${periodMicroseconds}`], ["cpu.max.burst", quota, "optional"]];
  }
  if (controller === "memory") {
    const bytes = String(limits.memoryBytes);
    // Swap: memsw (v1) must be set after the limit it includes; either may be missing where swap accounting is off.
    return version === 1
      ? [["memory.limit_in_bytes", bytes], ["memory.memsw.limit_in_bytes", bytes, "optional"], ["memory.swappiness", "0", "optional"]]
      : [["memory.max", bytes], ["memory.swap.max", "0", "optional"]];
  }
  return [["pids.max", String(limits.tasks)]];
}

/**
 * Makes the groups, one per controller the grader found. A group that cannot
 * be made or limited is left out, and the watchdog's own checks still hold
 * that limit.
 */
export function makeGroups(limits) {
  const groups = [];
  const name = `${limits.groupPrefix}${randomBytes(6).toString("hex")}`;
  for (const [controller, parent] of Object.entries(limits.cgroups ?? {})) {
    const dir = path.join(parent.dir, name);
    try {
      mkdirSync(dir);
    } catch {
      continue;
    }
    try {
      for (const [file, value, optional] of settings(controller, parent.version, limits)) {
        try {
          writeFileSync(path.join(dir, file), value);
        } catch (error) {
          if (!optional) throw error;
        }
      }
      groups.push({ controller, version: parent.version, dir });
    } catch {
      removeGroup(dir);
    }
  }
  return groups;
}

/**
 * The command that starts `command` inside the groups: a shell moves itself
 * into each (it keeps its process id through exec), then becomes the command.
 * Exit status 125: it could not join one.
 */
export function joinCommand(groups, command, args) {
  if (groups.length === 0) return [command, args];
  const join = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';
  return ["/bin/sh", ["-c", join, "sh", ...groups.map((group) => path.join(group.dir, "cgroup.procs")), "--", command, ...args]];
}

/** Whether the kernel's memory limit killed a process of these groups. */
export function oomKilled(groups) {
  const memory = groups.find((group) => group.controller === "memory");
  if (!memory) return false;
  try {
    const counts = readFileSync(path.join(memory.dir, memory.version === 1 ? "memory.oom_control" : "memory.events"), "utf8");
    return Number(/^oom_kill (\d+)/m.exec(counts)?.[1] ?? 0) > 0;
  } catch {
    return false;
  }
}

/** Whether a fork or a new thread was refused for the group's cap on processes and threads. */
export function pidsLimitHit(groups) {
  const pids = groups.find((group) => group.controller === "pids");
  if (!pids) return false;
  try {
    return Number(/^max (\d+)/m.exec(readFileSync(path.join(pids.dir, "pids.events"), "utf8"))?.[1] ?? 0) > 0;
  } catch {
    return false;
  }
}

/** Kills whatever is still in a group, then removes it; an empty group goes at once, a dying process takes a moment. */
export function removeGroup(dir) {
  if (!existsSync(dir)) return;
  try {
    writeFileSync(path.join(dir, "cgroup.kill"), "1"); // v2: every process, at once
  } catch {
    // v1 has no cgroup.kill
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    let pids = [];
    try {
      pids = readFileSync(path.join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean);
    } catch {
      return;
    }
    for (const pid of pids) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    try {
      rmdirSync(dir);
      return;
    } catch {
      Atomics.wait(sleeper, 0, 0, 10);
    }
  }
}

export function removeGroups(groups) {
  for (const group of groups) removeGroup(group.dir);
}

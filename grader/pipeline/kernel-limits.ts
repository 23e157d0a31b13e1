import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { removeGroup } from "../judge/process-groups.mjs";

/**
 * Which of the submission process's limits the kernel holds, and how. With a
 * control group (cgroup) the grader may write to, each submission process
 * gets one of its own: a CPU quota, a memory limit that counts tmpfs and page
 * cache with no swap, and a cap on processes and threads. Where there is none
 * (a non-root CI runner, a container whose /sys/fs/cgroup is read-only), the
 * judge's watchdog holds the same limits by reading /proc and stopping the
 * process that passes them: coarser (it looks every 40 ms), never absent.
 */
export type Controller = "cpu" | "memory" | "pids";

/** One controller's parent folder, under which each submission process gets a group of its own. */
export interface ControllerParent {
  version: 1 | 2;
  dir: string;
}

export type LimitHolder = "cgroup v1" | "cgroup v2" | "watchdog";

/** What the report says of the limits: who held each one. */
export interface LimitsHeld {
  cpu: LimitHolder;
  memory: LimitHolder;
  processes: LimitHolder;
}

/** The limits one submission process gets, whoever holds them. */
export const submissionLimits = {
  /** One core: a queue is single-threaded, and a spinning process cannot take a classmate's cores. */
  cpuCores: 1,
  /**
   * Processes and threads together, the kernel's hard stop: Node itself uses
   * about a dozen threads, and the watchdog stops a tree of more than 16
   * processes well before this.
   */
  tasks: 256,
};

export interface CgroupPlan {
  /** By controller, where to make each process's group; absent: the watchdog holds that limit. */
  parents: Partial<Record<Controller, ControllerParent>>;
  held: LimitsHeld;
}

interface MountedHierarchy {
  version: 1 | 2;
  mountPoint: string;
  /** The folder of the hierarchy the mount shows as its root (not "/" inside a cgroup namespace's parent). */
  mountRoot: string;
  controllers: string[];
}

/** cgroup mounts, from /proc/self/mountinfo: "… root mountpoint … - cgroup cgroup rw,cpu". */
function mountedHierarchies(mountinfo: string): MountedHierarchy[] {
  const found: MountedHierarchy[] = [];
  for (const line of mountinfo.split("\n")) {
    const [before, after] = line.split(" - ");
    if (!before || !after) continue;
    const fields = before.split(" ");
    const [type, , superOptions = ""] = after.split(" ");
    const mountRoot = fields[3];
    const mountPoint = fields[4];
    if (!mountRoot || !mountPoint) continue;
    if (type === "cgroup2") found.push({ version: 2, mountPoint, mountRoot, controllers: [] });
    else if (type === "cgroup") found.push({ version: 1, mountPoint, mountRoot, controllers: superOptions.split(",") });
  }
  return found;
}

/** This process's group in each hierarchy, from /proc/self/cgroup: "4:memory:/path", "0::/path". */
function ownGroups(cgroupFile: string): Array<{ controllers: string[]; path: string }> {
  return cgroupFile
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [, controllers = "", ...rest] = line.split(":");
      return { controllers: controllers ? controllers.split(",") : [], path: rest.join(":") };
    });
}

function folderOf(hierarchy: MountedHierarchy, groupPath: string): string | null {
  const root = hierarchy.mountRoot === "/" ? "" : hierarchy.mountRoot;
  if (root && groupPath !== root && !groupPath.startsWith(`${root}/`)) return null;
  return path.resolve(hierarchy.mountPoint, `.${groupPath.slice(root.length)}`);
}

/** Whether a group can be made under `dir` and limited there: tried, not guessed from modes. */
function canLimitUnder(dir: string, controlFile: string, value: string): boolean {
  const probe = path.join(dir, `mq-grader-probe-${process.pid}-${controlFile}`);
  try {
    mkdirSync(probe);
  } catch {
    return false;
  }
  try {
    writeFileSync(path.join(probe, controlFile), value);
    return true;
  } catch {
    return false;
  } finally {
    try {
      rmdirSync(probe);
    } catch {
      // left for the system to clean: an empty group holds nothing
    }
  }
}

const probeWrites: Record<1 | 2, Record<Controller, [string, string]>> = {
  1: { cpu: ["cpu.cfs_quota_us", "100000"], memory: ["memory.limit_in_bytes", String(512 * 1024 * 1024)], pids: ["pids.max", "64"] },
  2: { cpu: ["cpu.max", "100000 100000"], memory: ["memory.max", String(512 * 1024 * 1024)], pids: ["pids.max", "64"] },
};

/**
 * Finds, for each controller, a group this process may make children in.
 * cgroup v2 needs the controller delegated already (in the parent's
 * cgroup.subtree_control); the grader does not move processes around to
 * enable it. `files` reads the proc files, for tests.
 */
export function planCgroups(files: { mountinfo: string; cgroup: string } | null = null): CgroupPlan {
  let mountinfo = "";
  let cgroup = "";
  try {
    mountinfo = files?.mountinfo ?? readFileSync("/proc/self/mountinfo", "utf8");
    cgroup = files?.cgroup ?? readFileSync("/proc/self/cgroup", "utf8");
  } catch {
    // not Linux
  }
  const hierarchies = mountedHierarchies(mountinfo);
  const groups = ownGroups(cgroup);
  const parents: Partial<Record<Controller, ControllerParent>> = {};
  for (const controller of ["cpu", "memory", "pids"] as const) {
    const v1 = hierarchies.find((hierarchy) => hierarchy.version === 1 && hierarchy.controllers.includes(controller));
    const v1Group = groups.find((group) => group.controllers.includes(controller));
    const v1Dir = v1 && v1Group ? folderOf(v1, v1Group.path) : null;
    const [v1File, v1Value] = probeWrites[1][controller];
    if (v1Dir && canLimitUnder(v1Dir, v1File, v1Value)) {
      parents[controller] = { version: 1, dir: v1Dir };
      continue;
    }
    const v2 = hierarchies.find((hierarchy) => hierarchy.version === 2);
    const v2Group = groups.find((group) => group.controllers.length === 0);
    const v2Dir = v2 && v2Group ? folderOf(v2, v2Group.path) : null;
    if (!v2Dir) continue;
    let delegated: string[] = [];
    try {
      delegated = readFileSync(path.join(v2Dir, "cgroup.subtree_control"), "utf8").trim().split(/\s+/);
    } catch {
      continue;
    }
    const [v2File, v2Value] = probeWrites[2][controller];
    if (delegated.includes(controller) && canLimitUnder(v2Dir, v2File, v2Value)) parents[controller] = { version: 2, dir: v2Dir };
  }
  const holder = (controller: Controller): LimitHolder => {
    const parent = parents[controller];
    return parent ? `cgroup v${parent.version}` : "watchdog";
  };
  return { parents, held: { cpu: holder("cpu"), memory: holder("memory"), processes: holder("pids") } };
}

let planned: CgroupPlan | null = null;

/**
 * planCgroups, once per grader process. MQ_GRADER_CGROUPS=off leaves every
 * limit to the watchdog, as on a machine without control groups: to compare
 * the two, or to try the fallback where the kernel would hold them.
 */
export function cgroupPlan(): CgroupPlan {
  if (!planned) {
    planned = process.env["MQ_GRADER_CGROUPS"] === "off" ? { parents: {}, held: { cpu: "watchdog", memory: "watchdog", processes: "watchdog" } } : planCgroups();
    removeAbandonedGroups(planned);
  }
  return planned;
}

/** Where a grading stages its modules (stage.ts): a folder in the system's temporary folder with this prefix. */
export const stagingPrefix = "mq-grade-";

/** The name every control group of one grading starts with: its staging folder's, so a group always says whose it is. */
export function groupPrefixFor(stagingRoot: string): string {
  return `mq-grader-${path.basename(stagingRoot)}-`;
}

/**
 * Empty groups of gradings whose staging folder is gone: a grader killed
 * before its cleanup (stage.ts) leaves them. Only empty ones, and only by
 * rmdir, which the kernel refuses for a group that still holds a process.
 */
export function removeAbandonedGroups(plan: CgroupPlan): void {
  for (const parent of Object.values(plan.parents)) {
    let names: string[];
    try {
      names = readdirSync(parent.dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const staging = new RegExp(`^mq-grader-(${stagingPrefix}[A-Za-z0-9]+)-`).exec(name)?.[1];
      if (!staging || existsSync(path.join(os.tmpdir(), staging))) continue;
      try {
        rmdirSync(path.join(parent.dir, name));
      } catch {
        // still in use, or not ours to remove
      }
    }
  }
}

/**
 * Removes the groups whose names start with `prefix`, killing what is left in
 * them: the watchdog removes its own, but a judge that was killed leaves them.
 */
export function removeLeftoverGroups(plan: CgroupPlan, prefix: string): void {
  for (const parent of Object.values(plan.parents)) {
    let names: string[];
    try {
      names = readdirSync(parent.dir).filter((name) => name.startsWith(prefix));
    } catch {
      continue;
    }
    for (const name of names) removeGroup(path.join(parent.dir, name));
  }
}

/**
 * Kills every process of `uid`. "user" isolation runs submissions as nobody on
 * a machine that grades one submission at a time (Gradescope's container), so
 * whatever nobody still runs when grading ends is the submission's: a child in
 * a session of its own, say, that left the watchdog's process tree.
 */
export function killProcessesOf(uid: number): void {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      const owner = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "latin1"))?.[1];
      if (Number(owner) === uid) process.kill(Number(pid), "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
}

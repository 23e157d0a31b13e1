import { spawnSync } from "node:child_process";
import { existsSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import type { LaunchSpec } from "../judge/submission-link.ts";
import type { SubmissionBundle } from "./submission-bundle.ts";
import { heapMeasurementFlags } from "./heap-flags.ts";
import { cgroupPlan, submissionLimits } from "./kernel-limits.ts";

/**
 * How far submission code is kept from the grader:
 * - "sandbox": its own process inside bubblewrap, seeing only its own files;
 * - "user": its own process as an unprivileged user, with resource limits, where
 *   bubblewrap cannot start but the grader runs as root (Gradescope's containers);
 * - "process": its own process, nothing more; only when asked for by name;
 * - "in-process": inside the test process, for the student's loop on their own code.
 */
export type Isolation = "sandbox" | "user" | "process" | "in-process";

/** What the sandbox may hold: room for any honest exercise, too little for a fork bomb or a disk filler. */
export const sandboxLimits = { processes: 16, scratchBytes: 16 * 1024 * 1024 };

/** Who the submission runs as under "user" isolation: nobody, with no groups and no way to gain privileges. */
export const unprivilegedUser = { uid: 65534, gid: 65534 };

/**
 * Resource limits of "user" isolation that the kernel holds per process or per
 * user, set by util-linux's prlimit: no core files, no file over the scratch
 * size, a bound on open files and on all of nobody's processes and threads,
 * and CPU seconds as a last stop behind the watchdog's deadlines.
 */
const userRlimits = [`--fsize=${sandboxLimits.scratchBytes}`, "--core=0", "--nofile=1024", "--nproc=512", "--cpu=300"];

/** Where the sandbox shows the bundle: always the same path, whatever the grader's own folders are. */
const sandboxRoot = "/sandbox";

/** The only variables the submission process gets: nothing of the grader's, CI's or npm's. */
function submissionEnvironment(home: string): Record<string, string> {
  return { HOME: home, TMPDIR: home, LANG: "C.UTF-8", TZ: "UTC", NO_COLOR: "1" };
}

/** System folders with the shared libraries Node needs; no shell, no tools, nothing of anyone's. */
const libraryFolders = ["/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/lib32", "/lib32"];

/**
 * Where the sandbox sees Node. Not at its own path: a Node under /tmp (one npm
 * exec fetched, say) would sit beneath the sandbox's fresh /tmp, and the
 * process would fail to start as if the submission had crashed.
 */
const sandboxNode = "/opt/node/bin/node";

/** The sandbox's mounts for Node and the libraries it needs; the probe uses the same, so a layout that cannot start Node is found before any grading. */
function nodeMounts(): string[] {
  const libraries = libraryFolders.filter((folder) => existsSync(folder)).flatMap((folder) => ["--ro-bind", folder, folder]);
  return [...libraries, "--ro-bind", realpathSync(process.execPath), sandboxNode];
}

function bubblewrapArgs(bundleDir: string, pipesMount: string): string[] {
  return [
    "--die-with-parent",
    "--new-session",
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
    "--uid", "65534",
    "--gid", "65534",
    "--hostname", "sandbox",
    "--cap-drop", "ALL",
    "--clearenv",
    ...Object.entries(submissionEnvironment("/tmp")).flatMap(([name, value]) => ["--setenv", name, value]),
    ...nodeMounts(),
    "--proc", "/proc",
    "--dev", "/dev",
    // bubblewrap's /dev is a tmpfs with no size limit (/dev/shm on it): read-only, its devices still work.
    "--remount-ro", "/dev",
    "--size", String(sandboxLimits.scratchBytes), "--tmpfs", "/tmp",
    "--ro-bind", bundleDir, sandboxRoot,
    // The two pipes, not their folder: the one thing outside /tmp it can write to.
    "--bind", "{pipes}/requests", `${pipesMount}/requests`,
    "--bind", "{pipes}/answers", `${pipesMount}/answers`,
    "--chdir", sandboxRoot,
    // bubblewrap's own root is a tmpfs: read-only too, or it would be a disk with no size limit.
    "--remount-ro", "/",
    "--",
    sandboxNode,
  ];
}

/** The command that starts the submission process for one module. `{pipes}` stands for the judge's pipe folder; `groupPrefix` names its control groups. */
export function launchSpec(isolation: Exclude<Isolation, "in-process">, bundle: SubmissionBundle, stems: string[], memoryLimitMb: number, pipesRoot: string, groupPrefix: string, node = process.execPath): LaunchSpec {
  const nodeOptions = [`--max-old-space-size=${memoryLimitMb}`, "--enable-source-maps", ...heapMeasurementFlags];
  // Room for the heap limit, and for memory outside it (Buffers) up to a point.
  const memoryBytes = (memoryLimitMb + 256) * 1024 * 1024;
  const kernel = { cgroups: cgroupPlan().parents, groupPrefix, cpuCores: submissionLimits.cpuCores, tasks: submissionLimits.tasks, memoryBytes };
  const harnessArgs = [...nodeOptions, bundle.harness, "{pipes}/requests", "{pipes}/answers", bundle.exerciseDir, bundle.workloads, ...stems];
  if (isolation === "process" || isolation === "user") {
    const asUser = isolation === "user";
    return {
      command: asUser ? "setpriv" : node,
      args: asUser
        ? asUnprivileged([node, ...harnessArgs])
        : harnessArgs,
      env: asUser ? submissionEnvironment("/tmp") : submissionEnvironment(bundle.dir),
      cwd: bundle.dir,
      pipesRoot,
      pipesOwner: asUser ? unprivilegedUser : null,
      // Counted over the process and its children; one that leaves the tree escapes the count here, not in a control group.
      limits: { processes: sandboxLimits.processes, ...kernel },
    };
  }
  const inside = (file: string) => `${sandboxRoot}/${file.slice(bundle.dir.length + 1)}`;
  const pipesMount = `${sandboxRoot}/pipes`;
  return {
    command: "bwrap",
    args: [...bubblewrapArgs(bundle.dir, pipesMount), ...nodeOptions, inside(bundle.harness), `${pipesMount}/requests`, `${pipesMount}/answers`, inside(bundle.exerciseDir), inside(bundle.workloads), ...stems],
    env: {},
    cwd: bundle.dir,
    pipesRoot,
    pipesOwner: null,
    limits: { processes: sandboxLimits.processes + 2, ...kernel },
  };
}

export interface IsolationChoice {
  isolation: Exclude<Isolation, "in-process">;
  /** Why the sandbox is not used, when it is not. */
  reason: string | null;
}

let probed: IsolationChoice | null = null;

/** Whether bubblewrap can start a sandbox like the grader's here: tried once per grader process. */
export function probeSandbox(): IsolationChoice {
  if (probed) return probed;
  const result = spawnSync("bwrap", ["--die-with-parent", "--unshare-all", "--unshare-user", "--disable-userns", "--uid", "65534", "--gid", "65534", ...nodeMounts(), "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--remount-ro", "/", "--", sandboxNode, "-e", "0"], {
    encoding: "utf8",
    timeout: 10_000,
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
    probed = { isolation: "process", reason: missing ? "bubblewrap (bwrap) is not installed" : `bubblewrap could not start: ${result.error.message}` };
  } else if (result.status !== 0) {
    const said = (result.stderr || "").trim().split("\n")[0] || `exit status ${result.status}`;
    probed = { isolation: "process", reason: `bubblewrap could not start a sandbox here (${said})` };
  } else probed = { isolation: "sandbox", reason: null };
  return probed;
}

/** setpriv and prlimit as "user" isolation runs them, in front of `command`. */
function asUnprivileged(command: string[]): string[] {
  return [`--reuid=${unprivilegedUser.uid}`, `--regid=${unprivilegedUser.gid}`, "--clear-groups", "--no-new-privs", "--", "prlimit", ...userRlimits, "--", ...command];
}

let userProbed: { reason: string | null } | null = null;

/**
 * Why "user" isolation cannot run here, or null when it can: it needs root
 * (to become nobody) and util-linux's setpriv and prlimit. Tried once.
 */
export function probeUserIsolation(): string | null {
  if (userProbed) return userProbed.reason;
  let reason: string | null = null;
  if (process.getuid?.() !== 0) reason = "running as an unprivileged user needs the grader to run as root";
  else {
    const result = spawnSync("setpriv", asUnprivileged(["/bin/sh", "-c", "exit 0"]), { encoding: "utf8", timeout: 10_000 });
    if (result.error) reason = `setpriv (util-linux) could not run: ${result.error.message}`;
    else if (result.status !== 0) reason = `setpriv and prlimit (util-linux) could not start a process as nobody (${(result.stderr || "").trim().split("\n")[0] || `exit status ${result.status}`})`;
  }
  userProbed = { reason };
  return reason;
}

/** Whether nobody may run this Node binary: it may sit under a folder only root can enter (npm's cache in /root, say). */
export function nodeRunsAsUser(node: string): boolean {
  const result = spawnSync("setpriv", asUnprivileged([node, "-e", "0"]), { timeout: 10_000 });
  return result.status === 0;
}

/**
 * Whether anyone but root's own processes can reach files in `dir`: every
 * folder from the root down must let others in. Listing does not matter, since
 * the course's file names are no secret. "user" isolation needs the course
 * (hidden suites, quiz keys) out of nobody's reach.
 */
export function othersCanEnter(dir: string): boolean {
  for (let folder = path.resolve(dir); ; folder = path.dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0) return false;
    if (path.dirname(folder) === folder) return true;
  }
}

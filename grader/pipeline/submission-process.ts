import { spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import type { LaunchSpec } from "../judge/submission-link.ts";
import type { SubmissionBundle } from "./submission-bundle.ts";
import { heapMeasurementFlags } from "./heap-flags.ts";

/**
 * How far submission code is kept from the grader:
 * - "sandbox": its own process inside bubblewrap, seeing only its own files;
 * - "process": its own process, without the sandbox (where bubblewrap cannot start);
 * - "in-process": inside the test process, for the student's loop on their own code.
 */
export type Isolation = "sandbox" | "process" | "in-process";

/** What the sandbox may hold: room for any honest exercise, too little for a fork bomb or a disk filler. */
export const sandboxLimits = { processes: 16, scratchBytes: 16 * 1024 * 1024 };

/** Where the sandbox shows the bundle: always the same path, whatever the grader's own folders are. */
const sandboxRoot = "/sandbox";

/** The only variables the submission process gets: nothing of the grader's, CI's or npm's. */
function submissionEnvironment(home: string): Record<string, string> {
  return { HOME: home, TMPDIR: home, LANG: "C.UTF-8", TZ: "UTC", NO_COLOR: "1" };
}

/** System folders with the shared libraries Node needs; no shell, no tools, nothing of anyone's. */
const libraryFolders = ["/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/lib32", "/lib32"];

function bubblewrapArgs(bundleDir: string, pipesMount: string): string[] {
  const node = realpathSync(process.execPath);
  const libraries = libraryFolders.filter((folder) => existsSync(folder)).flatMap((folder) => ["--ro-bind", folder, folder]);
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
    ...libraries,
    "--ro-bind", node, node,
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
    node,
  ];
}

/** The command that starts the submission process for one module. `{pipes}` stands for the judge's pipe folder. */
export function launchSpec(isolation: Exclude<Isolation, "in-process">, bundle: SubmissionBundle, stems: string[], memoryLimitMb: number, pipesRoot: string): LaunchSpec {
  const nodeOptions = [`--max-old-space-size=${memoryLimitMb}`, "--enable-source-maps", ...heapMeasurementFlags];
  if (isolation === "process") {
    return {
      command: process.execPath,
      args: [...nodeOptions, bundle.harness, "{pipes}/requests", "{pipes}/answers", bundle.exerciseDir, bundle.workloads, ...stems],
      env: submissionEnvironment(bundle.dir),
      cwd: bundle.dir,
      pipesRoot,
      // Counted over the process and its children; one that leaves the tree escapes the count here, not in the sandbox.
      limits: { processes: sandboxLimits.processes, memoryBytes: (memoryLimitMb + 256) * 1024 * 1024 },
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
    // Room for the heap limit, and for memory outside it (Buffers) up to a point.
    limits: { processes: sandboxLimits.processes + 2, memoryBytes: (memoryLimitMb + 256) * 1024 * 1024 },
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
  const node = realpathSync(process.execPath);
  const result = spawnSync("bwrap", ["--die-with-parent", "--unshare-all", "--unshare-user", "--disable-userns", "--uid", "65534", "--gid", "65534", ...libraryFolders.filter((folder) => existsSync(folder)).flatMap((folder) => ["--ro-bind", folder, folder]), "--ro-bind", node, node, "--proc", "/proc", "--dev", "/dev", "--", node, "-e", "0"], {
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

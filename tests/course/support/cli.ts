import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { courseRoot } from "./course.ts";

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the course's commands (grader/cli/<name>.ts) the way `npm run <name>`
 * does, in this checkout or in `cwd`, a copy of the course with its own grader.
 */
export function runCli(name: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CommandResult {
  const checkout = options.cwd ?? courseRoot;
  // As package.json's scripts start them: node with tsx's loader, one process.
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(checkout, "grader", "cli", `${name}.ts`), ...args], {
    cwd: checkout,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    encoding: "utf8",
    input: options.input ?? "",
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * runCli without blocking this process, for commands that talk to a server the
 * test itself runs (a fake GitHub).
 */
export async function runCliAsync(name: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  const checkout = options.cwd ?? courseRoot;
  const child = spawn(process.execPath, ["--import", "tsx", path.join(checkout, "grader", "cli", `${name}.ts`), ...args], {
    cwd: checkout,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 300_000,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { status, stdout, stderr };
}

import { spawnSync } from "node:child_process";
import { npmCommand, npmEnvironment } from "../../../grader/release/npm.ts";
import type { CommandResult } from "./cli.ts";

/**
 * Runs npm as a user would type it (`npm ci`, `npm test`, `npm run grade`) in a
 * folder, with the npm and Node that run this test. Installs prefer npm's cache,
 * which CI has filled with the same packages.
 */
export function npm(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): CommandResult {
  const [command, prefix] = npmCommand();
  const result = spawnSync(command, [...prefix, ...args], {
    cwd,
    encoding: "utf8",
    input: options.input ?? "",
    timeout: 240_000,
    env: npmEnvironment({ NO_COLOR: "1", FORCE_COLOR: "0", npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false", ...options.env }),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

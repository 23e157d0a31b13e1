import type { ParseArgsConfig } from "node:util";
import { GraderInputError } from "../errors.ts";
import { refuseSwallowedFlags } from "./npm-arguments.ts";
import { printable } from "../report/text.ts";

/**
 * Runs a command's body and turns its outcome into an exit status: the body's
 * own status, or 2 with one line on stderr when the input was bad. Unexpected
 * failures are also status 2, since they mean nothing was graded.
 */
export async function runCommand(body: () => Promise<number>): Promise<void> {
  // A reader that stops early (`npm run grade | head`) is not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  try {
    process.exitCode = await body();
  } catch (error) {
    const message = error instanceof GraderInputError ? error.message : `internal error: ${String((error as Error)?.stack ?? error)}`;
    // The message may quote a submission (a quiz option, a file name): print it inert.
    process.stderr.write(`error: ${printable(message.split("\n")[0] ?? "")}\n`);
    if (!(error instanceof GraderInputError) && process.env["MQ_DEBUG"]) process.stderr.write(`${String((error as Error)?.stack)}\n`);
    process.exitCode = 2;
  }
}

/** Node's parseArgs errors are several lines long; keep the part that names the problem. */
export function argumentError(error: unknown, usage: string): GraderInputError {
  if (error instanceof GraderInputError) return error;
  const message = (error as Error).message.split(". ")[0] ?? "bad arguments";
  return new GraderInputError(`${message.replace(/'/g, "")} (usage: ${usage})`);
}

/** A parseArgs config, after making sure npm passed every one of its options on (see refuseSwallowedFlags). */
export function npmChecked<T extends ParseArgsConfig>(config: T): T {
  refuseSwallowedFlags(config.options ?? {});
  return config;
}

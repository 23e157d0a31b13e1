import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from "node:fs";
import path from "node:path";

/** A submitted file, read; or why it was not. */
export type SubmissionRead = { ok: true; bytes: Buffer } | { ok: false; problem: string };

/**
 * Reads one file of a submission as hostile input: only a regular file
 * inside the submission (no link, no device, no pipe, nothing reached through
 * a linked folder), no larger than `limitBytes`. The file is opened without
 * following links and without waiting (a FIFO swapped in after the check
 * cannot hang the grader), then checked again through its descriptor, and
 * never more than the limit is read. A path the system refuses (too long, say)
 * is a problem like any other, not a crash.
 */
export function readSubmissionFile(root: string, file: string, limitBytes: number): SubmissionRead {
  let descriptor: number | null = null;
  try {
    const stats = lstatSync(file);
    if (stats.isSymbolicLink()) return { ok: false, problem: "is a symbolic link; the grader reads only a regular file" };
    if (!stats.isFile()) return { ok: false, problem: "is not a regular file" };
    const realRoot = realpathSync(root);
    if (!realpathSync(file).startsWith(`${realRoot}${path.sep}`)) return { ok: false, problem: "lies outside the submission (through a linked folder)" };
    if (stats.size > limitBytes) return { ok: false, problem: `is larger than ${describeBytes(limitBytes)}` };
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const opened = fstatSync(descriptor);
    if (!opened.isFile() || opened.ino !== stats.ino || opened.dev !== stats.dev) return { ok: false, problem: "changed while it was read" };
    const bytes = Buffer.alloc(Math.min(opened.size, limitBytes));
    let filled = 0;
    while (filled < bytes.length) {
      const read = readSync(descriptor, bytes, filled, bytes.length - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return { ok: true, bytes: bytes.subarray(0, filled) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, problem: code === "ENOENT" ? "is missing" : `cannot be read (${code ?? "error"})` };
  } finally {
    if (descriptor !== null) closeSync(descriptor);
  }
}

export function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;
}

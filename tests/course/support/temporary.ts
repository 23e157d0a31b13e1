import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

/**
 * Empty folders in the system's temporary folder, removed after the calling
 * test file's tests. Call it at the top of a test file.
 */
export function useTemporaryFolders(): (prefix: string) => string {
  const folders: string[] = [];
  afterAll(() => {
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    folders.push(dir);
    return dir;
  };
}

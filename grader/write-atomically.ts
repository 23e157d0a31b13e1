import { renameSync, writeFileSync } from "node:fs";

/** Writes a file in one step (a temporary file, then a rename), so no reader ever sees half of it. */
export function writeFileAtomically(file: string, data: string | Uint8Array): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}

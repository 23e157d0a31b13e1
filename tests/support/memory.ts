import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// V8's collector, reached as jest's leak detector reaches it: the flag is set
// at run time and a fresh context then has `gc`. Both it and memoryUsage are
// taken when this file loads, before any submission code, so a submission
// that replaces them later changes nothing here.
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;
const memoryUsage = process.memoryUsage.bind(process);

/** Bytes of heap in use once everything unreachable has been collected. */
export function liveHeapBytes(): number {
  collect();
  collect();
  return memoryUsage().heapUsed;
}

/** "12.3 MB", for failure messages. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

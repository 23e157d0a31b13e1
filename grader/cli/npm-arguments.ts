import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { GraderInputError } from "../errors.ts";

// npm rewrites its own process title (to "npm run grade"), so its command
// line cannot be read back from /proc. It does write its argv to its debug
// log as it starts (`verbose argv "run" "grade" "--only" "01"`), and that is
// where a flag it kept for itself can still be seen.

/** When the npm process that started this one began (ms since the epoch), from /proc; null where that cannot be read. */
function npmStartedAt(): number | null {
  try {
    const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
    let pid: number | null = process.ppid;
    for (let depth = 0; pid !== null && depth < 6; depth++) {
      const stat: string = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields: string[] = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
      const title = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
      // Field 22 of stat, the start time in clock ticks after boot (100 a second on Linux).
      if (title.startsWith("npm ")) return (bootSeconds + Number(fields[19]) / 100) * 1000;
      const parent: number = Number(fields[1]);
      pid = Number.isInteger(parent) && parent > 1 ? parent : null;
    }
  } catch {
    // not Linux, or the process is gone
  }
  return null;
}

/** The debug log's timestamp, from its name (2026-12-01T19_14_00_185Z-debug-0.log). */
function logTime(name: string): number {
  const stamp = /^(\d{4}-\d{2}-\d{2})T(\d{2})_(\d{2})_(\d{2})_(\d{3})Z/.exec(name);
  return stamp ? Date.parse(`${stamp[1]}T${stamp[2]}:${stamp[3]}:${stamp[4]}.${stamp[5]}Z`) : Number.NaN;
}

/** What npm was given after the script's name, from the debug log of the npm run that started this; null when it cannot be found. */
function npmArguments(event: string): string[] | null {
  const cache = process.env["npm_config_cache"];
  const logs = process.env["npm_config_logs_dir"] ?? (cache ? path.join(cache, "_logs") : null);
  if (!logs || !existsSync(logs)) return null;
  const started = npmStartedAt();
  // The log begun nearest to when this npm started (or, without /proc, the newest of the last minute).
  const candidates = readdirSync(logs)
    .filter((name) => name.endsWith(".log"))
    .map((name) => ({ name, distance: started !== null ? Math.abs(logTime(name) - started) : Date.now() - logTime(name) }))
    .filter(({ distance }) => distance <= (started !== null ? 3_000 : 60_000))
    .sort((a, b) => a.distance - b.distance);
  for (const { name } of candidates) {
    let text: string;
    try {
      text = readFileSync(path.join(logs, name), "utf8");
    } catch {
      continue;
    }
    const line = /^\d+ verbose argv (.*)$/m.exec(text)?.[1];
    if (!line) continue;
    const argv = [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(`"${match[1]}"`) as string);
    const run = argv.findIndex((arg) => ["run", "run-script", "rum", "urn"].includes(arg));
    const eventIndex = argv.indexOf(event, run + 1);
    if (run >= 0 && eventIndex > run) return argv.slice(eventIndex + 1);
  }
  return null;
}

/**
 * `npm run grade --only 01` keeps `--only 01` for npm itself (a warning at
 * most), so the command would silently do something else: grade everything,
 * or start a watch loop instead of one run. Stop instead, with the command to
 * type. Only this command's own option names count; npm's own flags
 * (`--silent`) are npm's business.
 */
export function refuseSwallowedFlags(optionNames: string[]): void {
  const event = process.env["npm_lifecycle_event"];
  // Only when npm ran this very command (not, say, a test run that spawns it with npm's variables inherited).
  const script = process.env["npm_lifecycle_script"] ?? "";
  const entry = path.relative(process.cwd(), process.argv[1] ?? "");
  if (!event || entry === "" || !script.includes(entry)) return;
  const ours = (arg: string) => optionNames.some((name) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  const given = npmArguments(event);
  if (given) {
    const end = given.indexOf("--");
    const beforeDashes = end < 0 ? given : given.slice(0, end);
    if (beforeDashes.some(ours)) {
      const rest = end < 0 ? [] : given.slice(end + 1);
      throw new GraderInputError(`npm kept ${beforeDashes.filter(ours).join(" ")} for itself, so the command never saw it; put -- before your options: npm run ${event} -- ${[...beforeDashes, ...rest].join(" ")}`);
    }
    return;
  }
  // No log to read: npm still tells of flags it does not know itself, as npm_config_<name>=true.
  const kept = optionNames.filter((name) => process.env[`npm_config_${name.replace(/-/g, "_")}`] === "true");
  if (kept.length > 0) {
    throw new GraderInputError(`npm kept --${kept[0]} for itself, so the command never saw it; put -- before your options, as in: npm run ${event} -- --${kept[0]}`);
  }
}

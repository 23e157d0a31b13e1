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

/** What npm was given after the script's name, from the debug log of an npm run that started when this one did and `fits`; null when none does. */
function npmArguments(event: string, fits: (argv: string[]) => boolean): string[] | null {
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
    if (run >= 0 && eventIndex > run && fits(argv.slice(eventIndex + 1))) return argv.slice(eventIndex + 1);
  }
  return null;
}

/** Whether npm's argv for this run, less the given flags (and their values), is exactly what this process received. */
function explains(given: string[], flags: (arg: string) => boolean, optionTakesValue: (arg: string) => boolean, received: string[]): boolean {
  const passed: string[] = [];
  for (let index = 0; index < given.length; index++) {
    const arg = given[index] ?? "";
    if (arg === "--") {
      passed.push(...given.slice(index + 1));
      break;
    }
    if (flags(arg)) {
      if (!arg.includes("=") && optionTakesValue(arg)) index += 1;
      continue;
    }
    passed.push(arg);
  }
  return passed.length === received.length && passed.every((arg, index) => arg === received[index]);
}

/**
 * `npm run grade --only 01` keeps `--only 01` for npm itself (a warning at
 * most), so the command would silently do something else: grade everything,
 * or start a watch loop instead of one run. Stop instead, with the command to
 * type. Only this command's own option names count; npm's own flags
 * (`--silent`) are npm's business.
 */
export function refuseSwallowedFlags(options: Record<string, { type: "string" | "boolean" }>): void {
  const event = process.env["npm_lifecycle_event"];
  // Only when npm ran this very command (not, say, a test run that spawns it with npm's variables inherited).
  const script = process.env["npm_lifecycle_script"] ?? "";
  const entry = path.relative(process.cwd(), process.argv[1] ?? "");
  if (!event || entry === "" || !script.includes(entry)) return;
  const names = Object.keys(options);
  const received = process.argv.slice(2);
  const ours = (arg: string) => names.some((name) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  const takesValue = (arg: string) => options[arg.replace(/^--/, "").split("=")[0] ?? ""]?.type === "string";
  // The debug log shows every flag, but another npm run may have started at the same moment: it must explain what this process got.
  const beforeDashes = (argv: string[]) => (argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv);
  const given = npmArguments(event, (argv) => beforeDashes(argv).some(ours) && explains(argv, ours, takesValue, received));
  // Flags npm does not know itself it also reports as npm_config_<name>=true (this very run's environment).
  const byEnvironment = names.filter((name) => process.env[`npm_config_${name.replace(/-/g, "_")}`] === "true");
  if (given) {
    const before = beforeDashes(given);
    const rest = given.slice(before.length + 1);
    throw new GraderInputError(`npm kept ${before.filter(ours).join(" ")} for itself, so the command never saw it; put -- before your options: npm run ${event} -- ${[...before, ...rest].join(" ")}`);
  }
  const [kept] = byEnvironment;
  if (kept !== undefined) {
    const example = options[kept]?.type === "boolean" ? `npm run ${event} -- ${[...received, `--${kept}`].join(" ")}` : `npm run ${event} -- --${kept} …`;
    throw new GraderInputError(`npm kept --${kept} for itself, so the command never saw it; put -- before your options: ${example}`);
  }
}

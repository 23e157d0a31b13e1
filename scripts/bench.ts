// Times `npm run grade -- --solutions` against one bare `vitest run` of the
// same suites (public and hidden, against the solutions), and prints the ratio.
// Usage: npm run bench [-- --runs N]
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { courseRoot } from "../grader/course/manifest.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write("error: --runs must be a whole number >= 1\n");
  process.exit(2);
}

function time(label: string, command: string[], env: NodeJS.ProcessEnv = {}): number[] {
  const seconds: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, command, { cwd: courseRoot, env: { ...process.env, ...env }, encoding: "utf8" });
    seconds.push((performance.now() - started) / 1000);
    if (result.status !== 0) {
      process.stderr.write(`error: ${label} exited with ${result.status}\n${result.stdout}${result.stderr}\n`);
      process.exit(2);
    }
  }
  return seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const bin = (...parts: string[]) => path.join(courseRoot, "node_modules", ...parts);

const grade = time("grade", [bin("tsx", "dist", "cli.mjs"), "grader/cli/grade.ts", "--solutions"]);
const bare = time("vitest run", [bin("vitest", "vitest.mjs"), "run", "--config", "vitest.config.ts", "--reporter=dot"], {
  EXERCISES: "solutions",
});

const row = (label: string, values: number[]) =>
  `${label.padEnd(36)} ${median(values).toFixed(2).padStart(6)} s   (min ${Math.min(...values).toFixed(2)}, max ${Math.max(...values).toFixed(2)})`;
process.stdout.write(
  [
    `Node ${process.version}, ${os.availableParallelism()} cores, ${runs} runs each, median wall time:`,
    row("npm run grade -- --solutions", grade),
    row("bare vitest run (same suites)", bare),
    `ratio grade / bare: ${(median(grade) / median(bare)).toFixed(2)}x`,
    "",
  ].join("\n"),
);

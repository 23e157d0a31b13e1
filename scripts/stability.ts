// Grades the reference solutions N times in a row and reports whether every
// run gave the same full score. Usage: npm run stability [-- --runs 50]
import { parseArgs } from "node:util";
import { grade } from "../grader/grade.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "50" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write("error: --runs must be a whole number >= 1\n");
  process.exit(2);
}

const outcomes = new Map<string, number>();
const seconds: number[] = [];
for (let run = 1; run <= runs; run++) {
  const report = await grade({ solutions: true });
  seconds.push(report.durationMs / 1000);
  const lost = report.modules.flatMap((module) => module.tests.filter((test) => test.status !== "passed").map((test) => `${module.id}: ${test.name}: ${test.message}`));
  const key = `${report.score}/${report.maxScore}${lost.length > 0 ? ` (lost: ${lost.join("; ")})` : ""}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  process.stdout.write(`run ${run}/${runs}: ${report.score}/${report.maxScore} in ${(report.durationMs / 1000).toFixed(1)} s (${report.isolation})\n`);
  for (const line of lost) process.stdout.write(`  lost ${line}\n`);
}
const stable = outcomes.size === 1 && [...outcomes.keys()][0]?.split(" ")[0]?.split("/").every((part, _, all) => part === all[0]);
process.stdout.write(`\n${runs} runs, ${outcomes.size} distinct outcome(s):\n`);
for (const [outcome, count] of outcomes) process.stdout.write(`  ${count} × ${outcome}\n`);
process.stdout.write(`time per run: min ${Math.min(...seconds).toFixed(1)} s, max ${Math.max(...seconds).toFixed(1)} s\n`);
process.stdout.write(stable ? "stable: every run earned full marks\n" : "NOT stable\n");
process.exit(stable ? 0 : 1);

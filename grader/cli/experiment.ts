import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { courseRoot } from "../course/manifest.ts";
import { GraderInputError } from "../errors.ts";
import { runCommand } from "./run-command.ts";

const experimentsDir = path.join(courseRoot, "experiments");

function available(): string[] {
  return readdirSync(experimentsDir)
    // "02-starvation.ts" is an experiment; a file without a module number (output.ts) is what they share.
    .filter((file) => /^\d\d-.+\.ts$/.test(file))
    .map((file) => file.replace(/\.ts$/, ""))
    .sort();
}

/**
 * `npm run experiment -- <name> [options]` runs experiments/<name>.ts against
 * the student's own code in exercises/. A unique prefix of the name is enough
 * ("05" or "05-depth").
 */
await runCommand(async () => {
  const [query, ...rest] = process.argv.slice(2);
  const names = available();
  if (query === undefined || query === "--help" || query === "-h") {
    process.stdout.write(`Usage: npm run experiment -- <name> [options]\n\nExperiments:\n${names.map((name) => `  ${name}`).join("\n")}\n`);
    return 0;
  }
  const matches = names.filter((name) => name === query || name.startsWith(query));
  const exact = names.find((name) => name === query);
  const chosen = exact ?? (matches.length === 1 ? matches[0] : undefined);
  if (!chosen) {
    const why = matches.length > 1 ? `"${query}" matches ${matches.join(", ")}` : `unknown experiment "${query}"`;
    throw new GraderInputError(`${why} (experiments: ${names.join(", ")})`);
  }
  const tsx = path.join(courseRoot, "node_modules", "tsx", "dist", "cli.mjs");
  // tsx maps @exercise/* through tsconfig paths: the student's code, or the solutions on request.
  const tsconfig = process.env["EXERCISES"] === "solutions" ? "tsconfig.solutions.json" : "tsconfig.json";
  const result = spawnSync(process.execPath, [tsx, "--tsconfig", tsconfig, path.join(experimentsDir, `${chosen}.ts`), ...rest], {
    stdio: "inherit",
    cwd: courseRoot,
  });
  return result.status ?? 1;
});

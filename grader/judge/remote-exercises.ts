import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vitest/config";
import { readJudgeSetup } from "./judge-setup.ts";

const judgeFolder = path.dirname(fileURLToPath(import.meta.url));
const virtualPrefix = "\0mq-remote:";
/** Suite helpers whose judge versions reach into the submission process. */
const judgeVersions: Record<string, string> = {
  "clock.ts": path.join(judgeFolder, "clock.ts"),
  "workload.ts": path.join(judgeFolder, "workload.ts"),
  "steps.ts": path.join(judgeFolder, "steps.ts"),
};

/**
 * Serves `@exercise/<module>/<file>` as a module of stand-ins (see remote.ts),
 * with exactly the exports the course's stub declares, and swaps the suites'
 * clock, workload and steps helpers for the judge's. No submission file is ever
 * imported here.
 */
export function remoteExercises(workspace: string): Plugin {
  const setup = readJudgeSetup();
  const supportDir = path.join(workspace, "tests", "support");
  const remoteModule = path.join(judgeFolder, "remote-module.ts");
  return {
    name: "mq-grader:remote-exercises",
    enforce: "pre",
    resolveId(source, importer) {
      if (source.startsWith("@exercise/")) return `${virtualPrefix}${source.slice("@exercise/".length).replace(/\.[mc]?[jt]s$/, "")}`;
      if (importer && source.startsWith(".")) {
        const resolved = path.resolve(path.dirname(importer), source);
        const helper = path.dirname(resolved) === supportDir ? judgeVersions[`${path.basename(resolved).replace(/\.ts$/, "")}.ts`] : undefined;
        if (helper) return helper;
      }
      return null;
    },
    load(id) {
      if (!id.startsWith(virtualPrefix)) return null;
      const key = id.slice(virtualPrefix.length);
      const surface = setup.surfaces[key];
      if (!surface) throw new Error(`exercises/${key}.ts is missing (check the file name and folder)`);
      const names = [...surface.classes.map((shape) => shape.name), ...surface.functions];
      return [
        `import { remoteExports } from ${JSON.stringify(remoteModule)};`,
        `const exports = remoteExports(${JSON.stringify(key)});`,
        ...names.map((name) => `export const ${name} = exports[${JSON.stringify(name)}];`),
      ].join("\n");
    },
  };
}

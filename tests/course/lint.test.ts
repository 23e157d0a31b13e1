import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { actionlintProblems } from "./support/actionlint.ts";
import { courseRoot } from "./support/course.ts";

describe("linters", () => {
  test("markdownlint finds nothing in the lessons, quizzes and README", () => {
    const cli = path.join(courseRoot, "node_modules", "markdownlint-cli2", "markdownlint-cli2-bin.mjs");
    const result = spawnSync(process.execPath, [cli], { cwd: courseRoot, encoding: "utf8" });
    expect(result.stderr.trim(), "markdownlint problems").toBe("");
    expect(result.status).toBe(0);
  });

  test("actionlint finds nothing in the workflows, this repository's and the students'", async () => {
    expect(await actionlintProblems(path.join(courseRoot, ".github", "workflows"))).toEqual([]);
    expect(await actionlintProblems(path.join(courseRoot, "release", "student", ".github", "workflows"))).toEqual([]);
  });

  test("the code typechecks (tsc, strict)", () => {
    const tsc = path.join(courseRoot, "node_modules", "typescript", "bin", "tsc");
    const result = spawnSync(process.execPath, [tsc, "--noEmit", "-p", courseRoot], { encoding: "utf8" });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
    // A whole-project typecheck, beside the fixture gradings on a small machine: room for it.
  }, 180_000);
});

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { courseRoot, exerciseModules } from "./support/course.ts";

// Every hidden test, by module, as recorded in the snapshot beside this file.
// Deleting or renaming a hidden test fails npm test here until the snapshot is
// updated on purpose (npm test -- hidden-inventory -u), so a grade can never
// lose a check by accident: the diff names the test that went.
test("the hidden suites hold exactly the recorded tests", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mq-inventory-"));
  try {
    const listing = path.join(dir, "list.json");
    const vitest = path.join(courseRoot, "node_modules", "vitest", "vitest.mjs");
    const result = spawnSync(process.execPath, [vitest, "list", "--config", "vitest.config.ts", `--json=${listing}`], {
      cwd: courseRoot,
      encoding: "utf8",
      env: { ...process.env, SUITES: "hidden", EXERCISES: "solutions", NO_COLOR: "1" },
      timeout: 60_000,
    });
    expect(result.status, result.stderr.slice(-2000)).toBe(0);
    const tests = JSON.parse(readFileSync(listing, "utf8")) as { name: string; file: string }[];
    const byModule: Record<string, string[]> = {};
    for (const { name, file } of tests) (byModule[path.basename(file, ".test.ts")] ??= []).push(name);
    for (const names of Object.values(byModule)) names.sort();
    expect(Object.keys(byModule).sort(), "every exercise module has a hidden suite").toEqual(exerciseModules.map((module) => module.id).sort());
    expect(byModule).toMatchSnapshot();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

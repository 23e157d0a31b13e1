import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";
import { describe, expect, test } from "vitest";
import schema from "./support/devcontainer.schema.json" with { type: "json" };
import { courseRoot } from "./support/course.ts";

function readJsonc(relative: string): unknown {
  const errors: ParseError[] = [];
  const data: unknown = parse(readFileSync(path.join(courseRoot, relative), "utf8"), errors, { allowTrailingComma: false });
  expect(errors.map((error) => `${relative} at ${error.offset}: ${printParseErrorCode(error.error)}`)).toEqual([]);
  return data;
}

describe("Codespaces set-up", () => {
  test("devcontainer.json parses as JSONC and matches the schema we keep", () => {
    const config = readJsonc(".devcontainer/devcontainer.json");
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  test("the files it opens on start exist", () => {
    const config = readJsonc(".devcontainer/devcontainer.json") as { customizations: { codespaces: { openFiles: string[] } } };
    for (const file of config.customizations.codespaces.openFiles) expect(existsSync(path.join(courseRoot, file)), file).toBe(true);
  });

  test("VS Code uses the workspace TypeScript and the exercise suites' vitest config", () => {
    const settings = readJsonc(".vscode/settings.json") as Record<string, unknown>;
    expect(settings["typescript.tsdk"]).toBe("node_modules/typescript/lib");
    const config = String(settings["vitest.rootConfig"]);
    expect(existsSync(path.join(courseRoot, config))).toBe(true);
    expect(readFileSync(path.join(courseRoot, config), "utf8")).toContain("tests/public/");
  });
});

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

// The tags of mcr.microsoft.com/devcontainers/typescript-node, from
// src/typescript-node/manifest.json in github.com/devcontainers/images
// (image version 4.0.5, checked on 2026-12-01): `${version}-${variant}`, where
// the version is "4", "4.0", "4.0.5" or left out, and a variant is a Node major
// and a Debian release. Some variants have short forms ("24", "bookworm").
const imageMajor = "4";
const nodeMajors = ["20", "22", "24"];
const debianReleases = ["trixie", "bookworm", "bullseye"];
const shortVariants = ["24", "22", "20", "trixie", "bookworm", "bullseye"];

function isVariant(variant: string): boolean {
  const [node, debian, ...rest] = variant.split("-");
  const full = rest.length === 0 && node !== undefined && debian !== undefined && nodeMajors.includes(node) && debianReleases.includes(debian);
  return full || shortVariants.includes(variant);
}

function publishedTypescriptNodeTag(tag: string): boolean {
  if (isVariant(tag)) return true;
  const versioned = /^(\d+)(?:\.\d+){0,2}-(.+)$/.exec(tag);
  return versioned !== null && versioned[1] === imageMajor && isVariant(versioned[2] ?? "");
}

describe("Codespaces set-up", () => {
  test("devcontainer.json parses as JSONC and matches the schema we keep", () => {
    const config = readJsonc(".devcontainer/devcontainer.json");
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  test("the image tag is one the devcontainers project publishes, with the Node major the workflows use", () => {
    const { image } = readJsonc(".devcontainer/devcontainer.json") as { image: string };
    const tag = image.slice(image.indexOf(":") + 1);
    expect(publishedTypescriptNodeTag(tag), `${image} is not a published tag`).toBe(true);
    const nodeMajor = tag.split("-").find((part) => nodeMajors.includes(part));
    for (const workflow of [".github/workflows/ci.yml", ".github/workflows/reference-solutions.yml"]) {
      expect(readFileSync(path.join(courseRoot, workflow), "utf8"), `${workflow} should run the Node the Codespace has`).toContain(`node-version: ${nodeMajor}`);
    }
  });

  test("the tag check knows the scheme: image major, Node major, Debian release", () => {
    for (const tag of ["4-24-bookworm", "24-bookworm", "4.0-24-trixie", "4.0.5-22-bullseye", "24", "4-24", "bookworm"]) expect(publishedTypescriptNodeTag(tag), tag).toBe(true);
    // 1-24-bookworm is the tag this course once used: image 1.x never had Node 24.
    for (const tag of ["1-24-bookworm", "2-24-bookworm", "5-24-bookworm", "4-23-bookworm", "4-24-buster", "24-bookworm-slim", "latest-24", ""]) {
      expect(publishedTypescriptNodeTag(tag), tag).toBe(false);
    }
  });

  test("the files it opens on start exist", () => {
    const config = readJsonc(".devcontainer/devcontainer.json") as { customizations: { codespaces: { openFiles: string[] } } };
    for (const file of config.customizations.codespaces.openFiles) expect(existsSync(path.join(courseRoot, file)), file).toBe(true);
  });

  test("lessons open as a rendered preview, so their Mermaid diagrams show, and the first lesson opens on start", () => {
    const settings = readJsonc(".vscode/settings.json") as { "workbench.editorAssociations"?: Record<string, string> };
    const config = readJsonc(".devcontainer/devcontainer.json") as { customizations: { codespaces: { openFiles: string[] }; vscode: { extensions: string[] } } };
    const associations = Object.entries(settings["workbench.editorAssociations"] ?? {});
    const first = config.customizations.codespaces.openFiles[0] ?? "";
    expect(first).toBe("lessons/00-message-queues/README.md");
    const previewed = associations.some(([pattern, editor]) => editor === "vscode.markdown.preview.editor" && path.matchesGlob(`/workspaces/course/${first}`, pattern));
    expect(previewed, "a workbench.editorAssociations pattern should open lessons/*/README.md in vscode.markdown.preview.editor").toBe(true);
    expect(path.matchesGlob("/workspaces/course/lessons/00-message-queues/quiz.md", associations[0]?.[0] ?? ""), "quizzes stay in the text editor, where students tick them").toBe(false);
    expect(config.customizations.vscode.extensions, "the built-in preview draws Mermaid only with this extension").toContain("bierner.markdown-mermaid");
  });

  test("VS Code uses the workspace TypeScript and the exercise suites' vitest config", () => {
    const settings = readJsonc(".vscode/settings.json") as Record<string, unknown>;
    expect(settings["typescript.tsdk"]).toBe("node_modules/typescript/lib");
    const config = String(settings["vitest.rootConfig"]);
    expect(existsSync(path.join(courseRoot, config))).toBe(true);
    expect(readFileSync(path.join(courseRoot, config), "utf8")).toContain("tests/public/");
  });
});

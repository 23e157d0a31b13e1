import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { describeSchemaError } from "../course/schema-error.ts";
import { GraderInputError } from "../errors.ts";
import schema from "./release.schema.json" with { type: "json" };

/** A path of this repository that never reaches students. */
export interface NeverShips {
  /** Relative to the course root; a folder when it ends in "/". */
  path: string;
  /** Its content must not appear anywhere in a student repository, history included. */
  secret?: boolean;
  why: string;
}

export interface AllowedLine {
  file: string;
  line: string;
  why: string;
}

/** A path of this repository that students get (unless a `neverShips` entry inside it keeps part back). */
export interface Ships {
  /** Relative to the course root; a folder when it ends in "/". */
  path: string;
  why: string;
}

/** `release/release.json`: the one place that says what a release ships. */
export interface ReleaseDeclaration {
  /** The allow-list: nothing else ships, so a new file (a roster, a TA's notes) stays here until it is named. */
  ships: Ships[];
  neverShips: NeverShips[];
  /** Files laid over the student repository's root, e.g. its own workflows. */
  studentFiles: string;
  package: {
    keepScripts: string[];
    setScripts: Record<string, string>;
    keepDependencies: string[];
  };
  allowedLines: AllowedLine[];
}

export const declarationFile = "release/release.json";

const validateDeclaration = new Ajv({ allErrors: false }).compile<ReleaseDeclaration>(schema);

export function loadReleaseDeclaration(root: string): ReleaseDeclaration {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path.join(root, declarationFile), "utf8"));
  } catch (error) {
    throw new GraderInputError(`${declarationFile}: cannot be read (${(error as Error).message.split("\n")[0]})`);
  }
  if (!validateDeclaration(data)) {
    const first = validateDeclaration.errors?.[0];
    throw new GraderInputError(`${declarationFile}: ${first ? describeSchemaError(first, "the declaration") : "invalid"}`);
  }
  return data;
}

/** The declaration's path rule: a path ending in "/" covers a folder, any other path one file. */
export function pathCovers(declared: string, file: string): boolean {
  return declared.endsWith("/") ? file.startsWith(declared) : file === declared;
}

/** Whether a course file is on the allow-list and not kept back: a release ships it. */
export function isShipped(declaration: ReleaseDeclaration, file: string): boolean {
  return declaration.ships.some((entry) => pathCovers(entry.path, file)) && !isMaintainerOnly(declaration, file);
}

/** Whether a course file (a relative path with "/" separators) stays in this repository. */
export function isMaintainerOnly(declaration: ReleaseDeclaration, file: string): boolean {
  return declaration.neverShips.some((entry) => pathCovers(entry.path, file));
}

/** Whether a course file's content is secret: solutions, hidden suites, quiz keys, fixtures. */
export function isSecret(declaration: ReleaseDeclaration, file: string): boolean {
  return declaration.neverShips.some((entry) => entry.secret === true && pathCovers(entry.path, file));
}

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { GraderInputError } from "../errors.ts";
import { declarationFile, type ReleaseDeclaration } from "./declaration.ts";
import { npmCommand, npmEnvironment } from "./npm.ts";

export interface StudentPackage {
  packageJson: string;
  lockfile: string;
}

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [field: string]: unknown;
}

const built = new Map<string, StudentPackage>();

/** Overrides pin packages of the instructors' tools; where the pruned lockfile has none of a package, its override goes too. */
function withoutStaleOverrides(packageJson: string, lockfile: string): string {
  const manifest = JSON.parse(packageJson) as PackageJson;
  const overrides = manifest["overrides"] as Record<string, unknown> | undefined;
  if (!overrides) return packageJson;
  const installed = Object.keys((JSON.parse(lockfile) as { packages?: Record<string, unknown> }).packages ?? {});
  const kept = Object.fromEntries(Object.entries(overrides).filter(([name]) => installed.some((key) => key === `node_modules/${name}` || key.endsWith(`/node_modules/${name}`))));
  const { overrides: _dropped, ...rest } = manifest;
  return `${JSON.stringify(Object.keys(kept).length > 0 ? { ...rest, overrides: kept } : rest, null, 2)}\n`;
}

/**
 * The student repository's package.json and lockfile: only the scripts and
 * dependencies the declaration keeps. npm prunes the lockfile itself, offline,
 * from the lockfile it already has, so `npm ci` accepts the result.
 */
export function studentPackage(sourceFiles: { packageJson: string; lockfile: string; npmrc: string | null }, declaration: ReleaseDeclaration): StudentPackage {
  const { packageJson: sourceJson, lockfile: sourceLock, npmrc } = sourceFiles;
  const cacheKey = createHash("sha256").update(sourceJson).update("\0").update(sourceLock).update("\0").update(npmrc ?? "").update(JSON.stringify(declaration.package)).digest("hex");
  const cached = built.get(cacheKey);
  if (cached) return cached;

  const source = JSON.parse(sourceJson) as PackageJson;
  const scripts: Record<string, string> = {};
  for (const name of declaration.package.keepScripts) {
    const script = source.scripts?.[name];
    if (script === undefined) throw new GraderInputError(`${declarationFile}: package.keepScripts names "${name}", which package.json does not have`);
    scripts[name] = script;
  }
  Object.assign(scripts, declaration.package.setScripts);
  const installed = [...Object.keys(source.dependencies ?? {}), ...Object.keys(source.devDependencies ?? {})];
  const unknown = declaration.package.keepDependencies.filter((name) => !installed.includes(name));
  if (unknown.length > 0) throw new GraderInputError(`${declarationFile}: package.keepDependencies names ${unknown.join(", ")}, not in package.json`);
  const dropped = installed.filter((name) => !declaration.package.keepDependencies.includes(name));

  const work = mkdtempSync(path.join(os.tmpdir(), "mq-release-package-"));
  try {
    writeFileSync(path.join(work, "package.json"), `${JSON.stringify({ ...source, scripts }, null, 2)}\n`);
    writeFileSync(path.join(work, "package-lock.json"), sourceLock);
    if (npmrc !== null) writeFileSync(path.join(work, ".npmrc"), npmrc);
    if (dropped.length > 0) {
      const [command, prefix] = npmCommand();
      const args = [...prefix, "uninstall", "--package-lock-only", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", ...dropped];
      const result = spawnSync(command, args, { cwd: work, encoding: "utf8", env: npmEnvironment({ npm_config_loglevel: "error" }) });
      if (result.status !== 0) {
        const reason = `${result.stderr}${result.stdout}`.trim().split("\n").find((line) => line.trim() !== "") ?? `exit ${result.status}`;
        throw new GraderInputError(`npm could not prune the student lockfile: ${reason}`);
      }
    }
    const lockfile = readFileSync(path.join(work, "package-lock.json"), "utf8");
    const result = { packageJson: withoutStaleOverrides(readFileSync(path.join(work, "package.json"), "utf8"), lockfile), lockfile };
    built.set(cacheKey, result);
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

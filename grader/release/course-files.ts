import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync } from "node:fs";
import path from "node:path";

// Never part of the course, wherever they appear.
const skippedFolders = new Set([".git", "node_modules"]);

function walk(root: string, relative: string, files: string[], links: boolean): void {
  for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name)) walk(root, child, files, links);
    } else if (entry.isFile() || (links && entry.isSymbolicLink())) {
      files.push(child);
    }
  }
}

/**
 * Every file of a folder, as relative paths with "/" separators, sorted, without
 * `.git` and `node_modules`. Symbolic links count only with `links`: a release
 * or a check reads only what is really in the folder, but may remove a link.
 */
export function listFolderFiles(root: string, options: { links?: boolean } = {}): string[] {
  const files: string[] = [];
  walk(root, "", files, options.links === true);
  return files.sort();
}

/**
 * The course's own files. In a git checkout: what git tracks plus new files it
 * does not ignore, so build output, `coverage/` and other ignored files never
 * count. Elsewhere (a copy without .git): every file but `.git` and `node_modules`.
 */
export function listCourseFiles(root: string): string[] {
  if (!existsSync(path.join(root, ".git"))) return listFolderFiles(root);
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
  if (listed.status !== 0) return listFolderFiles(root);
  return [...new Set(listed.stdout.split("\0").filter(Boolean))]
    .filter((file) => {
      try {
        return lstatSync(path.join(root, file)).isFile();
      } catch {
        return false; // deleted, not yet committed
      }
    })
    .sort();
}

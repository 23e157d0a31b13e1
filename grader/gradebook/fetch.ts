import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { lateUntil } from "../report/class/totals.ts";
import type { LatePolicy } from "../report/types.ts";
import type { RosterEntry } from "./roster.ts";

export type Fetched =
  | {
      ok: true;
      checkout: string;
      commit: string;
      /** Its committer date, in UTC. */
      committedAt: string;
      /** Commits on the default branch after it (past the deadline), or null for a pinned commit. */
      laterCommits: number | null;
    }
  | { ok: false; problem: string };

const gitTimeoutMs = 5 * 60_000;

class GitError extends Error {}

/** Runs git without a terminal to ask for passwords on, and without the protocols that run commands; its output trimmed, unless `exactly` (a file's text). */
export function git(cwd: string, args: string[], exactly = false): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["-c", "protocol.ext.allow=never", "-c", "core.hooksPath=/dev/null", "-c", "advice.detachedHead=false", ...args],
      { cwd, timeout: gitTimeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", SSH_ASKPASS: "", LC_ALL: "C" } },
      (error, stdout, stderr) => {
        if (!error) return resolve(exactly ? stdout : stdout.trim());
        const said = stderr
          .split("\n")
          .map((line) => line.trim())
          .filter((line) => line !== "" && !line.startsWith("warning:") && !line.startsWith("hint:"));
        const killed = (error as { killed?: boolean }).killed ? `git ${args[0]} took longer than ${gitTimeoutMs / 60_000} minutes` : null;
        reject(new GitError(killed ?? said.find((line) => line.startsWith("fatal:")) ?? said[0] ?? error.message.split("\n")[0]));
      },
    );
  });
}

/** A git URL as it is; a local path, relative to the roster's folder, as a file:// URL so that shallow fetches work. */
export function remoteOf(repo: string, rosterDir: string): { url: string } | { problem: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[\w.-]+@[\w.-]+:/.test(repo)) return { url: repo };
  const local = path.resolve(rosterDir, repo);
  if (!existsSync(local)) return { problem: `there is no repository at ${repo}` };
  return { url: pathToFileURL(local).href };
}

/**
 * Brings one student's repository into the cache (a fetch of only what
 * grading needs: the newest commit, or with a deadline the history of the
 * default branch without file contents) and checks out the commit to grade.
 * A pinned commit wins over the deadline; a late policy moves the deadline
 * on by its days (the penalty is the gradebook's). Commit dates are set by whoever
 * commits, so a deadline picks by the committer date the student recorded.
 * A cached repository that git cannot use (a run killed mid-fetch leaves
 * locks and half-made remotes) is fetched again from scratch.
 */
export async function fetchSubmission(entry: RosterEntry, cacheDir: string, rosterDir: string, latePolicy: LatePolicy | null = null): Promise<Fetched> {
  const remote = remoteOf(entry.repo, rosterDir);
  if ("problem" in remote) return { ok: false, problem: remote.problem };
  const checkout = path.join(cacheDir, "repos", entry.student);
  const cached = existsSync(path.join(checkout, ".git"));
  try {
    try {
      return await fetchInto(checkout, remote.url, entry, cached, latePolicy);
    } catch (error) {
      if (!(error instanceof GitError) || !cached) throw error;
      rmSync(checkout, { recursive: true, force: true });
      return await fetchInto(checkout, remote.url, entry, false, latePolicy);
    }
  } catch (error) {
    if (error instanceof GitError) return { ok: false, problem: `could not fetch ${entry.repo}: ${error.message}` };
    throw error;
  }
}

async function fetchInto(checkout: string, url: string, entry: RosterEntry, cached: boolean, latePolicy: LatePolicy | null): Promise<Fetched> {
  if (!cached) {
    mkdirSync(checkout, { recursive: true });
    await git(checkout, ["init", "--quiet"]);
    await git(checkout, ["remote", "add", "origin", url]);
  } else {
    await git(checkout, ["remote", "set-url", "origin", url]);
  }
  const shallow = existsSync(path.join(checkout, ".git", "shallow"));
  let commit: string;
  if (entry.commit) {
    try {
      await git(checkout, ["fetch", "--quiet", "--no-tags", "--depth", "1", "origin", entry.commit]);
    } catch {
      // A server that serves only branch tips: fetch the history and look for the commit in it.
      await git(checkout, ["fetch", "--quiet", "--no-tags", ...(shallow ? ["--unshallow"] : []), "origin"]);
    }
    try {
      commit = await git(checkout, ["rev-parse", "--verify", "--quiet", `${entry.commit}^{commit}`]);
    } catch {
      return { ok: false, problem: `the pinned commit ${entry.commit} is not in the repository` };
    }
  } else {
    const history = entry.deadline ? ["--filter=blob:none", ...(shallow ? ["--unshallow"] : [])] : ["--depth", "1"];
    try {
      await git(checkout, ["fetch", "--quiet", "--no-tags", ...history, "origin", "HEAD"]);
    } catch (error) {
      if (/couldn't find remote ref HEAD/i.test((error as Error).message)) return { ok: false, problem: "the repository has no commits" };
      throw error;
    }
    if (entry.deadline) {
      // Under a late policy, late work counts until the deadline plus its days.
      const cutoff = latePolicy ? lateUntil(entry.deadline, latePolicy) : entry.deadline;
      commit = await git(checkout, ["rev-list", "-1", "--first-parent", `--before=${cutoff}`, "FETCH_HEAD"]);
      const lateWindow = latePolicy ? ` or in the ${latePolicy.maxDaysLate} late days after it (until ${cutoff})` : "";
      if (commit === "") return { ok: false, problem: `no commit on the default branch before the deadline ${entry.deadline}${lateWindow}` };
    } else {
      commit = await git(checkout, ["rev-parse", "FETCH_HEAD"]);
    }
  }
  const tooMuch = await overLimits(checkout, commit);
  if (tooMuch) return { ok: false, problem: tooMuch };
  // Only what is graded reaches the disk: a small repository can check out as gigabytes elsewhere in its tree.
  await git(checkout, ["sparse-checkout", "set", "--no-cone", ...gradedPaths]);
  await git(checkout, ["checkout", "--quiet", "--force", "--detach", commit]);
  await git(checkout, ["clean", "--quiet", "-ffdx"]);
  const committedAt = new Date(await git(checkout, ["show", "-s", "--format=%cI", commit])).toISOString();
  // The history was fetched for a deadline: what came after the graded commit is work past it.
  const laterCommits = entry.commit ? null : entry.deadline ? Number(await git(checkout, ["rev-list", "--count", "--first-parent", `${commit}..FETCH_HEAD`])) : 0;
  return { ok: true, checkout, commit, committedAt, laterCommits };
}

/** What grading reads of a repository, as sparse-checkout patterns: the exercises, and each lesson's quiz. */
const gradedPaths = ["/exercises/", "/lessons/*/quiz.md"];

/**
 * What a repository's graded part may hold, checked from git's own listing
 * before anything is checked out (see INSTRUCTORS.md). Far beyond any honest
 * submission: the stage step takes at most 100 files and 4 MiB per module.
 */
export const checkoutLimits = { files: 2_000, bytes: 64 * 1024 * 1024, pathBytes: 1_000 };

/** Why the graded part of `commit` is too large to check out, or null. */
async function overLimits(checkout: string, commit: string): Promise<string | null> {
  // -z: names as they are, whatever bytes they hold. Each entry: "<mode> <type> <object> <size>\t<path>".
  const listing = await git(checkout, ["ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--", "exercises", "lessons"]);
  let files = 0;
  let bytes = 0;
  for (const entry of listing.split("\0").filter(Boolean)) {
    const tab = entry.indexOf("\t");
    const name = entry.slice(tab + 1);
    if (name.startsWith("lessons/") && !/^lessons\/[^/]+\/quiz\.md$/.test(name)) continue;
    files += 1;
    bytes += Number(entry.slice(0, tab).trim().split(/\s+/)[3]) || 0;
    if (Buffer.byteLength(name) > checkoutLimits.pathBytes) return `a path in the repository is longer than ${checkoutLimits.pathBytes} bytes, so it was not checked out`;
  }
  if (files > checkoutLimits.files) return `exercises/ and the quizzes hold ${files.toLocaleString("en-US")} files (the limit is ${checkoutLimits.files.toLocaleString("en-US")}), so the repository was not checked out`;
  if (bytes > checkoutLimits.bytes) return `exercises/ and the quizzes hold ${Math.round(bytes / 1024 / 1024).toLocaleString("en-US")} MiB (the limit is ${checkoutLimits.bytes / 1024 / 1024} MiB), so the repository was not checked out`;
  return null;
}

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { feedbackFileName, fitComment, hiddenTestsShown } from "../report/class/feedback.ts";
import { defaultHiddenVisibility, type Visibility } from "../report/gradescope.ts";
import { feedbackFormat } from "../report/class/formats.ts";
import type { Gradebook, GradebookRow } from "../report/types.ts";
import { writeFileAtomically } from "../write-atomically.ts";
import { apiVersion, githubClient, type GitHubClient } from "./github.ts";

export interface PostOptions {
  token: string;
  /** GitHub's REST API: $GITHUB_API_URL in Actions, https://api.github.com elsewhere. */
  apiUrl: string;
  /** The web host students' repositories live on: $GITHUB_SERVER_URL in Actions, https://github.com elsewhere. */
  serverUrl: string;
  /** Also post the feedback as a commit comment. */
  comment: boolean;
  /** Remembers what was posted, so an hourly run posts only what changed. */
  cacheDir: string;
  /** Milliseconds per second of waiting, for retries and rate limits; tests shorten it. */
  millisecondsPerSecond?: number;
  /** Times out one request, milliseconds. */
  requestTimeoutMs?: number;
  /** When the feedback names the hidden tests a student failed (see hiddenTestsShown); after_due_date when not given. */
  hiddenVisibility?: Visibility;
}

export interface PostOutcome {
  student: string;
  /** What was posted, e.g. ["status 87/100", "comment"]; empty when nothing changed or nothing could be. */
  posted: string[];
  /** Why posting failed or was skipped, or null. The grades stand either way. */
  problem: string | null;
}

/**
 * GitHub refused what was sent (400, 413, 422: a body it will not take, a
 * commit it no longer has): sending the same again gives the same answer, so
 * after this many runs it is not sent again until it changes. A refused token
 * or an unreachable server is tried again every run: you fix those.
 */
export const contentRefusalsBeforeGivingUp = 3;
const contentRefusal = new Set([400, 413, 422]);

/** A refused post, remembered: what was sent (its fingerprint), how many runs GitHub refused it, and why. */
interface Refusal {
  fingerprint: string;
  runs: number;
  problem: string;
}

/** owner/name of a repository on the given host, from its https, ssh or scp-style URL. */
export function repositoryOn(serverUrl: string, repo: string): { owner: string; repo: string } | null {
  const host = new URL(serverUrl).host.replace(/[.]/g, "\\.");
  const match = new RegExp(`^(?:https://${host}/|ssh://git@${host}/|git@${host}:)([\\w.-]+)/([\\w.-]+?)(?:\\.git)?/?$`).exec(repo.trim());
  return match ? { owner: match[1] as string, repo: match[2] as string } : null;
}

const postedFile = (cacheDir: string) => path.join(cacheDir, "posted.json");

/** What was posted for each student (`student:status`, `student:comment`: a fingerprint), and what GitHub refused (`…:refused`). */
type Posted = Record<string, string | Refusal>;

function readPosted(cacheDir: string): Posted {
  try {
    return JSON.parse(readFileSync(postedFile(cacheDir), "utf8")) as Posted;
  } catch {
    return {};
  }
}

function postingProblem(error: unknown): string {
  const status = (error as { status?: number }).status;
  const message = (error as Error).message?.split("\n")[0] ?? String(error);
  if (status === 401) return "GitHub refused the token (401): check GITHUB_TOKEN";
  if (status === 403 || status === 404) return `GitHub said ${status}: the token cannot write to this repository (${message})`;
  return status ? `GitHub said ${status}: ${message}` : `could not reach GitHub: ${message}`;
}

/**
 * Posts each graded row's result to its commit: a commit status
 * (context "grade", description "87/100") and, if asked, the student's
 * feedback as a commit comment. A post that fails is that row's outcome;
 * nothing here changes a grade.
 */
export async function postResults(gradebook: Gradebook, options: PostOptions): Promise<PostOutcome[]> {
  const github = githubClient({ ...options, userAgent: "message-queues-course-gradebook" });
  const posted = readPosted(options.cacheDir);
  mkdirSync(options.cacheDir, { recursive: true });
  const outcomes: PostOutcome[] = [];
  for (const row of gradebook.rows) {
    const outcome = await postRow(github, gradebook, row, options, posted);
    // Recorded after each row: a run stopped halfway must not post its comments again.
    if (outcome.posted.length > 0 || outcome.problem !== null) writeFileAtomically(postedFile(options.cacheDir), `${JSON.stringify(posted, null, 2)}\n`);
    outcomes.push(outcome);
  }
  return outcomes;
}

async function postRow(github: GitHubClient, gradebook: Gradebook, row: GradebookRow, options: PostOptions, posted: Posted): Promise<PostOutcome> {
  const outcome: PostOutcome = { student: row.student, posted: [], problem: null };
  if (!row.report || !row.commit) return { ...outcome, problem: "not graded, so nothing to post" };
  const where = repositoryOn(options.serverUrl, row.repo);
  if (!where) return { ...outcome, problem: `${row.repo} is not a repository on ${options.serverUrl}` };
  const commit = row.commit;
  const description = `${row.report.score}/${row.report.maxScore}`;
  const showHidden = hiddenTestsShown(row, options.hiddenVisibility ?? defaultHiddenVisibility, Date.now());
  const feedback = fitComment(feedbackFormat.render({ row, course: gradebook.course, showHidden }), feedbackFileName(row));
  // What was last posted for this student, so a rerun posts only what changed, and a half-done post is finished without repeating its other half.
  const fingerprint = (...parts: string[]) => createHash("sha256").update(JSON.stringify([commit, ...parts])).digest("hex");
  const posts = [
    { key: `${row.student}:status`, what: `status ${description}`, fingerprint: fingerprint(description), send: () => github.rest.repos.createCommitStatus({ ...where, sha: commit, state: "success", context: "grade", description, headers: apiVersion }) },
    ...(options.comment ? [{ key: `${row.student}:comment`, what: "comment", fingerprint: fingerprint(feedback), send: () => github.rest.repos.createCommitComment({ ...where, commit_sha: commit, body: feedback, headers: apiVersion }) }] : []),
  ];
  for (const post of posts) {
    if (posted[post.key] === post.fingerprint) continue;
    const refusedKey = `${post.key}:refused`;
    const refused = posted[refusedKey];
    const before = typeof refused === "object" && refused.fingerprint === post.fingerprint ? refused : null;
    if (before && before.runs >= contentRefusalsBeforeGivingUp) {
      outcome.problem = `${post.what} not sent again: GitHub refused it in ${before.runs} runs (${before.problem}); it is sent again when it changes`;
      return outcome;
    }
    try {
      await post.send();
    } catch (error) {
      const problem = postingProblem(error);
      const status = (error as { status?: number }).status ?? 0;
      if (contentRefusal.has(status)) posted[refusedKey] = { fingerprint: post.fingerprint, runs: (before?.runs ?? 0) + 1, problem };
      outcome.problem = `${post.what} not posted: ${problem}`;
      return outcome;
    }
    posted[post.key] = post.fingerprint;
    delete posted[refusedKey];
    outcome.posted.push(post.what);
  }
  return outcome;
}

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { feedbackFormat } from "../report/class/formats.ts";
import type { Gradebook, GradebookRow } from "../report/types.ts";
import { writeFileAtomically } from "../write-atomically.ts";

/** Retries server errors with backoff and waits out rate limits, pacing writes as GitHub asks. */
const GitHub = Octokit.plugin(retry, throttling);
/** The REST API version these calls are written against. */
const apiVersion = { "x-github-api-version": "2022-11-28" };

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
}

export interface PostOutcome {
  student: string;
  /** What was posted, e.g. ["status 87/100", "comment"]; empty when nothing changed or nothing could be. */
  posted: string[];
  /** Why posting failed or was skipped, or null. The grades stand either way. */
  problem: string | null;
}

/** owner/name of a repository on the given host, from its https, ssh or scp-style URL. */
export function repositoryOn(serverUrl: string, repo: string): { owner: string; repo: string } | null {
  const host = new URL(serverUrl).host.replace(/[.]/g, "\\.");
  const match = new RegExp(`^(?:https://${host}/|ssh://git@${host}/|git@${host}:)([\\w.-]+)/([\\w.-]+?)(?:\\.git)?/?$`).exec(repo.trim());
  return match ? { owner: match[1] as string, repo: match[2] as string } : null;
}

const postedFile = (cacheDir: string) => path.join(cacheDir, "posted.json");

function readPosted(cacheDir: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(postedFile(cacheDir), "utf8")) as Record<string, string>;
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
  const scale = options.millisecondsPerSecond ?? 1000;
  const github = new GitHub({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ""),
    userAgent: "message-queues-course-gradebook",
    request: { timeout: options.requestTimeoutMs ?? 30_000 },
    retry: { retryAfterBaseValue: scale },
    throttle: {
      retryAfterBaseValue: scale,
      // Wait out a limit twice, then report the post as failed rather than stall the run.
      onRateLimit: (_after: number, _options: object, _octokit: object, retryCount: number) => retryCount < 2,
      onSecondaryRateLimit: (_after: number, _options: object, _octokit: object, retryCount: number) => retryCount < 2,
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const posted = readPosted(options.cacheDir);
  mkdirSync(options.cacheDir, { recursive: true });
  const outcomes: PostOutcome[] = [];
  for (const row of gradebook.rows) {
    const outcome = await postRow(github, gradebook, row, options, posted);
    // Recorded after each row: a run stopped halfway must not post its comments again.
    if (outcome.posted.length > 0) writeFileAtomically(postedFile(options.cacheDir), `${JSON.stringify(posted, null, 2)}\n`);
    outcomes.push(outcome);
  }
  return outcomes;
}

async function postRow(github: InstanceType<typeof GitHub>, gradebook: Gradebook, row: GradebookRow, options: PostOptions, posted: Record<string, string>): Promise<PostOutcome> {
  const outcome: PostOutcome = { student: row.student, posted: [], problem: null };
  if (!row.report || !row.commit) return { ...outcome, problem: "not graded, so nothing to post" };
  const where = repositoryOn(options.serverUrl, row.repo);
  if (!where) return { ...outcome, problem: `${row.repo} is not a repository on ${options.serverUrl}` };
  const description = `${row.report.score}/${row.report.maxScore}`;
  const feedback = feedbackFormat.render({ row, course: gradebook.course });
  // What was last posted for this student, so a rerun posts only what changed, and a half-done post is finished without repeating its other half.
  const fingerprint = (...parts: string[]) => createHash("sha256").update(JSON.stringify([row.commit, ...parts])).digest("hex");
  const statusDone = `${row.student}:status`;
  const commentDone = `${row.student}:comment`;
  try {
    if (posted[statusDone] !== fingerprint(description)) {
      await github.rest.repos.createCommitStatus({ ...where, sha: row.commit, state: "success", context: "grade", description, headers: apiVersion });
      posted[statusDone] = fingerprint(description);
      outcome.posted.push(`status ${description}`);
    }
    if (options.comment && posted[commentDone] !== fingerprint(feedback)) {
      await github.rest.repos.createCommitComment({ ...where, commit_sha: row.commit, body: feedback, headers: apiVersion });
      posted[commentDone] = fingerprint(feedback);
      outcome.posted.push("comment");
    }
  } catch (error) {
    outcome.problem = postingProblem(error);
  }
  return outcome;
}

import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";

/** Retries server errors with backoff and waits out rate limits, pacing writes as GitHub asks. */
const GitHub = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHub>;

/** The REST API version these calls are written against. */
export const apiVersion = { "x-github-api-version": "2022-11-28" };

export interface ClientOptions {
  token: string;
  /** GitHub's REST API: $GITHUB_API_URL in Actions, https://api.github.com elsewhere. */
  apiUrl: string;
  userAgent: string;
  /** Milliseconds per second of waiting, for retries and rate limits; tests shorten it. */
  millisecondsPerSecond?: number;
  /** Times out one request, milliseconds. */
  requestTimeoutMs?: number;
}

/** An Octokit for the course's commands: quiet, and a limit waited out twice before the call fails rather than stall the run. */
export function githubClient(options: ClientOptions): GitHubClient {
  const scale = options.millisecondsPerSecond ?? 1000;
  const twice = (_after: number, _options: object, _octokit: object, retryCount: number) => retryCount < 2;
  return new GitHub({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ""),
    userAgent: options.userAgent,
    request: { timeout: options.requestTimeoutMs ?? 30_000 },
    retry: { retryAfterBaseValue: scale },
    throttle: { retryAfterBaseValue: scale, onRateLimit: twice, onSecondaryRateLimit: twice },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { postResults } from "../../grader/gradebook/post-status.ts";
import { checkGradebook } from "../../grader/report/class/schema.ts";
import type { Gradebook } from "../../grader/report/types.ts";
import { courseRoot } from "./support/course.ts";

// GitHub cannot be reached from here, so a local server plays it, checking
// every request against GitHub's REST API documentation:
// https://docs.github.com/en/rest/commits/statuses#create-a-commit-status
// https://docs.github.com/en/rest/commits/comments#create-a-commit-comment
// https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api#headers

interface Received {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

const token = "ghp_test-token-of-the-course";
const gradebook = checkGradebook(JSON.parse(readFileSync(path.join(courseRoot, "tests", "course", "golden", "inputs", "class.gradebook.json"), "utf8")));
let server: Server;
let apiUrl = "";
let received: Received[] = [];
let problems: string[] = [];
/** How the fake GitHub answers the next requests to a path, before it answers 201. */
let scripted = new Map<string, { status: number; headers?: Record<string, string>; body: object }[]>();
let work = "";

function checkAgainstDocs(request: IncomingMessage, body: string): Record<string, unknown> | null {
  const fail = (problem: string) => {
    problems.push(`${request.method} ${request.url}: ${problem}`);
    return null;
  };
  if (request.method !== "POST") return fail("should be POST");
  if (request.headers.authorization !== `token ${token}`) return fail(`authorization is ${request.headers.authorization}`);
  if (!/^application\/vnd\.github(\.v3)?\+json$/.test(request.headers.accept ?? "")) return fail(`accept is ${request.headers.accept}`);
  if (request.headers["x-github-api-version"] !== "2022-11-28") return fail(`x-github-api-version is ${request.headers["x-github-api-version"]}`);
  if (!request.headers["user-agent"]?.startsWith("message-queues-course-gradebook")) return fail(`user-agent is ${request.headers["user-agent"]}`);
  if (!request.headers["content-type"]?.startsWith("application/json")) return fail(`content-type is ${request.headers["content-type"]}`);
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return fail("body is not JSON");
  }
  const url = request.url ?? "";
  if (/^\/repos\/[\w.-]+\/[\w.-]+\/statuses\/[0-9a-f]{40}$/.test(url)) {
    const extra = Object.keys(parsed).filter((key) => !["state", "target_url", "description", "context"].includes(key));
    if (extra.length > 0) return fail(`unknown status fields ${extra.join(", ")}`);
    if (!["error", "failure", "pending", "success"].includes(String(parsed["state"]))) return fail(`state is ${parsed["state"]}`);
    if (typeof parsed["description"] !== "string" || parsed["description"].length > 140) return fail("description must be a string of at most 140 characters");
    if (parsed["context"] !== "grade") return fail(`context is ${parsed["context"]}`);
  } else if (/^\/repos\/[\w.-]+\/[\w.-]+\/commits\/[0-9a-f]{40}\/comments$/.test(url)) {
    const extra = Object.keys(parsed).filter((key) => !["body", "path", "position", "line"].includes(key));
    if (extra.length > 0 || typeof parsed["body"] !== "string" || parsed["body"] === "") return fail("a commit comment is { body } with a non-empty body");
  } else {
    return fail("not an endpoint the gradebook should call");
  }
  return parsed;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "mq-post-test-"));
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const parsed = checkAgainstDocs(request, body);
      received.push({ method: request.method ?? "", path: request.url ?? "", body: parsed ?? {} });
      const next = scripted.get(request.url ?? "")?.shift();
      const status = parsed === null ? 400 : (next?.status ?? 201);
      response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...next?.headers });
      response.end(JSON.stringify(next?.body ?? { id: received.length, state: parsed?.["state"] ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  received = [];
  problems = [];
  scripted = new Map();
});

const rowOf = (student: string) => gradebook.rows.find((row) => row.student === student);
const statusPath = (student: string) => `/repos/example-class/mq-${student}/statuses/${rowOf(student)?.commit}`;
const commentPath = (student: string) => `/repos/example-class/mq-${student}/commits/${rowOf(student)?.commit}/comments`;
/** A row's points as its status gives them ("31/31"), read from the golden gradebook. */
const pointsOf = (student: string) => `${rowOf(student)?.report?.score}/${rowOf(student)?.report?.maxScore}`;

describe("--post-status posts each graded commit's result to GitHub", { timeout: 60_000 }, () => {
  test("a status and a comment per graded commit; server errors retried, a rate limit waited out, a refusal reported, and no grade changed", async () => {
    const before: Gradebook = structuredClone(gradebook);
    scripted.set(statusPath("alice"), [{ status: 502, body: { message: "Bad Gateway" } }]);
    const reset = String(Math.floor(Date.now() / 1000));
    scripted.set(statusPath("bob"), [{ status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }, body: { message: "API rate limit exceeded" } }]);
    scripted.set(statusPath("carol"), [{ status: 422, body: { message: "Validation Failed" } }]);
    const cacheDir = path.join(work, "cache-direct");
    const outcomes = await postResults(gradebook, { token, apiUrl, serverUrl: "https://github.com", comment: true, cacheDir, millisecondsPerSecond: 1 });

    expect(problems).toEqual([]);
    expect(outcomes).toEqual([
      { student: "alice", posted: [`status ${pointsOf("alice")}`, "comment"], problem: null },
      { student: "bob", posted: [`status ${pointsOf("bob")}`, "comment"], problem: null },
      { student: "carol", posted: [], problem: expect.stringMatching(new RegExp(`^status ${pointsOf("carol")} not posted: GitHub said 422: Validation Failed`)) },
      { student: "dan", posted: [`status ${pointsOf("dan")}`, "comment"], problem: null },
      { student: "eve", posted: [], problem: "not graded, so nothing to post" },
      { student: "=cmd|frank", posted: [], problem: "not graded, so nothing to post" },
    ]);
    expect(received.map((request) => request.path)).toEqual([
      statusPath("alice"),
      statusPath("alice"),
      commentPath("alice"),
      statusPath("bob"),
      statusPath("bob"),
      commentPath("bob"),
      statusPath("carol"),
      statusPath("dan"),
      commentPath("dan"),
    ]);
    expect(received[1]?.body).toEqual({ state: "success", context: "grade", description: pointsOf("alice") });
    const comment = String(received[2]?.body["body"]);
    expect(comment).toContain(`**${pointsOf("alice")} points**`);
    expect(comment).toBe(readFileSync(path.join(courseRoot, "tests", "course", "golden", "feedback", "class.row-1.md"), "utf8"));
    expect(gradebook).toEqual(before);

    // Run again: only what failed is posted; what was posted is not repeated.
    received = [];
    const again = await postResults(gradebook, { token, apiUrl, serverUrl: "https://github.com", comment: true, cacheDir, millisecondsPerSecond: 1 });
    expect(received.map((request) => request.path)).toEqual([statusPath("carol"), commentPath("carol")]);
    expect(again.find((outcome) => outcome.student === "alice")).toEqual({ student: "alice", posted: [], problem: null });
  });

  test("a token GitHub refuses is reported once per row, in words that say what to fix", async () => {
    for (const student of ["alice", "bob", "carol", "dan"]) scripted.set(statusPath(student), [{ status: 401, body: { message: "Bad credentials" } }]);
    const outcomes = await postResults(gradebook, { token, apiUrl, serverUrl: "https://github.com", comment: false, cacheDir: path.join(work, "cache-refused"), millisecondsPerSecond: 1 });
    expect(outcomes.slice(0, 4).map((outcome) => outcome.problem)).toEqual(outcomes.slice(0, 4).map((outcome) => `status ${pointsOf(outcome.student)} not posted: GitHub refused the token (401): check GITHUB_TOKEN`));
    expect(received).toHaveLength(4);
    // A token is yours to fix: every run tries again, however often it was refused.
    const alice = { ...gradebook, rows: gradebook.rows.filter((row) => row.student === "alice") };
    for (let run = 0; run < 3; run++) {
      received = [];
      scripted.set(statusPath("alice"), [{ status: 401, body: { message: "Bad credentials" } }]);
      await postResults(alice, { token, apiUrl, serverUrl: "https://github.com", comment: false, cacheDir: path.join(work, "cache-refused"), millisecondsPerSecond: 1 });
      expect(received).toHaveLength(1);
    }
  });

  test("a comment that would pass GitHub's 65,536 characters is cut at a whole line, with a note that says where the rest is", async () => {
    const long = structuredClone(gradebook);
    const alice = long.rows.find((row) => row.student === "alice");
    const module = alice?.report?.modules[0];
    if (!alice?.report || !module) throw new Error("the golden gradebook has no alice");
    // A started module with 2,000 failing tests, each with a long message.
    module.score = 0;
    alice.report.score = 0;
    module.untouched = false;
    module.tests = Array.from({ length: 2_000 }, (_, index) => ({ ...module.tests[0]!, name: `test ${index}`, status: "failed" as const, message: "x".repeat(60) }));
    await postResults({ ...long, rows: [alice] }, { token, apiUrl, serverUrl: "https://github.com", comment: true, cacheDir: path.join(work, "cache-long"), millisecondsPerSecond: 1 });
    expect(problems).toEqual([]);
    const body = String(received.find((request) => request.path === commentPath("alice"))?.body["body"]);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain(" test 0: `xxx");
    expect(body).not.toContain("test 1999");
    expect(body).toMatch(/\n\n> The rest of this feedback is left off: GitHub takes comments of up to 65,536 characters\. All of it is in `feedback\/alice\.md` of the gradebook your instructor keeps/);
  });

  test("a post GitHub refuses for what it holds is tried in three runs, then not again until it changes; the status posted beside it is reported", async () => {
    const cacheDir = path.join(work, "cache-422");
    const only = { ...gradebook, rows: gradebook.rows.filter((row) => row.student === "alice") };
    for (let run = 1; run <= 4; run++) {
      received = [];
      scripted.set(commentPath("alice"), [{ status: 422, body: { message: "Validation Failed: body is too long" } }]);
      const [outcome] = await postResults(only, { token, apiUrl, serverUrl: "https://github.com", comment: true, cacheDir, millisecondsPerSecond: 1 });
      if (run === 1) expect(outcome).toEqual({ student: "alice", posted: [`status ${pointsOf("alice")}`], problem: "comment not posted: GitHub said 422: Validation Failed: body is too long" });
      if (run <= 3) expect(received.map((request) => request.path)).toEqual(run === 1 ? [statusPath("alice"), commentPath("alice")] : [commentPath("alice")]);
      else {
        expect(received, "the fourth run sends nothing").toEqual([]);
        expect(outcome?.problem).toBe("comment not sent again: GitHub refused it in 3 runs (GitHub said 422: Validation Failed: body is too long); it is sent again when it changes");
      }
    }
    // New feedback (a new grade) is sent again.
    const changed = structuredClone(only);
    changed.rows[0]!.report!.score = 30;
    received = [];
    scripted = new Map();
    const [outcome] = await postResults(changed, { token, apiUrl, serverUrl: "https://github.com", comment: true, cacheDir, millisecondsPerSecond: 1 });
    expect(received.map((request) => request.path)).toEqual([statusPath("alice"), commentPath("alice")]);
    expect(outcome?.problem).toBeNull();
  });

  test("from the command line, after a merge: GITHUB_TOKEN and GITHUB_API_URL as Actions sets them", async () => {
    const shard = path.join(work, "shard");
    mkdirSync(shard, { recursive: true });
    writeFileSync(path.join(shard, "gradebook.json"), JSON.stringify(gradebook));
    const tsx = path.join(courseRoot, "node_modules", "tsx", "dist", "cli.mjs");
    const child = spawn(process.execPath, [tsx, path.join(courseRoot, "grader", "cli", "gradebook.ts"), "merge", shard, "--out", path.join(work, "merged"), "--cache", path.join(work, "cache-cli"), "--post-status"], {
      cwd: work,
      env: { ...process.env, GITHUB_TOKEN: token, GITHUB_API_URL: apiUrl, GITHUB_SERVER_URL: "https://github.com", NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(status, stderr).toBe(1); // two rows could not be graded
    expect(problems).toEqual([]);
    expect(received.map((request) => request.path)).toEqual(["alice", "bob", "carol", "dan"].map(statusPath));
    expect(stdout).toContain("Posted results to 4 commit(s); 0 could not be posted in full (the grades stand).");
  });
});

import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// GitHub cannot be reached from the tests, so a local server plays a class
// organisation, answering only what GitHub's REST API documents for the calls
// the course's commands make:
// https://docs.github.com/en/rest/repos/repos#list-organization-repositories
// https://docs.github.com/en/rest/repos/repos#get-a-repository (template_repository)
// https://docs.github.com/en/rest/collaborators/collaborators#list-repository-collaborators
// https://docs.github.com/en/rest/commits/statuses#create-a-commit-status
// https://docs.github.com/en/rest/commits/comments#create-a-commit-comment

export interface FakeRepository {
  name: string;
  /** owner/name of the template it was made from, or null. */
  template: string | null;
  createdAt: string;
  /** Direct collaborators: login and whether they are admins. */
  collaborators: Array<{ login: string; admin: boolean }>;
}

/** A status or comment the fake organisation received. */
export interface FakePost {
  path: string;
  body: Record<string, unknown>;
}

export interface FakeGitHub {
  apiUrl: string;
  /** Requests that break the documented API (wrong method, headers or fields). */
  problems: string[];
  posts: FakePost[];
  /** The paths of the GET requests, in order. */
  reads: string[];
  close(): Promise<void>;
}

const apiVersion = "2022-11-28";

function headerProblems(request: IncomingMessage, token: string): string[] {
  const problems: string[] = [];
  if (request.headers.authorization !== `token ${token}`) problems.push(`authorization is ${request.headers.authorization}`);
  if (request.headers["x-github-api-version"] !== apiVersion) problems.push(`x-github-api-version is ${request.headers["x-github-api-version"]}`);
  if (!request.headers["user-agent"]?.startsWith("message-queues-course")) problems.push(`user-agent is ${request.headers["user-agent"]}`);
  return problems;
}

function postProblems(url: string, body: Record<string, unknown>): string[] {
  if (/^\/repos\/[\w.-]+\/[\w.-]+\/statuses\/[0-9a-f]{40}$/.test(url)) {
    const extra = Object.keys(body).filter((key) => !["state", "target_url", "description", "context"].includes(key));
    const problems = extra.length > 0 ? [`unknown status fields ${extra.join(", ")}`] : [];
    if (!["error", "failure", "pending", "success"].includes(String(body["state"]))) problems.push(`state is ${body["state"]}`);
    if (typeof body["description"] !== "string" || body["description"].length > 140) problems.push("description must be a string of at most 140 characters");
    return problems;
  }
  if (/^\/repos\/[\w.-]+\/[\w.-]+\/commits\/[0-9a-f]{40}\/comments$/.test(url)) {
    const extra = Object.keys(body).filter((key) => !["body", "path", "position", "line"].includes(key));
    if (extra.length > 0 || typeof body["body"] !== "string" || body["body"] === "") return ["a commit comment is { body } with a non-empty body"];
    if (body["body"].length > 65_536) return ["a commit comment holds at most 65,536 characters"];
    return [];
  }
  return ["not an endpoint the course should post to"];
}

/** Starts a fake GitHub holding one organisation's repositories; `close` stops it. */
export async function startFakeGitHub(options: { org: string; token: string; repositories: FakeRepository[] }): Promise<FakeGitHub> {
  const { org, token, repositories } = options;
  const problems: string[] = [];
  const posts: FakePost[] = [];
  const reads: string[] = [];
  let apiUrl = "";
  const server: Server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString()));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://localhost");
      const where = `${request.method} ${url.pathname}`;
      problems.push(...headerProblems(request, token).map((problem) => `${where}: ${problem}`));
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
        response.end(JSON.stringify(body));
      };
      if (request.method === "POST") {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          problems.push(`${where}: body is not JSON`);
        }
        const refused = postProblems(url.pathname, body);
        problems.push(...refused.map((problem) => `${where}: ${problem}`));
        if (refused.length > 0) return send(422, { message: refused.join("; ") });
        posts.push({ path: url.pathname, body });
        return send(201, { id: posts.length });
      }
      if (request.method !== "GET") {
        problems.push(`${where}: unexpected method`);
        return send(405, { message: "Method Not Allowed" });
      }
      reads.push(url.pathname);
      const list = /^\/orgs\/([^/]+)\/repos$/.exec(url.pathname);
      if (list) {
        if (list[1] !== org) return send(404, { message: "Not Found" });
        // The default type leaves out repositories the token sees only as an organisation member's.
        if (url.searchParams.get("type") !== "all") problems.push(`${where}: type should be all`);
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        const last = Math.max(1, Math.ceil(repositories.length / perPage));
        const next = `${apiUrl}/orgs/${org}/repos?type=all&per_page=${perPage}&page=`;
        const link: Record<string, string> = page < last ? { link: `<${next}${page + 1}>; rel="next", <${next}${last}>; rel="last"` } : {};
        const slice = repositories.slice((page - 1) * perPage, page * perPage);
        return send(200, slice.map((repository) => ({ name: repository.name, full_name: `${org}/${repository.name}` })), link);
      }
      const collaborators = /^\/repos\/([^/]+)\/([^/]+)\/collaborators$/.exec(url.pathname);
      if (collaborators) {
        // Outside collaborators and organisation owners are not who made the repository.
        if (url.searchParams.get("affiliation") !== "direct") problems.push(`${where}: affiliation should be direct`);
        const repository = repositories.find((candidate) => candidate.name === collaborators[2]);
        if (!repository) return send(404, { message: "Not Found" });
        return send(200, repository.collaborators.map(({ login, admin }) => ({ login, permissions: { admin, push: true, pull: true } })));
      }
      const single = /^\/repos\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (single) {
        const repository = repositories.find((candidate) => candidate.name === single[2]);
        if (!repository) return send(404, { message: "Not Found" });
        const template = repository.template ? { full_name: repository.template } : null;
        return send(200, { name: repository.name, full_name: `${org}/${repository.name}`, created_at: repository.createdAt, template_repository: template });
      }
      problems.push(`${where}: not an endpoint the course should call`);
      send(404, { message: "Not Found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { apiUrl, problems, posts, reads, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { GraderInputError } from "../errors.ts";
import { apiVersion, githubClient } from "./github.ts";

/** One student of the class list: a GitHub login and a student id, with whatever else the list holds (name, email, section). */
export interface ClassMember {
  login: string;
  student: string;
  /** Every column of the class list, by its header, in the list's order. */
  columns: Record<string, string>;
}

export interface ClassList {
  header: string[];
  members: ClassMember[];
}

/** A class list: a CSV whose header names at least `login` and `student`. */
export function loadClassList(file: string): ClassList {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new GraderInputError(`--class: ${file} ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read"}`);
  }
  let rows: string[][];
  try {
    rows = parse(bytes, { bom: true, trim: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new GraderInputError(`--class: ${file} is not valid CSV (${(error as Error).message.split("\n")[0]})`);
  }
  const header = (rows[0] ?? []).map((name) => name.toLowerCase());
  for (const required of ["login", "student"]) {
    if (!header.includes(required)) throw new GraderInputError(`--class: ${file} has no "${required}" column (its header is: ${header.join(", ") || "empty"})`);
  }
  const seen = new Set<string>();
  const members = rows.slice(1).map((row, index) => {
    const columns = Object.fromEntries(header.map((name, column) => [name, row[column] ?? ""]));
    const login = (columns["login"] ?? "").toLowerCase();
    if (login === "") throw new GraderInputError(`--class: ${file} row ${index + 1} has no login`);
    if (seen.has(login)) throw new GraderInputError(`--class: ${file} lists the login ${login} twice`);
    seen.add(login);
    return { login, student: columns["student"] ?? "", columns };
  });
  return { header, members };
}

export interface ClassRoster {
  /** The roster CSV the gradebook reads: student and repo first, then the class list's other columns. */
  csv: string;
  /** Students with a repository from the template, by student id. */
  matched: number;
  /** Class members with no repository from the template yet. */
  missing: ClassMember[];
  /** Repositories from the template whose creator is on no class list row (a TA's test, a guest), by full name. */
  unmatched: string[];
  /** Class members with more than one repository from the template: the newest is used; the rest are named. */
  duplicates: string[];
}

export interface RosterOptions {
  org: string;
  /** OWNER/REPO of the class template. */
  template: string;
  token: string;
  apiUrl: string;
  /** The web host the repositories live on, for their clone URLs. */
  serverUrl: string;
  /** Milliseconds per second of waiting, for retries and rate limits; tests shorten it. */
  millisecondsPerSecond?: number;
}

/**
 * Lists the organisation's repositories made from the template (each
 * repository's `template_repository`), finds who made each one (its direct
 * collaborator with admin rights, as GitHub makes the student who creates a
 * repository in an organisation), and matches them to the class list.
 */
export async function buildClassRoster(classList: ClassList, options: RosterOptions): Promise<ClassRoster> {
  const github = githubClient({ ...options, userAgent: "message-queues-course-roster" });
  const template = options.template.toLowerCase();
  let repositories: Array<{ name: string; full_name: string; created_at?: string | null }>;
  try {
    repositories = await github.paginate(github.rest.repos.listForOrg, { org: options.org, type: "all", per_page: 100, headers: apiVersion });
  } catch (error) {
    throw new GraderInputError(`GitHub would not list the repositories of ${options.org}: ${describe(error)}`);
  }
  const byLogin = new Map(classList.members.map((member) => [member.login, member]));
  const found = new Map<string, Array<{ fullName: string; createdAt: string }>>();
  const unmatched: string[] = [];
  for (const repository of repositories) {
    let details;
    try {
      details = (await github.rest.repos.get({ owner: options.org, repo: repository.name, headers: apiVersion })).data;
    } catch (error) {
      throw new GraderInputError(`GitHub would not show ${repository.full_name}: ${describe(error)}`);
    }
    if (details.template_repository?.full_name.toLowerCase() !== template) continue;
    const collaborators = await github.paginate(github.rest.repos.listCollaborators, { owner: options.org, repo: repository.name, affiliation: "direct", per_page: 100, headers: apiVersion });
    const creators = collaborators.filter((person) => person.permissions?.admin === true && byLogin.has(person.login.toLowerCase()));
    if (creators.length !== 1) {
      unmatched.push(details.full_name);
      continue;
    }
    const login = (creators[0] as { login: string }).login.toLowerCase();
    found.set(login, [...(found.get(login) ?? []), { fullName: details.full_name, createdAt: details.created_at ?? "" }]);
  }
  const others = classList.header.filter((name) => name !== "student" && name !== "login");
  const rows: string[][] = [["student", "repo", "login", ...others]];
  const missing: ClassMember[] = [];
  const duplicates: string[] = [];
  for (const member of classList.members) {
    const repositoriesOfMember = (found.get(member.login) ?? []).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    const [newest, ...older] = repositoriesOfMember;
    if (!newest) {
      missing.push(member);
      continue;
    }
    if (older.length > 0) duplicates.push(`${member.login}: ${newest.fullName} used; also ${older.map((repository) => repository.fullName).join(", ")}`);
    rows.push([member.student, `${options.serverUrl.replace(/\/+$/, "")}/${newest.fullName}.git`, member.login, ...others.map((name) => member.columns[name] ?? "")]);
  }
  return { csv: stringify(rows, { record_delimiter: "\r\n" }), matched: rows.length - 1, missing, unmatched: unmatched.sort(), duplicates };
}

function describe(error: unknown): string {
  const status = (error as { status?: number }).status;
  if (status === 401) return "it refused the token (401): check GITHUB_TOKEN";
  if (status === 403 || status === 404) return `${status}: the token cannot read the organisation's repositories (it needs Metadata: read on all of them, and its resource owner must be the organisation)`;
  const message = (error as Error).message?.split("\n")[0] ?? String(error);
  return status ? `${status}: ${message}` : `could not reach GitHub: ${message}`;
}

import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { GraderInputError } from "../errors.ts";
import { printable } from "../report/text.ts";
import { writeFileAtomically } from "../write-atomically.ts";
import { argumentError, npmChecked, runCommand } from "./run-command.ts";

const usage = "npm run roster -- --org ORG --template OWNER/REPO --class CLASS.csv [--out FILE.csv] [--force]";

const help = `Writes the gradebook's roster from GitHub: the organisation's repositories made from the class
template, matched to a class list by their creators' GitHub logins.

Usage: ${usage}

  --org ORG             the class organisation, where students create their repositories
  --template OWNER/REPO the class template they create them from
  --class CLASS.csv     the class list: columns login and student (the id the gradebook uses),
                        and any others (name, email, section), carried into the roster
  --out FILE.csv        where the roster goes (default: class/roster.csv)
  --force               replace an existing roster

GITHUB_TOKEN: a fine-grained token whose resource owner is the organisation, with access to
all its repositories and Metadata: read (GITHUB_API_URL and GITHUB_SERVER_URL as Actions sets them).

Exit status: 0 every student on the class list has a repository, 1 some have none yet (named),
2 bad input (nothing written).`;

const templatePattern = /^[\w.-]+\/[\w.-]+$/;

/** `npm run roster`: the class's repositories, found on GitHub and matched to the class list. */
await runCommand(async () => {
  let values;
  try {
    ({ values } = parseArgs(npmChecked({
      options: {
        org: { type: "string" },
        template: { type: "string" },
        class: { type: "string" },
        out: { type: "string" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    })));
  } catch (error) {
    throw argumentError(error, usage);
  }
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  for (const required of ["org", "template", "class"] as const) {
    if (values[required] === undefined) throw new GraderInputError(`--${required} is required (usage: ${usage})`);
  }
  const template = values.template ?? "";
  if (!templatePattern.test(template)) throw new GraderInputError(`--template: "${template}" is not OWNER/REPO`);
  const out = path.resolve(values.out ?? path.join("class", "roster.csv"));
  if (existsSync(out) && !values.force) throw new GraderInputError(`--out: ${values.out ?? "class/roster.csv"} exists; use --force to replace it`);
  if (!existsSync(path.dirname(out))) throw new GraderInputError(`--out: folder ${path.dirname(values.out ?? "class/roster.csv")} does not exist`);
  const token = process.env["GITHUB_TOKEN"] ?? "";
  if (token === "") throw new GraderInputError("set GITHUB_TOKEN to a token that can read the organisation's repositories (see --help)");

  // Loaded only now: a typo in the options is answered at once.
  const { buildClassRoster, loadClassList } = await import("../gradebook/class-roster.ts");
  const classList = loadClassList(path.resolve(values.class ?? ""));
  const roster = await buildClassRoster(classList, {
    org: values.org ?? "",
    template,
    token,
    apiUrl: process.env["GITHUB_API_URL"] || "https://api.github.com",
    serverUrl: process.env["GITHUB_SERVER_URL"] || "https://github.com",
  });
  writeFileAtomically(out, roster.csv);
  process.stdout.write(`Wrote ${path.relative(process.cwd(), out) || out}: ${roster.matched} of ${classList.members.length} students have a repository from ${template}.\n`);
  for (const member of roster.missing) process.stdout.write(`  no repository yet: ${printable(member.login)} (${printable(member.student)})\n`);
  for (const line of roster.duplicates) process.stdout.write(`  more than one repository: ${printable(line)}\n`);
  for (const name of roster.unmatched) process.stdout.write(`  from the template, but made by no one on the class list: ${printable(name)}\n`);
  return roster.missing.length === 0 ? 0 : 1;
});

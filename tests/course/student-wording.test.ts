import { parse as parseJsonc } from "jsonc-parser";
import { describe, expect, test } from "vitest";
import { ts } from "../../grader/course/typescript.ts";
import { buildStudentTree } from "../../grader/release/student-tree.ts";
import { courseRoot } from "./support/course.ts";

/**
 * What a student reads about grading must match what each command checks.
 * Locally and on push: the public tests, types and the quiz format. The
 * instructor's grader: the hidden tests and the quiz answers. This test finds
 * every sentence of the student repository that speaks of "hidden", "grade"
 * or "100%" and requires each to be one of the claims below, each true of the
 * command it names; a new sentence must be added here with why it holds.
 */

interface Claim {
  why: string;
  matches: (sentence: string) => boolean;
}

const has = (pattern: RegExp) => (sentence: string) => pattern.test(sentence);

/** Said nowhere: each names a check a student's copy does not make. */
const untrue: Array<{ pattern: RegExp; why: string }> = [
  { pattern: /hidden tests included/i, why: "npm run grade in a student's copy has no hidden tests" },
  { pattern: /check your grade/i, why: "nothing in a student's copy computes the grade" },
  { pattern: /every point (of .* )?earned/i, why: "a practice run earns no points" },
  { pattern: /the way the grading run does/i, why: "the practice check is not the grading run" },
  { pattern: /as GitHub does after you push/i, why: "the push workflow runs the practice check, not the grade" },
  { pattern: /decided when you grade/i, why: "npm run grade never checks quiz answers" },
  { pattern: /\(100%\)/, why: "a practice run shows no percentage" },
];

/** Every sentence about hidden tests, grading or 100% must be one of these. */
const claims: Claim[] = [
  { why: "credits the instructor's grader with the hidden tests or the answers, which it runs", matches: has(/instructor/i) },
  {
    why: "a message that stays hidden while leased (module 03's visibility timeout), not a test",
    matches: (sentence) => /\bhidden\b/i.test(sentence) && (!/\b(tests?|grad\w*|answers?)\b/i.test(sentence) || /message is still hidden/i.test(sentence)),
  },
  {
    why: "what the instructor's grader shows for a failed hidden test, and that every rule has a public test first",
    matches: has(/failed hidden test shows/i),
  },
  {
    why: "says a check does not run here: the push workflow's job name",
    matches: has(/hidden tests are not run here/i),
  },
  {
    why: "the README's heading over the instructor's grader and its schedule",
    matches: has(/^#+ Where your grade comes from$/),
  },
  {
    why: "the path of the grader's own schema file, not a claim",
    matches: has(/^\.\/grader\/course\/course\.schema\.json$/),
  },
  {
    why: "the grader reads only exercises/ and the quiz boxes, so a test file a student adds changes nothing",
    matches: has(/the grader ignores test files you add/i),
  },
  {
    why: "states what the hidden tests check (the rules, a model run, speed), not where they run",
    matches: has(/^(the )?hidden tests (that grade your work )?(check|decide)|hidden tests check|the hidden tests that grade your work check/i),
  },
  {
    why: "names what the grader (the instructor's, with the hidden suites) checks, as the lesson's and stub's rule lists",
    matches: has(/the rules the grader checks|the grader (checks|tests only|accepts|enqueues|also checks)|the grading test|graded tests/i),
  },
  {
    why: "says where a module's points come from (its quiz, its exercise), as course.json's points do",
    matches: has(/module is graded by its quiz|an auto-graded typescript course/i),
  },
  {
    why: "npm run grade described as the practice check: public tests, types and quiz format, no hidden tests",
    matches: (sentence) => /npm run grade/.test(sentence) && /practice|public tests|the check your push runs/i.test(sentence),
  },
  {
    why: "the practice workflow's name and files (Practice grade, grade-report.json), which are what the push runs",
    matches: has(/practice grade|grade-report\.json|practice: public tests|name: practice/i),
  },
  {
    why: "the grader in the suites' support code: how workloads, clocks and budgets run under grading, not what it checks",
    matches: has(/under the grader|the grader (never passes|runs it|the seed)|hanging the grader|grading several modules|for each grading|draws for each grading/i),
  },
  { why: "a load of 100% of a worker's capacity in module 02's and 05's experiments", matches: has(/100 ?%.*(capacity|workers|load|overloaded|urgent)|(load|capacity|workers|urgent|rows).*100 ?%/i) },
];

const textFiles = /^(README\.md|lessons\/.*\.md|exercises\/.*\.ts|tests\/(public|support)\/.*\.ts|experiments\/.*\.ts|\.github\/.*\.yml|\.devcontainer\/.*|course\.json)$/;

/** Every string in a JSON value (course.json's titles and hints). */
function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(stringsOf);
  return [];
}

/** A YAML file's comment blocks, joined, and each other line on its own. */
function yamlProse(text: string): string[] {
  const pieces: string[] = [];
  let comment: string[] = [];
  for (const line of text.split("\n")) {
    const match = /^\s*#\s?(.*)$/.exec(line);
    if (match) {
      comment.push(match[1] ?? "");
      continue;
    }
    if (comment.length > 0) pieces.push(comment.join(" "));
    comment = [];
    pieces.push(line);
  }
  return [...pieces, comment.join(" ")];
}

/** A TypeScript file's comments (a run of line comments as one) and string literals, where students read words; module paths left out. */
function codeProse(text: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, text);
  const pieces: string[] = [];
  let lineComment: string[] = [];
  const endLineComment = () => {
    if (lineComment.length > 0) pieces.push(lineComment.join(" "));
    lineComment = [];
  };
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia) {
      lineComment.push(scanner.getTokenText().replace(/^\/\/\s?/, ""));
      continue;
    }
    if (token === ts.SyntaxKind.NewLineTrivia || token === ts.SyntaxKind.WhitespaceTrivia) continue;
    endLineComment();
    if (token === ts.SyntaxKind.MultiLineCommentTrivia) {
      pieces.push(scanner.getTokenText().replace(/^\s*(\/\*\*?|\*\/|\*)\s?/gm, "").replace(/\*\/\s*$/, ""));
    } else if ((token === ts.SyntaxKind.StringLiteral || token === ts.SyntaxKind.NoSubstitutionTemplateLiteral) && !/^[.@]?[\w./-]+\.(ts|js|json)$|^[.@][\w./-]+$/.test(scanner.getTokenValue())) {
      pieces.push(scanner.getTokenValue());
    }
  }
  endLineComment();
  return pieces;
}

/** Prose of a file, where students read words: Markdown as it is, code as its comments and strings, JSON as its strings. */
function proseOf(file: string, text: string): string[] {
  if (file.endsWith(".ts")) return codeProse(text);
  if (file.endsWith(".json")) return stringsOf(parseJsonc(text));
  if (file.endsWith(".yml")) return yamlProse(text);
  return [text];
}

/** Sentences: split at a full stop, colon-led list or paragraph break, with whitespace made single. */
function sentencesOf(prose: string): string[] {
  return prose
    .split(/\n\s*\n|(?<=[.!?])\s+(?=[A-Z`(])|\n(?=\s*[-|*] )/)
    .map((sentence) => sentence.replace(/\s+/g, " ").trim())
    .filter((sentence) => sentence !== "");
}

const speaksOfGrading = /\bhidden\b|\bgrad(e|ed|es|ing|er)\b|100 ?%/i;

describe("the student repository's words about grading", () => {
  const tree = buildStudentTree(courseRoot);
  const found: Array<{ file: string; sentence: string }> = [];
  for (const [file, { content }] of tree) {
    if (!textFiles.test(file)) continue;
    for (const prose of proseOf(file, content.toString("utf8"))) {
      for (const sentence of sentencesOf(prose)) if (speaksOfGrading.test(sentence)) found.push({ file, sentence });
    }
  }

  test("the search finds the sentences it is about, in lessons, stubs, public tests, the README and the workflow", () => {
    const files = new Set(found.map(({ file }) => file));
    for (const expected of ["README.md", "lessons/01-task-queue/README.md", "exercises/04-dead-letter-queue/message-queue.ts", "tests/public/01-task-queue.test.ts", ".github/workflows/practice.yml"]) {
      expect(files, expected).toContain(expected);
    }
  });

  test("no sentence claims a check that a student's copy does not make", () => {
    const wrong = found.flatMap(({ file, sentence }) => untrue.filter(({ pattern }) => pattern.test(sentence)).map(({ why }) => `${file}: "${sentence}" (${why})`));
    expect(wrong).toEqual([]);
  });

  test("every sentence about hidden tests, grading or 100% is a claim listed here, true of the command it names", () => {
    const unexplained = found.filter(({ sentence }) => !claims.some((claim) => claim.matches(sentence))).map(({ file, sentence }) => `${file}: "${sentence}"`);
    expect(unexplained).toEqual([]);
  });

  test("each claim listed here is still made somewhere (a stale claim would let a new sentence through)", () => {
    const unused = claims.filter((claim) => !found.some(({ sentence }) => claim.matches(sentence))).map(({ why }) => why);
    expect(unused).toEqual([]);
  });
});

import { parse as parseJsonc } from "jsonc-parser";
import { describe, expect, test } from "vitest";
import type TypeScript from "typescript";
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
    why: "a scorecard's label (each followed on screen by who grades it), or the scorecard's heading word for an instructor's grading",
    matches: has(/^(hidden tests|hidden tests and quiz answers|grading|your grade)$/i),
  },
  {
    why: "printed only where hidden suites ran (an instructor's grading): a practice run says \"checked\" and never counts hidden tests",
    matches: has(/^Graded … in … s\.$|^graded in … s$|This run graded only|hidden test\(s\) fail/),
  },
  {
    why: "says what a practice run does not check, or that public progress is not the grade",
    matches: has(/not the hidden tests|hidden tests are not run here|show progress, not the grade/i),
  },
  {
    why: "files grading never read: true of every grading, practice or not",
    matches: has(/^Not used for grading: /),
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
    matches: (sentence) => /npm run grade/.test(sentence) && /practice|public tests|what your push runs|npm run grade checks all|npm run grade -- --json/i.test(sentence),
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

/** What students read: the course's files, and the strings of the commands they run and the scorecards those print. */
const textFiles = new RegExp(
  [
    "README\\.md",
    "lessons/.*\\.md",
    "exercises/.*\\.ts",
    "tests/(public|support)/.*\\.ts",
    "experiments/.*\\.ts",
    "\\.github/.*\\.yml",
    "\\.devcontainer/.*",
    "course\\.json",
    "grader/cli/(exercise|hint|quiz|progress|experiment)\\.ts",
    "grader/student/.*\\.ts",
    "grader/course/hidden-results\\.ts",
    "grader/report/(terminal|markdown|next-step|annotations)\\.ts",
  ]
    .map((pattern) => `^${pattern}$`)
    .join("|"),
);

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

/**
 * A TypeScript file's words: its string literals and templates (a template's
 * expressions as "…"), module paths left out, and, with `comments`, its
 * comments. The grader's own comments speak to developers, so its files give strings only.
 */
function codeProse(file: string, text: string, comments: boolean): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const pieces: string[] = [];
  const seenComments = new Set<number>();
  const visit = (node: TypeScript.Node): void => {
    if (comments) {
      let previousEnd = -1;
      for (const range of ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []) {
        if (seenComments.has(range.pos)) continue;
        seenComments.add(range.pos);
        const words = text.slice(range.pos, range.end).replace(/^\s*(\/\*\*?|\*\/|\*|\/\/)\s?/gm, "").replace(/\*\/\s*$/, "");
        // A run of line comments is one paragraph.
        const continues = range.kind === ts.SyntaxKind.SingleLineCommentTrivia && previousEnd >= 0 && /^[ \t]*\r?\n[ \t]*$/.test(text.slice(previousEnd, range.pos));
        if (continues) pieces[pieces.length - 1] += ` ${words}`;
        else pieces.push(words);
        previousEnd = range.kind === ts.SyntaxKind.SingleLineCommentTrivia ? range.end : -1;
      }
    }
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (!ts.isCallExpression(node.parent) || node.parent.expression.kind !== ts.SyntaxKind.ImportKeyword) pieces.push(node.text);
      return;
    }
    if (ts.isTemplateExpression(node)) {
      pieces.push([node.head.text, ...node.templateSpans.map((span) => `…${span.literal.text}`)].join(""));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return pieces;
}

/** Prose of a file, where students read words: Markdown as it is, code as its comments and strings, JSON as its strings. */
function proseOf(file: string, text: string): string[] {
  if (file.endsWith(".ts")) return codeProse(file, text, !file.startsWith("grader/"));
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

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadCourse, suitePaths, type CourseModule } from "../course/manifest.ts";
import { parseQuiz, wholeQuiz } from "../course/quiz.ts";
import { loadQuizKey, type QuizKey } from "../course/quiz-key.ts";
import { listSuiteTests } from "../course/suite-tests.ts";
import { compareFingerprints, mergeRanges } from "../similarity/compare.ts";
import type { FileFingerprints, LineRange } from "../similarity/fingerprints.ts";
import { fingerprintFile, isCodeFile, isNear, leakThreshold } from "../similarity/similarity.ts";
import { listCourseFiles } from "./course-files.ts";
import { isSecret, type AllowedLine, type ReleaseDeclaration } from "./declaration.ts";

/** Lines at least this long (trimmed) count as distinctive, as the release rule says. */
const distinctiveLineLength = 30;
/** Shorter secret files (an empty file, `{}`) are not worth matching whole. */
const wholeFileMinLength = 40;
/** Folders whose lines are public by definition: the stubs, the public suites and their support, and the grader itself. */
const publicFolders = ["exercises/", "tests/public/", "tests/support/", "grader/"];
/** An answer set shorter than this (`["B"]`) turns up in ordinary text; longer ones do not. */
const answerSetMinLength = 12;
/** Code a shipped file must not come near, renamed and reformatted or not. */
const solutionsFolder = "solutions/";

type PatternKind = "line" | "hidden test name" | "quiz answers";

interface Pattern {
  kind: PatternKind;
  /** As written in the secret file, for the report. */
  text: string;
  /** The text without whitespace, which is how it is matched. */
  squeezed: string;
  /** The secret file it comes from. */
  from: string;
}

interface ModuleKey {
  module: CourseModule;
  key: QuizKey;
  file: string;
}

/** What must never appear in a student repository, read from this source. */
export interface Secrets {
  /** Secret folders: a path inside one is a leak whatever it holds. */
  secretPaths: Array<{ path: string; why: string }>;
  /** Hash of a secret file's squeezed content → that file. */
  wholeFiles: Map<string, string>;
  patterns: Pattern[];
  keys: ModuleKey[];
  allowedLines: AllowedLine[];
  /** Each reference solution's fingerprints, for finding a shipped file that is near one. */
  solutions: Array<{ file: string; fingerprints: FileFingerprints }>;
}

/** One file to check: a path in the tree (or in history), or a commit message. */
export interface CheckedFile {
  /** How the report names it: the path, or "git history …". */
  label: string;
  /** Its path in the repository, when it has one. */
  path: string | null;
  content: Buffer;
}

export interface Finding {
  /** "lessons/01-task-queue/README.md:42" */
  where: string;
  what: string;
}

export interface LeakReport {
  leaks: Finding[];
  /** Findings the declaration allows, with its reason; printed so a reviewer sees them. */
  allowed: Array<Finding & { why: string }>;
  /** Allowances that matched nothing: stale, and worth removing. */
  unusedAllowances: AllowedLine[];
  filesChecked: number;
}

/** Whitespace never decides a match: re-indented or re-wrapped text still counts. */
const squeeze = (text: string) => text.replace(/\s+/g, "");

/** The line of `text` that holds the character at `offset` of its squeezed form. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  let kept = 0;
  for (let at = 0; at < text.length; at++) {
    const character = text.charAt(at);
    if (character === "\n") line += 1;
    else if (!/\s/.test(character) && kept++ === offset) return line;
  }
  return line;
}

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

// Each pattern is keyed by a hash of its first characters, and a rolling hash
// of each file's text finds candidates with one lookup per position.
const keyLength = 8;
const keyBase = 31;
// keyBase to the power keyLength - 1, wrapped to 32 bits as the keys are: what the leaving character weighs.
const keyTopPower = Array.from({ length: keyLength - 1 }).reduce<number>((power) => Math.imul(power, keyBase), 1);

function keyAt(text: string, at: number): number {
  let key = 0;
  for (let offset = 0; offset < keyLength; offset++) key = (Math.imul(key, keyBase) + text.charCodeAt(at + offset)) | 0;
  return key;
}

function indexPatterns(patterns: Pattern[]): Map<number, Pattern[]> {
  const index = new Map<number, Pattern[]>();
  for (const pattern of patterns) {
    const key = keyAt(pattern.squeezed, 0);
    index.set(key, [...(index.get(key) ?? []), pattern]);
  }
  return index;
}

/** Every pattern found in a squeezed text, once each, with where it first starts. */
function matchPatterns(squeezed: string, index: Map<number, Pattern[]>): Array<{ pattern: Pattern; at: number }> {
  const found = new Map<Pattern, number>();
  if (squeezed.length < keyLength) return [];
  let key = keyAt(squeezed, 0);
  for (let at = 0; ; at++) {
    for (const pattern of index.get(key) ?? []) {
      if (!found.has(pattern) && squeezed.startsWith(pattern.squeezed, at)) found.set(pattern, at);
    }
    if (at + keyLength >= squeezed.length) break;
    key = (Math.imul(key - Math.imul(squeezed.charCodeAt(at), keyTopPower), keyBase) + squeezed.charCodeAt(at + keyLength)) | 0;
  }
  return [...found].map(([pattern, at]) => ({ pattern, at }));
}

/**
 * Reads the secrets: every file the declaration marks secret (solutions,
 * hidden suites, quiz keys, fixtures), the hidden test names and the quiz
 * answer sets. A line is distinctive when it is long enough and appears in no
 * public file (stubs, public suites, test support, the grader), which students
 * read anyway.
 */
export function loadSecrets(root: string, declaration: ReleaseDeclaration): Secrets {
  const files = listCourseFiles(root);
  const read = (file: string) => readFileSync(path.join(root, file), "utf8");
  const wholeFiles = new Map<string, string>();
  const candidates = new Map<string, Pattern>();
  const addPattern = (kind: PatternKind, text: string, from: string) => {
    const squeezed = squeeze(text);
    // Every kind of pattern is far longer than a key; a shorter one could not be looked up.
    if (squeezed.length >= keyLength && !candidates.has(squeezed)) candidates.set(squeezed, { kind, text, squeezed, from });
  };

  for (const file of files.filter((file) => isSecret(declaration, file))) {
    const content = read(file);
    const squeezed = squeeze(content);
    if (squeezed.length >= wholeFileMinLength && !wholeFiles.has(hash(squeezed))) wholeFiles.set(hash(squeezed), file);
    for (const line of content.split("\n")) {
      if (line.trim().length >= distinctiveLineLength) addPattern("line", line.trim(), file);
    }
  }

  const course = loadCourse(root);
  const keys: ModuleKey[] = [];
  for (const module of course.modules) {
    const paths = suitePaths(module);
    if (module.exerciseFiles && files.includes(paths.hidden)) {
      for (const test of listSuiteTests(read(paths.hidden), paths.hidden)) addPattern("hidden test name", test.name.split(" > ").at(-1) ?? test.name, paths.hidden);
    }
    if (files.includes(paths.quizKey)) {
      const key = loadQuizKey(path.join(root, paths.quizKey), paths.quizKey);
      keys.push({ module, key, file: paths.quizKey });
      for (const { answers } of key.questions) {
        const answerSet = JSON.stringify(answers);
        if (squeeze(answerSet).length >= answerSetMinLength) addPattern("quiz answers", answerSet, paths.quizKey);
      }
    }
  }

  // What students read anyway is not a secret, even where a secret file says it too.
  const publicText = files
    .filter((file) => publicFolders.some((folder) => file.startsWith(folder)))
    .map((file) => squeeze(read(file)))
    .join("\n");
  const inPublic = new Set(matchPatterns(publicText, indexPatterns([...candidates.values()])).map((match) => match.pattern));
  const patterns = [...candidates.values()].filter((pattern) => !inPublic.has(pattern));

  const secretPaths = declaration.neverShips.filter((entry) => entry.secret === true).map(({ path, why }) => ({ path, why }));
  const solutions = files.filter((file) => file.startsWith(solutionsFolder) && isCodeFile(file)).map((file) => ({ file, fingerprints: fingerprintFile(read(file)) }));
  return { secretPaths, wholeFiles, patterns, keys, allowedLines: declaration.allowedLines, solutions };
}

function describe(pattern: Pattern): string {
  const shown = pattern.text.length > 100 ? `${pattern.text.slice(0, 100)}…` : pattern.text;
  if (pattern.kind === "hidden test name") return `names a hidden test of ${pattern.from}: "${shown}"`;
  if (pattern.kind === "quiz answers") return `holds a quiz key's answer set from ${pattern.from}: ${shown}`;
  return `has a line of ${pattern.from}: ${shown}`;
}

/** Ticked boxes in a quiz that match its key: the answers, shipped. */
function tickedAnswers(file: CheckedFile, keys: ModuleKey[]): Finding[] {
  const key = keys.find(({ module }) => module.quiz === file.path);
  if (!key) return [];
  let questions;
  try {
    // Whole, or not a quiz at all: a box ticked in a stray second list must not hide an answer set.
    questions = wholeQuiz(parseQuiz(file.content.toString("utf8"), file.label), file.label).questions;
  } catch {
    return []; // not a quiz any more; its lines are still checked
  }
  const findings: Finding[] = [];
  for (const question of questions) {
    const answers = key.key.questions.find((entry) => entry.question === question.title)?.answers ?? [];
    const ticked = question.options.filter((option) => option.checked && answers.includes(option.text));
    if (ticked.length > 0) {
      findings.push({ where: `${file.label}:${question.line}`, what: `ticks ${ticked.length} of the key's answers to "${question.title}" (${key.file})` });
    }
  }
  return findings;
}

const shownRanges = 4;

function describeRanges(ranges: LineRange[]): string {
  const merged = mergeRanges(ranges);
  const shown = merged.slice(0, shownRanges).map(({ start, end }) => (start === end ? `${start}` : `${start}-${end}`));
  return shown.join(", ") + (merged.length > shownRanges ? ` and ${merged.length - shownRanges} more` : "");
}

/**
 * Solutions a code file is near: the same code with names, literals, comments
 * and layout changed still matches (grader/similarity/), where only byte
 * copies of lines do otherwise. Stubs are checked too: a stub an instructor
 * solved while trying the loop would ship the answer.
 */
function nearSolutions(file: CheckedFile, text: string, secrets: Secrets): Finding[] {
  if (file.path === null || !isCodeFile(file.path) || secrets.solutions.length === 0) return [];
  const fingerprints = fingerprintFile(text);
  return secrets.solutions.flatMap(({ file: solution, fingerprints: solutionPrints }) => {
    const result = compareFingerprints(fingerprints, solutionPrints);
    if (!isNear(result, leakThreshold)) return [];
    const here = describeRanges(result.matches.map((match) => match.left));
    const there = describeRanges(result.matches.map((match) => match.right));
    return [{ where: `${file.label}:${result.matches[0]?.left.start ?? 1}`, what: `is near ${solution} (similarity ${result.similarity.toFixed(2)}; from ${leakThreshold.toFixed(2)} it is a leak): lines ${here} match its lines ${there}` }];
  });
}

/**
 * The leak check: finds, in each file, a secret path, a copy of a secret file,
 * a distinctive secret line, a hidden test name or a quiz answer set, anywhere
 * in its text whatever the whitespace, and code near a solution however it is
 * renamed or reformatted. Allowed lines are reported apart.
 */
export function findLeaks(files: CheckedFile[], secrets: Secrets): LeakReport {
  const index = indexPatterns(secrets.patterns);
  const leaks: Finding[] = [];
  const allowed: LeakReport["allowed"] = [];
  const usedAllowances = new Set<AllowedLine>();

  for (const file of files) {
    const secretPath = file.path === null ? undefined : secrets.secretPaths.find((entry) => file.path?.startsWith(entry.path));
    if (secretPath) leaks.push({ where: file.label, what: `is in ${secretPath.path}, which never ships (${secretPath.why})` });

    if (file.content.includes(0)) continue; // binary: nothing to read
    const text = file.content.toString("utf8");
    const squeezed = squeeze(text);
    const copyOf = squeezed.length >= wholeFileMinLength ? secrets.wholeFiles.get(hash(squeezed)) : undefined;
    if (copyOf) {
      leaks.push({ where: file.label, what: `is a copy of ${copyOf}` });
      continue;
    }
    for (const { pattern, at } of matchPatterns(squeezed, index)) {
      const finding = { where: `${file.label}:${lineAt(text, at)}`, what: describe(pattern) };
      const allowance = secrets.allowedLines.find((entry) => entry.file === file.path && squeeze(entry.line) === pattern.squeezed);
      if (allowance && pattern.kind === "line") {
        usedAllowances.add(allowance);
        allowed.push({ ...finding, why: allowance.why });
      } else {
        leaks.push(finding);
      }
    }
    leaks.push(...tickedAnswers(file, secrets.keys));
    leaks.push(...nearSolutions(file, text, secrets));
  }
  return {
    leaks,
    allowed,
    unusedAllowances: secrets.allowedLines.filter((entry) => !usedAllowances.has(entry)),
    filesChecked: files.length,
  };
}

import { readFileSync } from "node:fs";
import path from "node:path";
import { course, courseRoot, hiddenTests, publicTests, quizQuestions } from "./course.ts";

export const fixturesDir = path.join(courseRoot, "tests", "fixtures", "submissions");

/**
 * tests/fixtures/submissions/<name>/expected.json. A fixture states what it
 * loses, not what it scores: a test added to its module that it passes
 * changes nothing here.
 */
export interface ExpectedResult {
  only: string;
  /**
   * Points it loses on its module's public and hidden tests, or "all" when it
   * earns none. No fixture answers the quiz, so it also loses every quiz point;
   * those are not counted here.
   */
  lost: number | "all";
  /** Tests that must fail: the ones that define this fixture's mistake. */
  mustFail: string[];
  /** Text the module's problem line must contain, e.g. "timed out after". */
  problemIncludes?: string;
  /** Submission files the report must list as not used for grading. */
  ignoredIncludes?: string[];
  /** Text that must not appear in any student-visible message (e.g. hidden test source). */
  messagesExclude?: string;
  /** Text that some failing test's message must contain (e.g. why a quiz could not be read). */
  messagesInclude?: string;
  timeoutSeconds?: number;
}

export function readExpected(fixture: string): ExpectedResult {
  const file = path.join(fixturesDir, fixture, "expected.json");
  const expected = JSON.parse(readFileSync(file, "utf8")) as ExpectedResult & { score?: unknown };
  // A score would hold every test the module has, and go stale with the next one added.
  if ("score" in expected || !(expected.lost === "all" || (Number.isInteger(expected.lost) && expected.lost >= 0))) {
    throw new Error(`${file}: state "lost", the points the fixture loses on its module's tests (a whole number, or "all"), and no "score"`);
  }
  return expected;
}

function courseModule(moduleId: string) {
  const module = course.modules.find((candidate) => candidate.id === moduleId);
  if (!module) throw new Error(`no module ${moduleId} in course.json`);
  return module;
}

/** What a module's public and hidden tests are worth, from the manifest's points and the suites' tests. */
export function codePoints(moduleId: string): number {
  const { points } = courseModule(moduleId);
  return publicTests(moduleId) * points.publicTest + hiddenTests(moduleId) * points.hiddenTest;
}

/** What a module's quiz is worth, from the manifest's points and the key's questions. */
export function quizPoints(moduleId: string): number {
  return quizQuestions(moduleId) * courseModule(moduleId).points.quizQuestion;
}

/** The score a fixture must get: its module's test points less what it loses (its quiz earns nothing). */
export function expectedScore(expected: ExpectedResult): number {
  return expected.lost === "all" ? 0 : codePoints(expected.only) - expected.lost;
}

import path from "node:path";
import { describe, expect, test } from "vitest";
import { suitePaths } from "../../grader/course/manifest.ts";
import { parseQuiz } from "../../grader/course/quiz.ts";
import { loadQuizKey } from "../../grader/course/quiz-key.ts";
import { course, courseRoot, readCourseFile } from "./support/course.ts";

// A quiz measures understanding only if a student who has not read the lesson
// scores no better than chance. Each strategy below ignores what the options
// say; none may beat chance by more than the margin. The figures are in the
// test names, so a reviewer reads them in every run.

interface Question {
  module: string;
  title: string;
  options: string[];
  answers: Set<string>;
  pickOne: boolean;
}

const questions: Question[] = course.modules.flatMap((module) => {
  const quiz = parseQuiz(readCourseFile(module.quiz), module.quiz);
  const key = loadQuizKey(path.join(courseRoot, suitePaths(module).quizKey), suitePaths(module).quizKey);
  return quiz.questions.map((question) => ({
    module: module.id,
    title: question.title,
    options: question.options.map((option) => option.text),
    answers: new Set(key.questions.find((entry) => entry.question === question.title)?.answers ?? []),
    pickOne: question.pickOne,
  }));
});

/** A strategy ticks some options by position or length alone. */
type Strategy = (options: string[]) => number[];

const scores = (question: Question, ticked: number[]) =>
  ticked.length === question.answers.size && ticked.every((index) => question.answers.has(question.options[index] ?? ""));

function share(set: Question[], strategy: Strategy): number {
  return set.filter((question) => scores(question, strategy(question.options))).length / set.length;
}

const longest: Strategy = (options) => {
  const lengths = options.map((option) => option.length);
  return [lengths.indexOf(Math.max(...lengths))];
};
const shortest: Strategy = (options) => {
  const lengths = options.map((option) => option.length);
  return [lengths.indexOf(Math.min(...lengths))];
};
const firstK =
  (k: number): Strategy =>
  (options) =>
    options.slice(0, k).map((_, index) => index);
const position =
  (p: number): Strategy =>
  (options) =>
    p < options.length ? [p] : [];
const lastK =
  (k: number): Strategy =>
  (options) =>
    options.map((_, index) => index).slice(-k);
const everything: Strategy = (options) => options.map((_, index) => index);
const nothing: Strategy = () => [];
const longerHalf: Strategy = (options) => {
  const sorted = options.map((option) => option.length).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return options.flatMap((option, index) => (option.length >= median ? [index] : []));
};

/** Clear margin: ten percentage points above what guessing at random earns. */
const margin = 0.1;
const percent = (value: number) => `${(value * 100).toFixed(0)}%`;

const pickOne = questions.filter((question) => question.pickOne);
const pickAll = questions.filter((question) => !question.pickOne);
const chanceOne = pickOne.reduce((sum, question) => sum + 1 / question.options.length, 0) / pickOne.length;
const chanceAll = pickAll.reduce((sum, question) => sum + 1 / (2 ** question.options.length - 1), 0) / pickAll.length;
const widest = Math.max(...questions.map((question) => question.options.length));

/** Where one strategy earns its points, per module, for the failure message. */
function byModule(set: Question[], strategy: Strategy): string {
  const modules = [...new Set(set.map((question) => question.module))];
  return modules.map((id) => `${id} ${set.filter((question) => question.module === id && scores(question, strategy(question.options))).length}/${set.filter((question) => question.module === id).length}`).join(", ");
}

describe(`content-free strategies score no better than chance + ${percent(margin)} (${pickOne.length} pick-one questions, chance ${percent(chanceOne)}; ${pickAll.length} pick-all, chance ${percent(chanceAll)})`, () => {
  const pickOneStrategies: [string, Strategy][] = [["the longest option", longest], ["the shortest option", shortest], ...Array.from({ length: widest }, (_, p): [string, Strategy] => [`option ${String.fromCharCode(65 + p)}`, position(p)])];
  for (const [name, strategy] of pickOneStrategies) {
    const score = share(pickOne, strategy);
    test(`pick one, always ${name}: ${percent(score)}`, () => {
      expect(score, `scores by module: ${byModule(pickOne, strategy)}`).toBeLessThanOrEqual(chanceOne + margin);
    });
  }
  // Rarely keying the longest option would teach the opposite rule: rule the longest out, then guess.
  const notLongest = pickOne.reduce((sum, question) => sum + (scores(question, longest(question.options)) ? 0 : 1 / (question.options.length - 1)), 0) / pickOne.length;
  test(`pick one, rule out the longest option and guess among the rest: ${percent(notLongest)} expected`, () => {
    expect(notLongest).toBeLessThanOrEqual(chanceOne + margin);
  });
  const pickAllStrategies: [string, Strategy][] = [
    ...Array.from({ length: widest }, (_, k): [string, Strategy] => [`the first ${k + 1}`, firstK(k + 1)]),
    ...Array.from({ length: widest - 1 }, (_, k): [string, Strategy] => [`the last ${k + 1}`, lastK(k + 1)]),
    ["everything", everything],
    ["nothing", nothing],
    ["the longer half", longerHalf],
  ];
  for (const [name, strategy] of pickAllStrategies) {
    const score = share(pickAll, strategy);
    test(`pick all, tick ${name}: ${percent(score)}`, () => {
      expect(score, `scores by module: ${byModule(pickAll, strategy)}`).toBeLessThanOrEqual(chanceAll + margin);
    });
  }
  const blind = questions.filter((question) => scores(question, question.pickOne ? longest(question.options) : firstK(3)(question.options))).length / questions.length;
  const chance = (chanceOne * pickOne.length + chanceAll * pickAll.length) / questions.length;
  test(`"pick the longest, tick the first three": ${percent(blind)} of ${questions.length} (chance ${percent(chance)})`, () => {
    expect(blind).toBeLessThanOrEqual(chance + margin);
  });
});

// Blind strategies can stay near chance while a cue still helps a student who
// half knows: "the last box is usually ticked", "it is always two or three".
// So the keys themselves must be spread: by position, and by how many boxes.
describe("the keys are spread: by position, and by how many boxes a pick-all question takes", () => {
  const fourOptions = pickOne.filter((question) => question.options.length === 4);
  const keyedAt = (question: Question, index: number) => question.answers.has(question.options[index] ?? "");
  for (let position = 0; position < 4; position++) {
    const count = fourOptions.filter((question) => keyedAt(question, position)).length;
    test(`pick one of four: option ${String.fromCharCode(65 + position)} is the answer in ${count} of ${fourOptions.length} (15% to 35%)`, () => {
      expect(count / fourOptions.length).toBeGreaterThanOrEqual(0.15);
      expect(count / fourOptions.length).toBeLessThanOrEqual(0.35);
    });
  }
  const ends: Array<[string, (question: Question) => number]> = [
    ["first", () => 0],
    ["second", () => 1],
    ["second to last", (question) => question.options.length - 2],
    ["last", (question) => question.options.length - 1],
  ];
  for (const [name, index] of ends) {
    const count = pickAll.filter((question) => keyedAt(question, index(question))).length;
    test(`pick all: the ${name} option is ticked in ${count} of ${pickAll.length} keys (25% to 75%)`, () => {
      expect(count / pickAll.length).toBeGreaterThanOrEqual(0.25);
      expect(count / pickAll.length).toBeLessThanOrEqual(0.75);
    });
  }
  const ticks = pickAll.map((question) => question.answers.size);
  const tally = [...new Set(ticks)].sort((a, b) => a - b).map((size) => `${size}: ${ticks.filter((t) => t === size).length}`);
  test(`pick all: the number of right options varies (${tally.join(", ")}); one count covers at most half, and at least a fifth are neither 2 nor 3`, () => {
    const most = Math.max(...ticks.map((size) => ticks.filter((t) => t === size).length));
    expect(most / ticks.length).toBeLessThanOrEqual(0.5);
    expect(ticks.filter((size) => size !== 2 && size !== 3).length / ticks.length).toBeGreaterThanOrEqual(0.2);
  });
});

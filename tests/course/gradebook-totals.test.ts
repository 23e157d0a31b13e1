import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { createColors } from "picocolors";
import { afterAll, describe, expect, test } from "vitest";
import { loadCourse } from "../../grader/course/manifest.ts";
import { mergeGradebooks } from "../../grader/gradebook/merge.ts";
import { regradeEntry } from "../../grader/gradebook/regrade.ts";
import { loadRoster } from "../../grader/gradebook/roster.ts";
import { findStudentRow, renderStudentView } from "../../grader/gradebook/show.ts";
import { closeMatches } from "../../grader/gradebook/student-match.ts";
import { hiddenTestsShown } from "../../grader/report/class/feedback.ts";
import { feedbackFormat, gradebookFormats } from "../../grader/report/class/formats.ts";
import { checkGradebook } from "../../grader/report/class/schema.ts";
import { lateDays, latePenaltyPercent, lateUntil, rowTotal, weightedPercent, withTotals } from "../../grader/report/class/totals.ts";
import type { Gradebook, LatePolicy } from "../../grader/report/types.ts";
import { courseRoot } from "./support/course.ts";

// The gradebook's arithmetic (module weights, late days, the penalty) and
// what the outputs make of it, on the golden class: no grading, no git.

const golden = (): Gradebook => checkGradebook(JSON.parse(readFileSync(path.join(courseRoot, "tests", "course", "golden", "inputs", "class.gradebook.json"), "utf8")));
const policy: LatePolicy = { penaltyPercentPerDay: 10, maxDaysLate: 3 };
const deadline = "2026-11-28T23:59:00.000Z";

/** The golden class with 00 worth 1 and 01 worth 3, under `policy`, and bob's graded commit made at `bobCommittedAt`. */
function weightedLateClass(bobCommittedAt: string): Gradebook {
  const gradebook = golden();
  const [quiz, code] = gradebook.modules;
  if (!quiz || !code) throw new Error("the golden class has two modules");
  quiz.weight = 1;
  code.weight = 3;
  gradebook.latePolicy = policy;
  gradebook.rows = gradebook.rows.map((row) => (row.student === "bob" ? { ...row, committedAt: bobCommittedAt } : row));
  return withTotals(gradebook);
}

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("late days", () => {
  test("count started days: none at the deadline itself, one from a second after it, two from a day and a second after it", () => {
    expect(lateDays("2026-11-28T23:00:00.000Z", deadline)).toBe(0);
    expect(lateDays(deadline, deadline)).toBe(0);
    expect(lateDays("2026-11-28T23:59:01.000Z", deadline)).toBe(1);
    expect(lateDays("2026-11-29T23:59:00.000Z", deadline)).toBe(1);
    expect(lateDays("2026-11-29T23:59:01.000Z", deadline)).toBe(2);
    // An offset is the same instant, however it is written.
    expect(lateDays("2026-11-29T00:59:01+01:00", deadline)).toBe(1);
  });

  test("cost the policy's percent each, never more than the whole total, without float noise", () => {
    expect(latePenaltyPercent(0, policy)).toBe(0);
    expect(latePenaltyPercent(3, policy)).toBe(30);
    expect(latePenaltyPercent(3, { penaltyPercentPerDay: 0.1, maxDaysLate: 5 })).toBe(0.3);
    expect(latePenaltyPercent(3, { penaltyPercentPerDay: 40, maxDaysLate: 5 })).toBe(100);
    expect(lateUntil(deadline, policy)).toBe("2026-12-01T23:59:00.000Z");
  });
});

describe("weighted totals", () => {
  test("are the weighted average of the module percentages; without weights there is none", () => {
    const gradebook = weightedLateClass(deadline);
    const bob = gradebook.rows.find((row) => row.student === "bob");
    if (!bob?.report) throw new Error("bob is graded in the golden class");
    // 00: 0/8 at weight 1, 01: 10/23 at weight 3.
    expect(weightedPercent(bob.report, gradebook.modules)).toBe(Math.round(((3 * 10) / 23 / 4) * 100 * 100) / 100);
    expect(weightedPercent(bob.report, golden().modules)).toBeNull();
    expect(gradebook.rows.find((row) => row.student === "alice")?.total).toEqual({ points: 31, maxPoints: 31, weightedPercent: 100, afterPenalty: 100 });
    expect(gradebook.rows.find((row) => row.student === "eve")?.total, "an ungraded row has none").toBeUndefined();
  });

  test("take the penalty off the weighted total, by the graded commit's date: at the deadline nothing, a second after a day's worth, at most all", () => {
    const totalOf = (committedAt: string) => weightedLateClass(committedAt).rows.find((row) => row.student === "bob");
    const onTime = totalOf(deadline);
    expect(onTime?.late).toEqual({ until: "2026-12-01T23:59:00.000Z", days: 0, penaltyPercent: 0 });
    const weighted = onTime?.total?.weightedPercent ?? NaN;
    expect(onTime?.total?.afterPenalty).toBe(weighted);
    const justLate = totalOf("2026-11-28T23:59:01.000Z");
    expect(justLate?.late).toMatchObject({ days: 1, penaltyPercent: 10 });
    expect(justLate?.total?.afterPenalty).toBe(Math.round(weighted * 0.9 * 100) / 100);
    const capped = weightedLateClass("2026-11-28T23:59:01.000Z");
    capped.latePolicy = { penaltyPercentPerDay: 60, maxDaysLate: 3 };
    const cappedBob = withTotals({ ...capped, rows: capped.rows.map((row) => (row.student === "bob" ? { ...row, committedAt: "2026-11-30T12:00:00.000Z" } : row)) }).rows.find((row) => row.student === "bob");
    expect(cappedBob?.late).toMatchObject({ days: 2, penaltyPercent: 100 });
    expect(cappedBob?.total?.afterPenalty).toBe(0);
    // Without weights the penalty comes off the points.
    const unweighted = golden();
    unweighted.latePolicy = policy;
    const bob = unweighted.rows.find((row) => row.student === "bob");
    if (!bob) throw new Error("no bob");
    expect(rowTotal({ ...bob, committedAt: "2026-11-30T00:00:00.000Z" }, unweighted.modules, policy)).toEqual({ points: 10, maxPoints: 10 + 21, weightedPercent: null, afterPenalty: 8 });
  });

  test("show in gradebook.csv and class-report.md beside the raw points, with the late days and the penalty; gradebook.json keeps them and its schema takes them", () => {
    const gradebook = weightedLateClass("2026-11-30T00:00:00.000Z");
    const [header = [], ...rows] = parse(gradebookFormats.csv.render(gradebook), { bom: true }) as string[][];
    expect(header.slice(header.indexOf("graded at") + 1, header.indexOf("00-message-queues (of 8)"))).toEqual(["days late", "penalty (%)", "weighted total (%)", "points (of 31)", "total after penalty (%)"]);
    const bob = rows.find((row) => row[0] === "bob") ?? [];
    const cell = (column: string) => bob[header.indexOf(column)];
    expect([cell("days late"), cell("penalty (%)"), cell("weighted total (%)"), cell("points (of 31)"), cell("total after penalty (%)")]).toEqual(["2", "20", "32.61", "10", "26.09"]);
    expect(rows.find((row) => row[0] === "eve")?.[header.indexOf("weighted total (%)")], "an ungraded row is blank").toBe("");
    const report = gradebookFormats.classReport.render(gradebook);
    expect(report).toContain("Weighted total, by course.json's module weights: mean ");
    expect(report).toContain("Raw points, out of 31: mean 11.5, median 7.5, lowest 0, highest 31.");
    expect(report).toContain("After the late penalty (10% a started day, up to 3 days): mean ");
    expect(report).toContain("| Module | Weight | Points | Mean | Median | Full marks |");
    expect(report).toContain("| bob | 2026-11-28T23:59:00.000Z | 2026-11-30T00:00:00.000Z | 2 | 20% |  |");
    expect(report).toContain("evidence to check, not proof");
    expect(checkGradebook(JSON.parse(gradebookFormats.json.render(gradebook))).rows.find((row) => row.student === "bob")?.late).toEqual({ until: "2026-12-01T23:59:00.000Z", days: 2, penaltyPercent: 20 });
    const feedback = feedbackFormat.render({ row: gradebook.rows.find((row) => row.student === "bob") ?? gradebook.rows[0]!, course: gradebook.course });
    expect(feedback).toContain("**10/31 points**");
    expect(feedback).toContain("It was committed 2 days after the deadline: the late policy takes 20% off your total.");
  });
});

describe("course.json's weights and late policy", () => {
  const manifest = (modules: { weight?: number }[], late?: LatePolicy) => {
    const module = { title: "T", lesson: "lessons/x.md", quiz: "lessons/x.md", exercise: null, points: { publicTest: 1, hiddenTest: 1, quizQuestion: 1 }, hints: [] };
    const dir = mkdtempSync(path.join(os.tmpdir(), "weights-"));
    folders.push(dir);
    const grading = { moduleTimeoutSeconds: 30, memoryLimitMb: 512, ...(late ? { late } : {}) };
    writeFileSync(path.join(dir, "course.json"), JSON.stringify({ title: "T", grading, modules: modules.map((extra, index) => ({ ...module, id: `0${index}-m`, ...extra })) }));
    return dir;
  };

  test("every module weighted, or none; a partial set is refused in one line naming the first module without one", () => {
    expect(loadCourse(manifest([{ weight: 1 }, { weight: 2.5 }])).modules.map((module) => module.weight)).toEqual([1, 2.5]);
    expect(loadCourse(manifest([{}, {}])).modules.map((module) => module.weight)).toEqual([null, null]);
    expect(() => loadCourse(manifest([{ weight: 1 }, {}]))).toThrow('course.json: modules[1] ("01-m") has no weight, but other modules have one: give every module a weight, or none');
    expect(() => loadCourse(manifest([{ weight: 0 }]))).toThrow("course.json: modules[0].weight must be > 0");
  });

  test("the late policy is read, and checked", () => {
    expect(loadCourse(manifest([{}], policy)).latePolicy).toEqual(policy);
    expect(loadCourse(manifest([{}])).latePolicy).toBeNull();
    expect(() => loadCourse(manifest([{}], { penaltyPercentPerDay: 10, maxDaysLate: 1.5 }))).toThrow("course.json: grading.late.maxDaysLate must be integer");
  });

  test("this course weights every exercise module the same and 00 less", () => {
    const weights = loadCourse().modules.map((module) => [module.exerciseFiles === null, module.weight] as const);
    const exercise = new Set(weights.filter(([lessonOnly]) => !lessonOnly).map(([, weight]) => weight));
    expect(exercise.size).toBe(1);
    for (const [, weight] of weights.filter(([lessonOnly]) => lessonOnly)) expect(weight).toBeLessThan([...exercise][0] ?? 0);
  });
});

describe("a late policy and the hidden tests' visibility", () => {
  test("after_due_date waits for the late days too, or they would tell a late student what to fix", () => {
    const row = weightedLateClass(deadline).rows.find((candidate) => candidate.student === "bob");
    if (!row) throw new Error("no bob");
    expect(hiddenTestsShown(row, "after_due_date", Date.parse("2026-11-30T00:00:00Z"))).toBe(false);
    expect(hiddenTestsShown(row, "after_due_date", Date.parse("2026-12-01T23:59:00Z"))).toBe(true);
  });
});

describe("merge", () => {
  test("refuses shards weighted differently (weights regrade no one, so the course's digest leaves them out)", () => {
    const weighted = weightedLateClass(deadline);
    const first = { ...weighted, shard: { index: 1, count: 2 }, rows: weighted.rows.filter((row) => row.row % 2 === 1) };
    const second = { ...golden(), shard: { index: 2, count: 2 }, rows: golden().rows.filter((row) => row.row % 2 === 0) };
    expect(() => mergeGradebooks([{ dir: "a", gradebook: first }, { dir: "b", gradebook: second }])).toThrow("merge: b was graded with other module weights or another late policy from a");
  });
});

describe("show and regrade find a student", () => {
  test("close matches: a typo, another case, a part of the name", () => {
    const names = ["alice", "alicia", "bob", "carol", "dan"];
    expect(closeMatches("alcie", names)).toEqual(["alice"]);
    expect(closeMatches("ALICE", names)).toEqual(["alice"]);
    expect(closeMatches("ali", names)).toEqual(["alice", "alicia"]);
    expect(closeMatches("zzzzzz", names)).toEqual([]);
  });

  test("show: every test with its message, hidden ones included, the commit, the late days and the total", () => {
    const gradebook = weightedLateClass("2026-11-30T00:00:00.000Z");
    const bob = findStudentRow(gradebook, "bob", "gradebook.json");
    const text = renderStudentView(gradebook, bob, createColors(false));
    for (const module of bob.report?.modules ?? []) {
      for (const test of module.tests) expect(text).toContain(`[${test.kind}] ${test.name}`);
    }
    const failed = bob.report?.modules.flatMap((module) => module.tests.filter((test) => test.kind === "hidden" && test.status !== "passed" && test.message)) ?? [];
    expect(failed.length).toBeGreaterThan(0);
    for (const test of failed) expect(text).toContain(test.message?.split("\n")[0] ?? "");
    expect(text).toContain(`commit        ${bob.commit}, committed 2026-11-30T00:00:00.000Z`);
    expect(text).toContain("late          2 started days after the deadline, by the commit's date: 20% off");
    expect(text).toContain("Total 10/31 points (32%) · weighted 32.61% · after the late penalty 26.09%");
    expect(renderStudentView(gradebook, findStudentRow(gradebook, "eve", "gradebook.json"), createColors(false))).toContain("Not graded:\n  could not fetch the repository");
    expect(() => findStudentRow(gradebook, "bbo", "out/gradebook.json")).toThrow('show: no student "bbo" in out/gradebook.json; did you mean bob?');
  });

  test("regrade: only a student on the roster, with every other row as it was graded", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "regrade-"));
    folders.push(dir);
    const gradebook = golden();
    const rosterText = (bobDeadline: string) =>
      `student,repo,deadline\n${gradebook.rows.map((row) => `"${row.student}","${row.repo.replaceAll('"', '""')}",${row.student === "bob" ? bobDeadline : ""}`).join("\n")}\n`;
    writeFileSync(path.join(dir, "roster.csv"), rosterText(deadline));
    const roster = loadRoster(path.join(dir, "roster.csv"), null);
    // Row 6's deadline was the class's; without --deadline it has none now.
    expect(() => regradeEntry(gradebook, roster, "bob", null, "out")).toThrow("--regrade: roster row 6 (=cmd|frank) is not as out graded it: its deadline was 2026-11-28T23:59:00.000Z, is now none");
    const withDeadline = loadRoster(path.join(dir, "roster.csv"), deadline);
    expect(() => regradeEntry(gradebook, withDeadline, "bob", null, "out")).toThrow("roster row 1 (alice) is not as out graded it");
    // As if row 6 had been graded without a deadline; the regraded row itself may change: an extension is why one regrades.
    const asGraded = { ...gradebook, rows: gradebook.rows.map((row) => (row.student === "=cmd|frank" ? { ...row, deadline: null } : row)) };
    writeFileSync(path.join(dir, "roster.csv"), rosterText("2026-12-05T00:00:00Z"));
    const extended = loadRoster(path.join(dir, "roster.csv"), null);
    expect(regradeEntry(asGraded, extended, "bob", null, "out")).toMatchObject({ student: "bob", deadline: "2026-12-05T00:00:00.000Z" });
    expect(() => regradeEntry(asGraded, extended, "bbo", null, "out")).toThrow(/^--regrade: no student "bbo" in the roster .*roster\.csv; did you mean bob\?$/);
    expect(() => regradeEntry(asGraded, extended, "bob", policy, "out")).toThrow("--regrade: course.json's late policy is not the one out was graded with");
  });
});

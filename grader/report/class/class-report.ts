import { classStatistics, mean, median, type ItemStatistics } from "./class-statistics.ts";
import { markdownCell, markdownCode } from "../markdown.ts";
import { percent, testKindLabel } from "../text.ts";
import type { Gradebook } from "../types.ts";
import { formatAmount, isWeighted, rowLateness, rowTotal } from "./totals.ts";


function oneDecimal(value: number): string {
  return (Math.round(value * 10) / 10).toFixed(1);
}

/** Ten bands of the total, as a bar chart in plain text, which every Markdown viewer shows. */
function distributionChart(totals: number[], maxScore: number): string[] {
  const bands = new Array<number>(10).fill(0);
  for (const total of totals) bands[Math.min(9, Math.floor(percent(total, maxScore) / 10))]! += 1;
  const widest = Math.max(1, ...bands);
  const lines = bands.map((count, band) => {
    const label = band === 9 ? "90–100%" : `${band * 10}–${band * 10 + 9}%`;
    const bar = "█".repeat(Math.round((count / widest) * 30)) || (count > 0 ? "▏" : "");
    return `${label.padStart(7)} │ ${bar}${count > 0 ? ` ${count}` : ""}`.trimEnd();
  });
  return ["```text", ...lines.reverse(), "```"];
}

function itemName(item: ItemStatistics): string {
  return `${markdownCell(item.module)} ${testKindLabel[item.kind]}: ${markdownCell(item.name)}`;
}

function itemList(items: ItemStatistics[]): string[] {
  return items.map((item) => `- ${itemName(item)}`);
}

/** Who was graded at a commit past their deadline, with what it cost and the commits that came after. */
function lateWork(gradebook: Gradebook): string[] {
  const late = gradebook.rows.filter((row) => (rowLateness(row, gradebook.latePolicy)?.days ?? 0) > 0);
  const lines = ["## Late work", ""];
  lines.push(
    "Days late count from each graded commit's committer date, which whoever commits sets (a student can backdate one): evidence to check, not proof. Later commits are those pushed after the graded one; a backdated commit usually has some.",
    "",
  );
  if (late.length === 0) return [...lines, "No graded commit is past its deadline.", ""];
  lines.push("| Student | Deadline | Committed at | Days late | Penalty | Later commits |", "|---|---|---|---|---|---|");
  for (const row of late) {
    const lateness = rowLateness(row, gradebook.latePolicy);
    const later = row.laterCommits === undefined || row.laterCommits === null ? "" : String(row.laterCommits);
    lines.push(`| ${markdownCell(row.student)} | ${row.deadline ?? ""} | ${row.committedAt ?? ""} | ${lateness?.days ?? ""} | ${formatAmount(lateness?.penaltyPercent ?? 0)}% | ${later} |`);
  }
  return [...lines, ""];
}

/**
 * class-report.md, also the job summary of the gradebook workflow: how the
 * class did, which tests separate strong submissions from weak ones, which
 * tests deserve a second look, and who could not be graded.
 */
export function renderClassReport(gradebook: Gradebook): string {
  const stats = classStatistics(gradebook);
  const ungraded = gradebook.rows.filter((row) => row.report === null);
  const shard = gradebook.shard ? ` (shard ${gradebook.shard.index} of ${gradebook.shard.count})` : "";
  const lines = [
    `# ${markdownCell(gradebook.course)}: class report`,
    "",
    `${gradebook.rows.length} students${shard}: ${stats.graded.length} graded, ${ungraded.length} could not be graded. Generated ${gradebook.generatedAt}.`,
    "",
    "## Scores",
    "",
  ];
  if (stats.graded.length === 0) {
    lines.push("No submission could be graded.", "");
  } else {
    const totals = stats.totals;
    const weighted = isWeighted(gradebook.modules);
    const rowTotals = gradebook.rows.flatMap((row) => rowTotal(row, gradebook.modules, gradebook.latePolicy) ?? []);
    const weightedTotals = rowTotals.map((total) => total.weightedPercent ?? 0);
    const summary = (values: number[], unit: string) =>
      `mean ${oneDecimal(mean(values))}${unit}, median ${oneDecimal(median(values))}${unit}, lowest ${formatAmount(Math.min(...values))}${unit}, highest ${formatAmount(Math.max(...values))}${unit}`;
    if (weighted) {
      // The total is the weighted one; the points stay beside it, as every scorecard counts them.
      lines.push(`Weighted total, by course.json's module weights: ${summary(weightedTotals, "%")}.`, "", `Raw points, out of ${stats.maxScore}: ${summary(totals, "")}.`);
    } else {
      lines.push(`Out of ${stats.maxScore} points: ${summary(totals, "")}.`);
    }
    const policy = gradebook.latePolicy;
    if (policy) {
      const afterPenalty = rowTotals.map((total) => total.afterPenalty ?? 0);
      lines.push("", `After the late penalty (${formatAmount(policy.penaltyPercentPerDay)}% a started day, up to ${policy.maxDaysLate} days): ${summary(afterPenalty, weighted ? "%" : "")}.`);
    }
    lines.push(
      "",
      ...(weighted ? distributionChart(weightedTotals, 100) : distributionChart(totals, stats.maxScore)),
      "",
      "## Modules",
      "",
      ...(weighted
        ? ["| Module | Weight | Points | Mean | Median | Full marks |", "|---|---|---|---|---|---|"]
        : ["| Module | Points | Mean | Median | Full marks |", "|---|---|---|---|---|"]),
      ...stats.modules.map((m) => {
        const weight = weighted ? ` ${formatAmount(gradebook.modules.find((module) => module.id === m.id)?.weight ?? 0)} |` : "";
        return `| ${markdownCell(m.id)}: ${markdownCell(m.title)} |${weight} ${m.maxScore} | ${oneDecimal(m.mean)} | ${oneDecimal(m.median)} | ${m.fullMarks} of ${stats.graded.length} |`;
      }),
      "",
      "## Item analysis",
      "",
      "Each test and quiz question, most failed first, counted over the submissions that started its module: a module still as its stub says nothing about its items. **Discrimination** is the item–rest correlation: how passing the item goes with the points earned on everything else, from −1 to 1. Above 0.3 the item separates strong submissions from weak ones; near 0 or below, it measures something else (or nothing). It is blank where everyone scored the same.",
      "",
      "| Item | Failing | Discrimination |",
      "|---|---|---|",
      ...stats.items.map(
        (item) => `| ${itemName(item)} | ${item.failing} of ${item.graded} (${percent(item.failing, item.graded)}%) | ${item.discrimination === null ? "" : item.discrimination.toFixed(2)} |`,
      ),
      "",
    );
    const nobody = stats.items.filter((item) => item.failing === item.graded);
    const everybody = stats.items.filter((item) => item.failing === 0);
    lines.push("## Worth a look", "");
    lines.push(
      nobody.length === 0
        ? "Every item was passed by someone."
        : `**Nobody passes** these ${nobody.length}: too hard, not taught yet, or a broken test?`,
      "",
      ...(nobody.length > 0 ? [...itemList(nobody), ""] : []),
    );
    if (everybody.length === 0) lines.push("No item was passed by everyone.", "");
    else {
      lines.push(
        `<details><summary>Everybody passes these ${everybody.length}: does each still catch a mistake?</summary>`,
        "",
        ...itemList(everybody),
        "",
        "</details>",
        "",
      );
    }
  }
  if (gradebook.latePolicy) lines.push(...lateWork(gradebook));
  lines.push("## Could not be graded", "");
  if (ungraded.length === 0) lines.push("Every student was graded.", "");
  else {
    lines.push("| Student | Repository | Why |", "|---|---|---|");
    for (const row of ungraded) lines.push(`| ${markdownCell(row.student)} | ${markdownCode(row.repo, "table")} | ${markdownCode(row.problems.join("; "), "table")} |`);
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

import { classStatistics, mean, median, type ItemStatistics } from "./class-statistics.ts";
import { markdownCell, markdownCode } from "../markdown.ts";
import { percent, testKindLabel } from "../text.ts";
import type { Gradebook } from "../types.ts";


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
    lines.push(
      `Out of ${stats.maxScore} points: mean ${oneDecimal(mean(totals))}, median ${oneDecimal(median(totals))}, lowest ${Math.min(...totals)}, highest ${Math.max(...totals)}.`,
      "",
      ...distributionChart(totals, stats.maxScore),
      "",
      "## Modules",
      "",
      "| Module | Points | Mean | Median | Full marks |",
      "|---|---|---|---|---|",
      ...stats.modules.map(
        (m) => `| ${markdownCell(m.id)}: ${markdownCell(m.title)} | ${m.maxScore} | ${oneDecimal(m.mean)} | ${oneDecimal(m.median)} | ${m.fullMarks} of ${stats.graded.length} |`,
      ),
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
  lines.push("## Could not be graded", "");
  if (ungraded.length === 0) lines.push("Every student was graded.", "");
  else {
    lines.push("| Student | Repository | Why |", "|---|---|---|");
    for (const row of ungraded) lines.push(`| ${markdownCell(row.student)} | ${markdownCode(row.repo, "table")} | ${markdownCode(row.problems.join("; "), "table")} |`);
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

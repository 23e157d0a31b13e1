import type { SimilarPair } from "../../similarity/class-pairs.ts";
import type { LineRange } from "../../similarity/fingerprints.ts";
import { markdownCell } from "../markdown.ts";

export interface SimilarityReport {
  course: string;
  /** Students whose code was compared (graded, with exercise files kept). */
  compared: number;
  /** 0..1: a pair at or above it is listed. */
  threshold: number;
  pairs: SimilarPair[];
}

const percent = (share: number) => `${Math.round(share * 100)}%`;
const lines = (ranges: readonly LineRange[]) => ranges.map((range) => (range.start === range.end ? `${range.start}` : `${range.start}–${range.end}`)).join(", ");

/** similarity.md: pairs of students whose code is close, for an instructor to read side by side; never shown to students. */
export function renderSimilarityReport(report: SimilarityReport): string {
  const out = [
    `# ${markdownCell(report.course)}: similar code`,
    "",
    `Pairs of students whose exercise files share ${percent(report.threshold)} or more of their code, the stub's code left out. ` +
      "The code is compared as tokens with names and literals blurred (winnowed fingerprints, as MOSS and Dolos do), so renaming and reformatting do not hide a copy. " +
      "Closeness is a reason to read the two files side by side, not proof: short exercises and a lesson's worked example make honest answers alike.",
    "",
    `${report.compared} students compared; ${report.pairs.length === 0 ? "no pair" : report.pairs.length === 1 ? "1 pair" : `${report.pairs.length} pairs`} at or above ${percent(report.threshold)}.`,
  ];
  if (report.pairs.length === 0) return `${out.join("\n")}\n`;
  out.push("", "| Students | File | Similar | Lines of the first | Lines of the second |", "| --- | --- | ---: | --- | --- |");
  for (const pair of report.pairs) {
    for (const file of pair.files) {
      const matchedLines = (side: "left" | "right") => lines(file.matches.map((match) => match[side]));
      out.push(`| ${markdownCell(pair.students.join(", "))} | ${markdownCell(file.path)} | ${percent(file.similarity)} | ${matchedLines("left")} | ${matchedLines("right")} |`);
    }
  }
  return `${out.join("\n")}\n`;
}

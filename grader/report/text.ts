/**
 * Text from a submission (error messages, names) may hold terminal escape
 * sequences or control characters. Replace them so nothing a submission
 * writes can restyle, hide or rewrite the scorecard.
 */
export function printable(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, "")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "\uFFFD")
      // Bidirectional overrides and isolates (which can make text read in another order), invisible
      // characters (zero-width spaces and joiners, word joiners, the byte-order mark, soft hyphens)
      // and the Unicode line and paragraph separators: each shows as a visible replacement mark.
      .replace(/[\u061c\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, "\uFFFD")
  );
}

/** How reports name each kind of graded item. */
export const testKindLabel: Record<"public" | "hidden" | "quiz", string> = { public: "public test", hidden: "hidden test", quiz: "quiz question" };

export function percent(score: number, maxScore: number): number {
  return maxScore === 0 ? 100 : Math.floor((score / maxScore) * 100);
}

/** Which rules a failing test checks, as a student finds them in the stub and the lesson: "rule [fifo]". Empty for none. */
export function ruleNote(rules: readonly string[]): string {
  if (rules.length === 0) return "";
  return `${rules.length === 1 ? "rule" : "rules"} ${rules.map((rule) => `[${rule}]`).join(", ")}`;
}

/** Said in every output of a grading that ran someone's code outside the sandbox: how it ran, and why. */
export function isolationWarning(report: { isolation: string; isolationNote: string | null }): string | null {
  if (report.isolation !== "process" && report.isolation !== "user") return null;
  return `Isolation: ${report.isolationNote ?? `graded without the sandbox (${report.isolation})`}`;
}

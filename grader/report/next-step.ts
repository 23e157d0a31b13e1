import { moduleNumber } from "../course/manifest.ts";
import type { GradeReport } from "./types.ts";

/** One sentence telling the student what to do next, from the first module still missing points. */
export function nextStep(report: GradeReport): string {
  const module = report.modules.find((m) => m.score < m.maxScore);
  if (!module) return "Every point earned. Well done!";
  const failing = (kind: string) => module.tests.filter((t) => t.kind === kind && t.status !== "passed").length;
  const number = moduleNumber(module);
  if (module.problem && failing("public") + failing("hidden") > 0) {
    return `Fix module ${module.id} first: ${module.problem}. Then run: npm run exercise ${number}`;
  }
  if (failing("public") > 0) {
    return `Make the public tests of ${module.id} pass: npm run exercise ${number}`;
  }
  if (failing("hidden") > 0) {
    return `The public tests of ${module.id} pass, but ${failing("hidden")} hidden test(s) fail: read their messages above, then ask for a hint with npm run hint ${number}`;
  }
  return `Answer the quiz of ${module.id}: npm run quiz ${number} (or tick boxes in lessons/${module.id}/quiz.md)`;
}

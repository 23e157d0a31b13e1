import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { checkGradeReport } from "../report/schema.ts";
import type { GradeReport } from "../report/types.ts";
import { writeFileAtomically } from "../write-atomically.ts";

/**
 * Graded reports by what decided them (course and submission), so an
 * unchanged submission is never graded twice. Each entry is written in one
 * step as soon as it is known: a run that is stopped loses only the
 * submissions it was grading.
 */
export class ResultCache {
  private readonly dir: string;

  constructor(cacheDir: string) {
    this.dir = path.join(cacheDir, "results");
    mkdirSync(this.dir, { recursive: true });
  }

  static key(courseDigest: string, submissionDigest: string): string {
    return createHash("sha256").update(`${courseDigest}\0${submissionDigest}`).digest("hex");
  }

  /** The cached report, or null; an entry that is unreadable, not a report, or one the machine may have spoiled counts as absent. */
  get(key: string): GradeReport | null {
    try {
      const report = checkGradeReport(JSON.parse(readFileSync(path.join(this.dir, `${key}.json`), "utf8")));
      return report.machineFaults.length === 0 ? report : null;
    } catch {
      return null;
    }
  }

  set(key: string, report: GradeReport): void {
    writeFileAtomically(path.join(this.dir, `${key}.json`), `${JSON.stringify(report)}\n`);
  }
}

import { exerciseStarted, isPractice, notStarted, quizProblems } from "./next-step.ts";
import { printable, ruleNote } from "./text.ts";
import type { GradeReport, ModuleReport } from "./types.ts";

// Workflow command data and properties must escape these, or a message could
// end the command early and start another.
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// GitHub shows at most 10 error and 10 warning annotations per step (and 50 per job); more are dropped unseen.
const perLevel = 10;

/** Modules being worked on first, untouched ones last: the few annotations GitHub shows should be on the code in hand. */
function byAttention(modules: ModuleReport[]): ModuleReport[] {
  return [...modules.filter((module) => !notStarted(module)), ...modules.filter(notStarted)];
}

interface Annotation {
  level: "error" | "warning";
  file: string;
  line: number;
  column: number;
  title: string;
  message: string;
}

/** A quiz problem names its line ("lessons/02-priority-queue/quiz.md:12: what to fix"). */
function quizProblemAnnotation(module: ModuleReport, problem: string): Annotation {
  const where = /^(.+?):(\d+): ([^]*)$/.exec(problem);
  return { level: "error", file: where?.[1] ?? `lessons/${module.id}/quiz.md`, line: Number(where?.[2] ?? 1), column: 1, title: `${module.id} quiz`, message: where?.[3] ?? problem };
}

/**
 * A practice run's annotations, in the order a student should work: syntax
 * and type errors of started modules (course order), then quizzes that cannot
 * be read, then the failing public tests of started modules. A module not
 * started gets none: its stub's TODOs are not mistakes.
 */
function practiceAnnotations(report: GradeReport): Annotation[] {
  const started = report.modules.filter(exerciseStarted);
  const typeErrors = started.flatMap((module) =>
    (module.typeErrors ?? []).map((error): Annotation => ({ level: "error", ...error, title: `${module.id} types` })),
  );
  const quizzes = report.modules.flatMap((module) => quizProblems(module).map((problem) => quizProblemAnnotation(module, problem)));
  const tests = started.flatMap((module) =>
    module.tests.flatMap((test): Annotation[] => {
      // Where the student's code threw, else the test itself: an assertion fails in the public suite, which ships with their copy.
      const where = test.location ?? (test.testLocation ? { ...test.testLocation, column: 1 } : null);
      // A module that could not load fails every test for one reason: its syntax error, annotated above, says where.
      if (test.status === "passed" || test.kind === "quiz" || !where || (module.problem !== null && test.message === module.problem)) return [];
      const rule = ruleNote(test.rules);
      return [{ level: "error", ...where, title: `${module.id} ${test.kind} test`, message: `${test.name}${rule ? ` (${rule})` : ""}: ${test.message ?? "failed"}` }];
    }),
  );
  return [...typeErrors, ...quizzes, ...tests];
}

/** The annotations of a graded run: failing tests (errors) and quiz questions not yet right (warnings), modules in progress first. */
function gradedAnnotations(report: GradeReport): Annotation[] {
  return byAttention(report.modules).flatMap((module) =>
    module.tests.flatMap((test): Annotation[] => {
      if (test.status === "passed" || !test.location) return [];
      const rule = ruleNote(test.rules);
      return [{
        level: test.kind === "quiz" ? "warning" : "error",
        ...test.location,
        title: `${module.id} ${test.kind === "quiz" ? "quiz" : `${test.kind} test`}`,
        message: `${test.name}${rule ? ` (${rule})` : ""}: ${test.message ?? "failed"}`,
      }];
    }),
  );
}

/**
 * GitHub Actions annotations on the student's own files: each failing test
 * that points into their code (errors), and each quiz question not yet right
 * (warnings), at most 10 of each, modules in progress first. When some do not
 * fit, a notice says how many and where to see them all.
 */
export function renderAnnotations(report: GradeReport): string[] {
  const lines: string[] = [];
  const shown = { error: 0, warning: 0 };
  let left = 0;
  for (const { level, file, line, column, title, message } of isPractice(report) ? practiceAnnotations(report) : gradedAnnotations(report)) {
    if (shown[level] === perLevel) {
      left += 1;
      continue;
    }
    shown[level] += 1;
    lines.push(`::${level} file=${escapeProperty(file)},line=${line},col=${column},title=${escapeProperty(title)}::${escapeData(printable(message))}`);
  }
  if (left > 0) lines.push(`::notice title=More to fix::${escapeData(`${left} more failing tests and quiz questions are not marked on your files; the job summary lists them all.`)}`);
  return lines;
}

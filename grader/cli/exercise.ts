import { createHash } from "node:crypto";
import { existsSync, readFileSync, unwatchFile, watch, watchFile, type FSWatcher } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pc from "picocolors";
import { loadCourse, moduleNumber, type Course, type CourseModule } from "../course/manifest.ts";
import { GraderInputError } from "../errors.ts";
import type { ModuleReport } from "../report/types.ts";
import { renderExerciseRun, publicTestsPass, type ExerciseRun } from "../student/exercise-screen.ts";
import { renderHints, revealHint } from "../student/hints.ts";
import { firstUnfinishedExercise, moduleArgument, nextModule } from "../student/module-argument.ts";
import type { ExerciseTypechecker } from "../student/typecheck.ts";
import { argumentError, npmChecked, runCommand } from "./run-command.ts";
import { forTerminal } from "./terminal-text.ts";
import { publicRunOptions } from "../student/public-run.ts";

const usage = "npm run exercise [module] [-- --once]";
// Polling catches saves that file-system events miss (some network and container mounts).
const pollIntervalMs = 500;
const debounceMs = 80;

function exerciseFiles(course: Course, module: CourseModule): string[] {
  return (module.exerciseFiles ?? []).map((file) => path.join(course.root, "exercises", module.id, file));
}

function contentKey(files: string[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(existsSync(file) ? readFileSync(file) : "missing").update("\0");
  return hash.digest("hex");
}

/** What the module's public tests import, so a renamed export can be named. */
/**
 * The grader and the typechecker, loaded once the arguments are known to be
 * good: a typo in them is answered at once. Later calls reuse the modules.
 */
async function tools() {
  const [{ grade }, { quizProgress, readQuizAnswers }, { ExerciseTypechecker, importedNames }] = await Promise.all([
    import("../grade.ts"),
    import("../pipeline/plan.ts"),
    import("../student/typecheck.ts"),
  ]);
  return { grade, quizProgress, readQuizAnswers, ExerciseTypechecker, importedNames };
}

async function testedNames(course: Course, module: CourseModule): Promise<Map<string, string[]>> {
  const suite = path.join(course.root, "tests", "public", `${module.id}.test.ts`);
  return existsSync(suite) ? (await tools()).importedNames(suite, module.id) : new Map();
}

/** A run of the module's public tests made before the loop started, and the files it ran. */
interface EarlierRun {
  report: ModuleReport;
  key: string;
}

/** `earlier`: a report of these very files, run before the loop started, to show instead of running them again. */
async function runOnce(course: Course, module: CourseModule, typechecker: ExerciseTypechecker, options: { signal?: AbortSignal; earlier?: ModuleReport | undefined } = {}): Promise<ExerciseRun> {
  const { signal, earlier } = options;
  const { grade, quizProgress, readQuizAnswers } = await tools();
  const tested = await testedNames(course, module);
  // Start the tests (a child process) first, so the typecheck runs meanwhile.
  const graded = earlier ? null : grade(publicRunOptions({ only: module.id, signal }));
  const { problems, syntax, missingExports } = typechecker.check(exerciseFiles(course, module), tested);
  const report = earlier ?? (await graded)?.modules[0];
  if (!report) throw new Error(`no report for ${module.id}`);
  let quiz = { answered: 0, questions: 0 };
  try {
    const answers = readQuizAnswers(course.root, module);
    if (answers) quiz = quizProgress(answers);
  } catch {
    // A quiz.md too broken to read: npm run progress names the line; the loop is about the code.
  }
  return { module, report, typeProblems: problems, syntax, missingExports, quiz, finishedAt: new Date(), nextModule: nextModule(course, module) };
}

/**
 * With no module named: the first module whose public tests do not all pass,
 * read as npm run progress reads it, with that module's run kept so the loop
 * need not run it again. Undefined when every exercise passes.
 */
async function unfinishedModule(course: Course): Promise<{ module: CourseModule; earlier: EarlierRun | undefined } | undefined> {
  const [{ grade }, { measureProgress }] = await Promise.all([import("../grade.ts"), import("../student/progress.ts")]);
  const modules = course.modules.filter((module) => module.exerciseFiles);
  // Taken before the run: a file saved meanwhile makes its result stale.
  const keys = new Map(modules.map((module) => [module.id, contentKey(exerciseFiles(course, module))]));
  if (process.stdout.isTTY) process.stdout.write(pc.dim("Finding your first unfinished exercise: running every module's public tests…\n"));
  const publicRun = await grade(publicRunOptions({ skipUntouched: true }));
  const module = firstUnfinishedExercise(measureProgress(course, publicRun));
  if (!module) return undefined;
  const report = publicRun.modules.find((candidate) => candidate.id === module.id);
  const key = keys.get(module.id);
  // A module still as its stub was not run (skipUntouched): its first screen runs it, to show the stub's TODOs.
  return { module, earlier: report && key && !report.untouched ? { report, key } : undefined };
}

function requireExercise(module: CourseModule): void {
  if (!module.exerciseFiles) {
    throw new GraderInputError(`module ${module.id} has no exercise: read ${module.lesson}, then run npm run quiz ${moduleNumber(module)}`);
  }
}

/**
 * `npm run exercise 01`: runs the module's public tests and typechecks the
 * student's files on every save, and says what to do next. Without a module,
 * it opens the first one whose public tests do not all pass.
 */
await runCommand(async () => {
  let parsed;
  try {
    parsed = parseArgs(npmChecked({ options: { once: { type: "boolean" } }, allowPositionals: true, strict: true }));
  } catch (error) {
    throw argumentError(error, usage);
  }
  if (parsed.positionals.length > 1) throw argumentError(new Error(`Unexpected argument '${parsed.positionals[1]}'`), usage);
  const course = loadCourse();
  const named = parsed.positionals[0];
  const found = named === undefined ? await unfinishedModule(course) : { module: moduleArgument(course, named, usage), earlier: undefined };
  if (!found) {
    process.stdout.write("Every exercise passes its public tests: npm run progress shows what is left.\n");
    return 0;
  }
  let module = found.module;
  // Used once, for the first screen, while the files are still the ones it ran.
  let earlier = found.earlier;
  const earlierReport = (key: string) => {
    const report = earlier?.key === key ? earlier.report : undefined;
    earlier = undefined;
    return report;
  };
  requireExercise(module);
  const typechecker = new (await tools()).ExerciseTypechecker(course.root);

  if (parsed.values.once) {
    const run = await runOnce(course, module, typechecker, { earlier: earlierReport(contentKey(exerciseFiles(course, module))) });
    process.stdout.write(`${forTerminal(renderExerciseRun(run, { interactive: false }))}\n`);
    return publicTestsPass(run) ? 0 : 1;
  }

  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  let running = false;
  let again = false;
  let lastKey = "";
  let extra = "";
  let lastRun: ExerciseRun | undefined;

  let stopped = false;
  const show = () => {
    // A run still going when the student quits must not redraw over the goodbye.
    if (!lastRun || stopped) return;
    const screen = renderExerciseRun(lastRun, { interactive });
    process.stdout.write(`${interactive ? "\u001b[2J\u001b[H" : "\n"}${forTerminal(`${screen}${extra ? `\n\n${extra}` : ""}`)}\n`);
  };

  let current: AbortController | undefined;
  const run = async (force = false) => {
    if (stopped) return;
    const key = contentKey(exerciseFiles(course, module));
    if (!force && key === lastKey) return;
    if (running) {
      // A newer save: the run still going (an infinite loop, say) is stale, so stop it now.
      again = true;
      current?.abort();
      return;
    }
    running = true;
    lastKey = key;
    const controller = new AbortController();
    current = controller;
    try {
      if (interactive && lastRun) process.stdout.write(pc.dim("\nrunning…\n"));
      const finished = await runOnce(course, module, typechecker, { signal: controller.signal, earlier: earlierReport(key) });
      if (!controller.signal.aborted) {
        lastRun = finished;
        extra = "";
        show();
      }
    } finally {
      running = false;
      if (again) {
        again = false;
        void run();
      }
    }
  };

  let watchers: FSWatcher[] = [];
  let polled: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  };
  const startWatching = () => {
    for (const watcher of watchers) watcher.close();
    for (const file of polled) unwatchFile(file);
    const dir = path.join(course.root, "exercises", module.id);
    watchers = [watch(dir, schedule)];
    polled = exerciseFiles(course, module);
    for (const file of polled) watchFile(file, { interval: pollIntervalMs }, schedule);
  };

  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const quit = () => {
    stopped = true;
    current?.abort();
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
    for (const file of polled) unwatchFile(file);
    if (interactive) process.stdin.setRawMode(false);
    process.stdin.pause();
    process.stdout.write("\nStopped watching. Your work is in your files; npm run progress shows where you are.\n");
    finish();
  };

  const onKey = (key: string) => {
    if (key === "q" || key === "\u0003" || key === "\u0004") quit();
    else if (key === "r") void run(true);
    else if (key === "h") {
      // The last run's report says which test fails first; no rerun.
      extra = renderHints(module, revealHint(course, module, { reveal: true, report: lastRun?.report }), "press h again");
      show();
    } else if (key === "n") {
      const next = nextModule(course, module);
      if (!next?.exerciseFiles) {
        extra = "This is the last exercise. Run npm run progress to see what is left.";
        show();
        return;
      }
      module = next;
      lastKey = "";
      startWatching();
      void run(true);
    }
  };
  if (interactive) {
    // A narrower or wider window: wrap the screen again to fit it.
    process.stdout.on("resize", show);
    process.stdin.setRawMode(true);
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (data: string) => {
      for (const key of data) onKey(key);
    });
  } else {
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (data: string) => {
      for (const line of data.split("\n")) if (line.trim()) onKey(line.trim()[0] ?? "");
    });
  }
  process.on("SIGINT", quit);

  startWatching();
  await run(true);
  await finished;
  return 0;
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { GraderInputError } from "../errors.ts";
import type { LatePolicy } from "../report/types.ts";
import { describeSchemaError } from "./schema-error.ts";
import schema from "./course.schema.json" with { type: "json" };

/** Points for one item of each kind in a module. */
export interface ModulePoints {
  publicTest: number;
  hiddenTest: number;
  quizQuestion: number;
}

export interface CourseModule {
  id: string;
  title: string;
  /** Paths relative to the course root. */
  lesson: string;
  quiz: string;
  /** File names inside `exercises/<id>/` (and `solutions/<id>/`); null for a lesson-only module. */
  exerciseFiles: string[] | null;
  points: ModulePoints;
  /** In the order a student needs them. */
  hints: Hint[];
  /** Its weight in the gradebook's total; null when the course does not weight modules (then every module has null). */
  weight: number | null;
  /** Experiments (ids in experiments/) that show its speed and memory rules at work; the watch loop names them beside such a failure. */
  experiments: string[];
}

/** A hint, and the rules it helps with: ids the module's stub states (`[fifo]`), none for a module without an exercise. */
export interface Hint {
  rules: string[];
  text: string;
}

export interface Course {
  root: string;
  title: string;
  moduleTimeoutSeconds: number;
  memoryLimitMb: number;
  /** The gradebook's late policy, or null for none. */
  latePolicy: LatePolicy | null;
  /** Where and when students see the hidden tests' results and their quiz answers checked. */
  hiddenResults: HiddenResults;
  modules: CourseModule[];
}

/** course.json's `grading.hiddenResults`: see course.schema.json. */
export interface HiddenResults {
  where: "commits" | "gradescope" | "instructor";
  /** The gradebook workflow's cron (UTC) when `where` is commits, else null. */
  schedule: string | null;
}

interface RawModule {
  id: string;
  title: string;
  lesson: string;
  quiz: string;
  exercise: { files: string[] } | null;
  points: ModulePoints;
  /** A plain string is a hint about no rule (module 00's are about quiz questions). */
  hints: Array<string | Hint>;
  weight?: number;
  experiments?: string[];
}

interface RawCourse {
  title: string;
  grading: { moduleTimeoutSeconds: number; memoryLimitMb: number; hiddenResults?: { where: HiddenResults["where"]; schedule?: string }; late?: LatePolicy };
  modules: RawModule[];
}

/** The folder that holds `course.json`: this source tree's root. */
export const courseRoot = fileURLToPath(new URL("../../", import.meta.url));

const validateCourse = new Ajv({ allErrors: false }).compile<RawCourse>(schema);

/** Reads and validates `course.json`. Every problem is a GraderInputError naming the field. */
export function loadCourse(root: string = courseRoot): Course {
  const file = path.join(root, "course.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new GraderInputError(`course.json: cannot read ${file}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new GraderInputError(`course.json: not valid JSON (${(error as Error).message})`);
  }
  if (!validateCourse(data)) {
    const first = validateCourse.errors?.[0];
    throw new GraderInputError(`course.json: ${first ? describeSchemaError(first, "the manifest") : "invalid"}`);
  }
  const seen = new Set<string>();
  data.modules.forEach((module, index) => {
    if (seen.has(module.id)) {
      throw new GraderInputError(`course.json: modules[${index}].id "${module.id}" is used twice`);
    }
    seen.add(module.id);
  });
  // A partial set of weights has no one right reading (is a missing weight 0, 1, the mean?): refuse it.
  const unweighted = data.modules.findIndex((module) => module.weight === undefined);
  if (unweighted !== -1 && data.modules.some((module) => module.weight !== undefined)) {
    throw new GraderInputError(`course.json: modules[${unweighted}] ("${data.modules[unweighted]?.id}") has no weight, but other modules have one: give every module a weight, or none`);
  }
  return {
    root,
    title: data.title,
    moduleTimeoutSeconds: data.grading.moduleTimeoutSeconds,
    memoryLimitMb: data.grading.memoryLimitMb,
    latePolicy: data.grading.late ?? null,
    hiddenResults: { where: data.grading.hiddenResults?.where ?? "instructor", schedule: data.grading.hiddenResults?.schedule ?? null },
    modules: data.modules.map((module) => ({
      id: module.id,
      title: module.title,
      lesson: module.lesson,
      quiz: module.quiz,
      exerciseFiles: module.exercise?.files ?? null,
      points: module.points,
      hints: module.hints.map((hint) => (typeof hint === "string" ? { rules: [], text: hint } : hint)),
      weight: module.weight ?? null,
      experiments: module.experiments ?? [],
    })),
  };
}

/**
 * Finds a module from what a person would type: the full id (`01-task-queue`),
 * its number (`01` or `1`) or its name (`task-queue`).
 */
export function findModule(course: Course, query: string): CourseModule | undefined {
  const wanted = query.trim().toLowerCase();
  return course.modules.find((module) => {
    const [number = "", ...nameParts] = module.id.split("-");
    return (
      module.id === wanted ||
      nameParts.join("-") === wanted ||
      (/^\d+$/.test(wanted) && Number(wanted) === Number(number))
    );
  });
}

/** The number part of a module id, as students type it: "01" for "01-task-queue". */
export function moduleNumber(module: { id: string }): string {
  return module.id.split("-")[0] ?? module.id;
}

/** Resolves a comma-separated `--only` list, failing on the first unknown module. */
export function selectModules(course: Course, only: string | undefined): CourseModule[] {
  if (only === undefined) return course.modules;
  const queries = only.split(",").map((part) => part.trim());
  if (queries.some((query) => query === "")) {
    throw new GraderInputError(`--only: empty module name in "${only}"`);
  }
  const chosen = new Set<CourseModule>();
  for (const query of queries) {
    const module = findModule(course, query);
    if (!module) {
      const known = course.modules.map((m) => m.id).join(", ");
      throw new GraderInputError(`unknown module "${query}" (known modules: ${known})`);
    }
    chosen.add(module);
  }
  return course.modules.filter((module) => chosen.has(module));
}

/** The contract's fixed paths for a module's suites, relative to the course root. */
export function suitePaths(module: CourseModule): { public: string; hidden: string; quizKey: string } {
  return {
    public: `tests/public/${module.id}.test.ts`,
    hidden: `tests/hidden/${module.id}.test.ts`,
    quizKey: `tests/hidden/quiz-keys/${module.id}.json`,
  };
}

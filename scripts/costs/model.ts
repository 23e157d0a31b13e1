// What the course's Actions jobs cost in billed minutes: measured durations
// (costs/measurements.json, written by `npm run costs`) plus the few things
// that cannot be measured off GitHub (assumptions below), turned into minutes
// the way GitHub bills them. Pure: the guide's table is render(measurements).

/** Where `npm run costs` keeps its measurements, in the repository. */
export const measurementsPath = "costs/measurements.json";

/** One step's time: wall seconds, and the CPU seconds of the processes it ran (null where they cannot be read). */
export interface StepTime {
  wall: number;
  cpu: number | null;
}

/** What `npm run costs` measured on one machine. */
export interface Measurements {
  version: 1;
  /** The day of the measurement, YYYY-MM-DD. */
  measuredOn: string;
  /** loadAverage: the mean 1-minute load average while measuring; above the cores, other work stretched the wall times. */
  machine: { node: string; cores: number; platform: string; loadAverage: number };
  /** Students in the sample class (copies of the reference solutions, local git repositories). */
  sampleStudents: number;
  steps: {
    /** `npm ci` of this repository with npm's cache filled, as setup-node's `cache: npm` leaves it. */
    npmCi: StepTime;
    /** The same for the student repository's package.json and lockfile. */
    npmCiStudent: StepTime;
    /** The pushes job's install of the roster's CSV reader alone. */
    rosterReader: StepTime;
    /** `apt-get update` and `apt-get install -y bubblewrap`; null where it could not run (not root). */
    sandboxSetup: StepTime | null;
    /** The gradebook over one row that cannot be graded: start, roster, outputs. */
    gradebookStart: StepTime;
    /** The gradebook over one student, nothing cached. */
    gradebookOne: StepTime;
    /** The gradebook over the sample class, nothing cached. */
    gradebookSample: StepTime;
    /** The same again, nothing changed: every result from the cache. */
    gradebookSampleCached: StepTime;
    /** The merge of the one-row shard. */
    mergeStart: StepTime;
    /** The merge of the sample class's shard. */
    mergeSample: StepTime;
    /** `npm run grade` in a student repository with every exercise solved: the practice workflow's grading. */
    practiceGrade: StepTime;
    /** The pushes command over the sample class's repositories. */
    pushesSample: StepTime;
  };
}

export type StepName = keyof Measurements["steps"];

/**
 * How many cores each step keeps busy when it has the machine to itself: one,
 * all of a runner's (grading two submissions at once, or two modules), or
 * none to speak of (it waits on the network).
 */
export const busyCores: { [step in StepName]: 1 | "all" | "network" } = {
  npmCi: 1,
  npmCiStudent: 1,
  rosterReader: "network",
  sandboxSetup: "network",
  gradebookStart: 1,
  gradebookOne: 1,
  gradebookSample: "all",
  gradebookSampleCached: 1,
  mergeStart: 1,
  mergeSample: 1,
  practiceGrade: "all",
  pushesSample: 1,
};

/**
 * A step's time on a machine of its own: its wall time, or, when shorter, its
 * CPU time over the cores it keeps busy. Other work on the measuring machine
 * stretches the wall time but hardly the CPU time; work that waits on the
 * network keeps its wall time.
 */
export function uncontendedSeconds(step: StepTime, busy: 1 | "all" | "network", cores: number): number {
  if (busy === "network" || step.cpu === null) return step.wall;
  return Math.min(step.wall, step.cpu / (busy === "all" ? cores : 1));
}

/** What cannot be measured here, stated; every figure in the guide that is not measured comes from these. */
export const assumptions = {
  classSize: 200,
  /** The gradebook workflow's matrix (a test keeps the two equal). */
  shards: 4,
  /** Submissions the gradebook grades at once on a 2-core runner (its default: the number of cores). */
  runnerCores: 2,
  /** Per job: setting up the runner, checkout, setup-node with its npm cache, caches and artifacts. */
  jobOverheadSeconds: 20,
  /** apt-get on a runner, where it could not be measured. */
  sandboxSetupSeconds: 15,
  /** One `git ls-remote` of a repository on github.com (local repositories answer at once). */
  listSecondsPerRepo: 0.5,
  /** Repositories the pushes job lists at once (listConcurrency in grader/gradebook/pushes.ts). */
  listConcurrency: 8,
  /** The gradebook's fetch of one repository from github.com (local repositories answer at once). */
  fetchSecondsPerStudent: 1,
  /** Scheduled runs in a month: hourly, 30 days. */
  runsPerMonth: 24 * 30,
  /** The share of hours in which at least one student pushes, for the middle estimate. */
  hoursWithPushesShare: 0.5,
  /** Practice runs: pushes per student in a month. */
  practicePushesPerStudent: 40,
  plans: [
    { name: "GitHub Free", minutes: 2_000 },
    { name: "GitHub Team", minutes: 3_000 },
  ],
} as const;

export type Assumptions = typeof assumptions;

/** GitHub rounds each job's minutes up to the next whole minute, and a Linux 2-core runner counts 1x. */
export function billedMinutes(jobSeconds: number): number {
  return Math.max(1, Math.ceil(jobSeconds / 60));
}

/** One job: the part measured on this machine and the estimate for GitHub's runner. */
export interface JobCost {
  label: string;
  measuredSeconds: number;
  githubSeconds: number;
  billed: number;
}

function job(label: string, measuredSeconds: number, githubExtraSeconds: number): JobCost {
  const githubSeconds = measuredSeconds + githubExtraSeconds;
  return { label, measuredSeconds, githubSeconds, billed: billedMinutes(githubSeconds) };
}

export interface Costs {
  jobs: {
    pushes: JobCost;
    shardFirst: JobCost;
    shardCached: JobCost;
    shardOnePush: JobCost;
    merge: JobCost;
    practice: JobCost;
  };
  /** Billed minutes of one workflow run: the sum of its jobs, each rounded up on its own. */
  runs: { quiet: number; onePush: number; full: number };
  /** Billed minutes in a month of the term. */
  month: { quiet: number; typical: number; busy: number; practice: number; total: number };
}

export function estimateCosts(measured: Measurements, given: Assumptions = assumptions): Costs {
  const runnerCores = Math.min(given.runnerCores, measured.machine.cores);
  const time = (name: StepName): number => {
    const step = measured.steps[name];
    return step === null ? 0 : uncontendedSeconds(step, busyCores[name], runnerCores);
  };
  const s = Object.fromEntries((Object.keys(busyCores) as StepName[]).map((name) => [name, time(name)])) as { [step in StepName]: number };
  const perShard = Math.ceil(given.classSize / given.shards);
  const gradePerStudent = Math.max(0, s.gradebookSample - s.gradebookStart) / measured.sampleStudents;
  const cachedPerStudent = Math.max(0, s.gradebookSampleCached - s.gradebookStart) / measured.sampleStudents;
  const mergePerStudent = Math.max(0, s.mergeSample - s.mergeStart) / measured.sampleStudents;
  const fetchPerStudent = given.fetchSecondsPerStudent / given.runnerCores;
  const sandbox = s.sandboxSetup;
  const sandboxEstimate = measured.steps.sandboxSetup === null ? given.sandboxSetupSeconds : 0;
  const shardStart = s.npmCi + sandbox + s.gradebookStart;

  const pushes = job(`Pushes job, ${given.classSize} repositories`, s.rosterReader + s.pushesSample, given.jobOverheadSeconds + (given.classSize * given.listSecondsPerRepo) / given.listConcurrency);
  const shardGitHub = (students: number) => given.jobOverheadSeconds + sandboxEstimate + students * fetchPerStudent;
  const shardFirst = job(`Shard, first grading of ${perShard} students`, shardStart + perShard * gradePerStudent, shardGitHub(perShard));
  const shardCached = job(`Shard, hourly, ${perShard} students, none pushed`, shardStart + perShard * cachedPerStudent, shardGitHub(perShard));
  const onePushed = Math.max(0, s.gradebookOne - s.gradebookStart);
  const shardOnePush = job(`Shard, hourly, ${perShard} students, one pushed`, shardStart + (perShard - 1) * cachedPerStudent + onePushed, shardGitHub(perShard));
  const merge = job(`Merge, ${given.classSize} students`, s.npmCi + s.mergeStart + given.classSize * mergePerStudent, given.jobOverheadSeconds);
  const practice = job("Practice run, one student's push", s.npmCiStudent + s.practiceGrade, given.jobOverheadSeconds);

  const quiet = pushes.billed;
  const onePush = pushes.billed + (given.shards - 1) * shardCached.billed + shardOnePush.billed + merge.billed;
  const full = pushes.billed + given.shards * shardFirst.billed + merge.billed;
  const hoursWithPushes = Math.round(given.runsPerMonth * given.hoursWithPushesShare);
  const typical = hoursWithPushes * onePush + (given.runsPerMonth - hoursWithPushes) * quiet;
  const practiceMonth = given.classSize * given.practicePushesPerStudent * practice.billed;
  return {
    jobs: { pushes, shardFirst, shardCached, shardOnePush, merge, practice },
    runs: { quiet, onePush, full },
    month: { quiet: given.runsPerMonth * quiet, typical, busy: given.runsPerMonth * onePush, practice: practiceMonth, total: typical + practiceMonth },
  };
}

const seconds = (value: number) => `${Math.round(value)} s`;
const minutes = (value: number) => value.toLocaleString("en-US");
const share = (used: number, included: number) => `${minutes(Math.round((used / included) * 100))}%`;

/** The guide's cost tables, from the measurements alone (the guide holds exactly this, between markers). */
export function renderCosts(measured: Measurements, given: Assumptions = assumptions): string {
  const costs = estimateCosts(measured, given);
  const planColumns = given.plans.map((plan) => `Of ${minutes(plan.minutes)} (${plan.name})`);
  const jobRows = Object.values(costs.jobs).map((cost) => `| ${cost.label} | ${seconds(cost.measuredSeconds)} | ${seconds(cost.githubSeconds)} | ${cost.billed} |`);
  const hoursWithPushes = Math.round(given.runsPerMonth * given.hoursWithPushesShare);
  const runRows: [string, number][] = [
    ["Hourly, nobody pushed (the pushes job alone)", costs.runs.quiet],
    ["Hourly, one student pushed", costs.runs.onePush],
    ["One that grades everyone (the first; after a change to the grader or suites)", costs.runs.full],
  ];
  const monthRows: [string, number][] = [
    [`Scheduled runs, nobody pushes (${given.runsPerMonth} runs)`, costs.month.quiet],
    [`Scheduled runs, pushes in ${hoursWithPushes} of ${given.runsPerMonth} hours`, costs.month.typical],
    ["Scheduled runs, pushes every hour", costs.month.busy],
    [`Practice runs, ${given.practicePushesPerStudent} pushes per student`, costs.month.practice],
    [`In all: pushes in ${hoursWithPushes} of ${given.runsPerMonth} hours, and practice runs`, costs.month.total],
  ];
  const sandboxNote = measured.steps.sandboxSetup === null ? `, apt-get for the sandbox ${given.sandboxSetupSeconds} s (not measured here)` : "";
  return [
    `Measured on ${measured.measuredOn} with Node ${measured.machine.node} on ${measured.machine.cores} cores (${measured.machine.platform}, load average ${measured.machine.loadAverage} while measuring), with a sample class of ${measured.sampleStudents} copies of the reference solutions; a class of ${given.classSize} in ${given.shards} shards.`,
    "",
    "| Job | Measured here | Estimated on GitHub | Billed minutes |",
    "| --- | ---: | ---: | ---: |",
    ...jobRows,
    "",
    `| Workflow run, class of ${given.classSize} | Billed minutes |`,
    "| --- | ---: |",
    ...runRows.map(([label, used]) => `| ${label} | ${minutes(used)} |`),
    "",
    `| Month, class of ${given.classSize} | Billed minutes | ${planColumns.join(" | ")} |`,
    `| --- | ---: | ${given.plans.map(() => "---:").join(" | ")} |`,
    ...monthRows.map(([label, used]) => `| ${label} | ${minutes(used)} | ${given.plans.map((plan) => share(used, plan.minutes)).join(" | ")} |`),
    "",
    "Measured here: each step's wall time, or its CPU time over the cores it keeps busy where that is shorter, since other work on the machine stretches wall times.",
    `Estimated on GitHub: the time measured here, plus ${given.jobOverheadSeconds} s per job to set up the runner, check out, restore caches and keep artifacts; ${given.listSecondsPerRepo} s per \`git ls-remote\`, ${given.listConcurrency} at a time; ${given.fetchSecondsPerStudent} s per student to fetch from GitHub, ${given.runnerCores} at a time${sandboxNote}; and a runner as fast as this machine. Each job is billed in whole minutes, rounded up.`,
  ].join("\n");
}

/** The measurements file, checked enough that a wrong one is named instead of rendered as nonsense. */
export function parseMeasurements(text: string, file: string): Measurements {
  const value = JSON.parse(text) as Partial<Measurements> | null;
  const isStep = (step: unknown): boolean =>
    typeof step === "object" && step !== null && typeof (step as StepTime).wall === "number" && ((step as StepTime).cpu === null || typeof (step as StepTime).cpu === "number");
  const missing = (Object.keys(busyCores) as StepName[]).filter((name) => !(isStep(value?.steps?.[name]) || (name === "sandboxSetup" && value?.steps?.[name] === null)));
  if (value?.version !== 1 || typeof value.measuredOn !== "string" || typeof value.sampleStudents !== "number" || value.sampleStudents < 1 || typeof value.machine?.loadAverage !== "number" || typeof value.machine.cores !== "number" || missing.length > 0) {
    throw new Error(`${file} is not a measurement written by npm run costs${missing.length > 0 ? ` (missing: ${missing.join(", ")})` : ""}`);
  }
  return value as Measurements;
}

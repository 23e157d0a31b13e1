import { notStarted } from "../next-step.ts";
import type { Gradebook, GradeReport, TestReport } from "../types.ts";

/** One graded item (a test or a quiz question) across the class. */
export interface ItemStatistics {
  module: string;
  kind: TestReport["kind"];
  name: string;
  /** Submissions that started the item's module (see notStarted): a module left as its stub says nothing about the item. */
  graded: number;
  failing: number;
  /**
   * Item–rest correlation: how an item's pass or fail goes with the points
   * earned on everything else, from −1 to 1. Null when everyone scored the
   * same on the item or on the rest, where it is not defined.
   */
  discrimination: number | null;
}

export interface ModuleStatistics {
  id: string;
  title: string;
  maxScore: number;
  mean: number;
  median: number;
  fullMarks: number;
}

export interface ClassStatistics {
  graded: GradeReport[];
  maxScore: number;
  totals: number[];
  modules: ModuleStatistics[];
  /** Most failed first. */
  items: ItemStatistics[];
}

export function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function correlation(xs: number[], ys: number[]): number | null {
  const mx = mean(xs);
  const my = mean(ys);
  let covariance = 0;
  let vx = 0;
  let vy = 0;
  xs.forEach((x, index) => {
    const y = ys[index] as number;
    covariance += (x - mx) * (y - my);
    vx += (x - mx) ** 2;
    vy += (y - my) ** 2;
  });
  // Float noise on an all-equal column must read as "undefined", not as a huge ratio.
  if (vx < 1e-12 || vy < 1e-12) return null;
  return covariance / Math.sqrt(vx * vy);
}

/** The numbers behind class-report.md, from the graded rows of a gradebook. */
export function classStatistics(gradebook: Gradebook): ClassStatistics {
  const graded = gradebook.rows.flatMap((row) => (row.report ? [row.report] : []));
  const modules = gradebook.modules.map((module): ModuleStatistics => {
    const scores = graded.map((report) => report.modules.find((m) => m.id === module.id)?.score ?? 0);
    return { ...module, mean: mean(scores), median: median(scores), fullMarks: scores.filter((score) => score === module.maxScore).length };
  });

  // Each item, with the result of every submission that started its module on it.
  const items = new Map<string, { module: string; kind: TestReport["kind"]; name: string; results: Map<number, TestReport> }>();
  graded.forEach((report, index) => {
    for (const module of report.modules) {
      if (notStarted(module)) continue;
      for (const test of module.tests) {
        const key = JSON.stringify([module.id, test.kind, test.name]);
        const item = items.get(key) ?? { module: module.id, kind: test.kind, name: test.name, results: new Map<number, TestReport>() };
        item.results.set(index, test);
        items.set(key, item);
      }
    }
  });
  const totals = graded.map((report) => report.score);
  const itemStatistics = [...items.values()].map((item): ItemStatistics => {
    const takers = [...item.results.keys()];
    const passed = takers.map((index) => (item.results.get(index)?.status === "passed" ? 1 : 0));
    const rest = takers.map((index) => (totals[index] as number) - (item.results.get(index)?.score ?? 0));
    return {
      module: item.module,
      kind: item.kind,
      name: item.name,
      graded: takers.length,
      failing: passed.filter((value) => value === 0).length,
      discrimination: correlation(passed, rest),
    };
  });
  // Code-point order, not the machine's locale: two machines must write the same report.
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  itemStatistics.sort((a, b) => b.failing - a.failing || compare(a.module, b.module) || compare(a.kind, b.kind) || compare(a.name, b.name));
  return { graded, maxScore: modules.reduce((sum, module) => sum + module.maxScore, 0), totals, modules, items: itemStatistics };
}

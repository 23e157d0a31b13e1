// Types for process-groups.mjs, which the watchdog thread runs as plain JavaScript.
import type { Controller, ControllerParent } from "../pipeline/kernel-limits.ts";

export interface GroupLimits {
  /** By controller, the parent to make each process's group in; absent: the watchdog holds that limit. */
  cgroups: Partial<Record<Controller, ControllerParent>>;
  /** Names this grading's groups, so the grader can remove any a killed judge left. */
  groupPrefix: string;
  cpuCores: number;
  memoryBytes: number;
  /** Processes and threads together. */
  tasks: number;
}

export interface ProcessGroup {
  controller: Controller;
  version: 1 | 2;
  dir: string;
}

export function makeGroups(limits: GroupLimits): ProcessGroup[];
export function joinCommand(groups: ProcessGroup[], command: string, args: string[]): [string, string[]];
export function oomKilled(groups: ProcessGroup[]): boolean;
export function pidsLimitHit(groups: ProcessGroup[]): boolean;
export function removeGroup(dir: string): void;
export function removeGroups(groups: ProcessGroup[]): void;

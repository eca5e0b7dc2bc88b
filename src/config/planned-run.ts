import type { PlannedRun } from "../thresholds/needs.js";
import { preflightThresholds, type PreflightProblem } from "../thresholds/preflight.js";
import type { Plan } from "./plan.js";

/** What the command line narrows a run to. */
export interface RunScope {
  /** Targets selected with --target; all of the plan's when empty. */
  targets?: string[];
  only?: "quality" | "load";
}

/** The plan as the thresholds' preflight reads it: what this run will send and measure. */
export function plannedRun(plan: Plan, scope: RunScope = {}): PlannedRun {
  return {
    targets: plan.targets
      .filter((t) => !scope.targets?.length || scope.targets.includes(t.name))
      .map((t) => ({
        name: t.name,
        priced:
          t.pricing.gpuHourUsd !== undefined ||
          t.pricing.inputPerMtok !== undefined ||
          t.pricing.outputPerMtok !== undefined,
      })),
    ...(scope.only ? { only: scope.only } : {}),
    cases: plan.cases,
    phases: plan.load.map((p) => ({
      name: p.name,
      ...(p.targets ? { targets: p.targets } : {}),
      sweep: p.kind === "sweep",
    })),
    ...(plan.compare ? { compare: plan.compare } : {}),
  };
}

/** The plan's thresholds that can get no samples in this run (see preflightThresholds). */
export function preflightPlan(plan: Plan, scope: RunScope = {}): PreflightProblem[] {
  return preflightThresholds(plannedRun(plan, scope), plan.thresholds);
}

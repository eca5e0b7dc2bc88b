import type { Plan } from "../config/plan.js";
import type { Threshold } from "./parse.js";
import { taskMetricProblem } from "../quality/task-lookup.js";

/** What a run is about to do, as far as thresholds care. */
export interface RunScope {
  /** Targets selected with --target; all of the plan's when empty. */
  targets?: string[];
  only?: "quality" | "load";
}

/** A threshold that can get no samples in this run, and why. */
export interface PreflightProblem {
  key: string;
  message: string;
}

const hasPricing = (t: Plan["targets"][number]) =>
  t.pricing.gpuHourUsd !== undefined ||
  t.pricing.inputPerMtok !== undefined ||
  t.pricing.outputPerMtok !== undefined;

/** The (target, phase) pairs whose aggregates this run will produce. */
function measuredPhases(plan: Plan, targets: string[], scope: RunScope): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const target of targets) {
    if (scope.only !== "load" && plan.cases.length > 0) out.push([target, "quality"]);
    if (scope.only === "quality") continue;
    for (const p of plan.load) {
      // A sweep's aggregates are its steps (`phase:step`); its own name matches none of them.
      if (p.kind !== "sweep" && (!p.targets || p.targets.includes(target))) out.push([target, p.name]);
    }
  }
  return out;
}

function noPhaseReason(t: Threshold, plan: Plan, targets: string[], scope: RunScope): string {
  const phase = t.tags.phase;
  if (phase === "quality")
    return plan.cases.length === 0 ? "the suite has no cases" : "--only load runs no quality cases";
  if (phase && scope.only === "quality") return `--only quality does not run phase "${phase}"`;
  if (phase) return `phase "${phase}" does not run on ${targets.join(", ")}`;
  if (plan.cases.length === 0 && plan.load.length === 0) return "the suite has no cases and no load phases";
  if (scope.only === "quality") return "the suite has no cases";
  if (scope.only === "load") return "the suite has no load phases outside sweeps";
  return "nothing in this run measures it";
}

function problemOf(t: Threshold, plan: Plan, targets: string[], scope: RunScope): string | undefined {
  const tagTarget = t.tags.target;
  if (tagTarget && !targets.includes(tagTarget))
    return `target "${tagTarget}" is not in this run (--target ${targets.join(", ")})`;
  const inScope = tagTarget ? [tagTarget] : targets;
  if (t.metric.startsWith("quality.") || t.metric.startsWith("compare.")) {
    if (plan.cases.length === 0) return "the suite has no cases";
    if (scope.only === "load") return "--only load runs no quality cases";
  }
  if (t.metric.startsWith("compare.")) {
    const cmp = plan.compare;
    if (!cmp) return "the suite has no compare section";
    if (!targets.includes(cmp.baseline)) return `the compare baseline "${cmp.baseline}" is not in this run`;
    const candidates = t.tags.candidate ? [t.tags.candidate] : cmp.candidates;
    if (!candidates.some((c) => targets.includes(c)))
      return `no compare candidate (${candidates.join(", ")}) is in this run`;
    return taskMetricProblem(t, plan.cases);
  }
  if (t.metric.startsWith("quality.")) return taskMetricProblem(t, plan.cases);
  const sweep = plan.load.find((p) => p.name === t.tags.phase && p.kind === "sweep");
  if (sweep) return `phase "${sweep.name}" is a sweep: its steps are judged by its sweep.slo`;
  const phases = measuredPhases(plan, inScope, scope).filter(
    ([, phase]) => !t.tags.phase || phase === t.tags.phase,
  );
  if (phases.length === 0) return noPhaseReason(t, plan, inScope, scope);
  if (t.metric.startsWith("cost.")) {
    const unpriced = [...new Set(phases.map(([target]) => target))].filter(
      (name) => !hasPricing(plan.targets.find((x) => x.name === name)!),
    );
    if (unpriced.length > 0) return `target ${unpriced.join(", ")} has no pricing`;
  }
  return undefined;
}

/**
 * Finds thresholds that cannot get a sample in this run, before anything is sent (PRODUCT.md: a
 * threshold without samples is an error, never a silent pass): a quality metric with no cases or
 * `--only load`, a latency tagged with a phase that will not run on its targets, a target left
 * out by --target, a comparison whose baseline or candidate is not run, a cost without prices.
 * Sample counts that depend on the server (every request failing) are judged after the run.
 */
export function preflightThresholds(plan: Plan, scope: RunScope = {}): PreflightProblem[] {
  const targets = plan.targets
    .map((t) => t.name)
    .filter((n) => !scope.targets?.length || scope.targets.includes(n));
  const out: PreflightProblem[] = [];
  for (const t of plan.thresholds) {
    const message = problemOf(t, plan, targets, scope);
    if (message) out.push({ key: t.key, message: `threshold ${t.key} can get no samples: ${message}` });
  }
  return out;
}

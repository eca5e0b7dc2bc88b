import type { Threshold } from "../record/verdict.js";
import { metricDef, type MetricName } from "./metrics.js";
import type { PlannedRun } from "./needs.js";

/** A threshold that can get no samples in this run, and why. */
export interface PreflightProblem {
  key: string;
  message: string;
  /** Why, without the threshold's name: "--only quality does not run phase \"steady\"". */
  reason: string;
}

function problemOf(t: Threshold<MetricName>, run: PlannedRun): string | undefined {
  const tagged = t.tags.target;
  const targets = run.targets.map((x) => x.name);
  if (tagged && !targets.includes(tagged))
    return `target "${tagged}" is not in this run (--target ${targets.join(", ")})`;
  for (const need of metricDef(t.metric).needs) {
    const problem = need(t, run);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Finds thresholds that cannot get a sample in this run, before anything is sent: a threshold
 * without samples is an error, never a silent pass. Each metric says what it needs (see `needs` in
 * metrics.ts): cases scored, a phase measured on its targets, prices, a comparison whose baseline
 * and candidate both run, labelled or repeated cases. Sample counts that depend on the server
 * (every request failing) are judged after the run.
 */
export function preflightThresholds(
  run: PlannedRun,
  thresholds: ReadonlyArray<Threshold<MetricName>>,
): PreflightProblem[] {
  return thresholds.flatMap((t) => {
    const message = problemOf(t, run);
    return message
      ? [{ key: t.key, message: `threshold ${t.key} can get no samples: ${message}`, reason: message }]
      : [];
  });
}

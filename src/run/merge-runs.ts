import { compareRunVariants } from "../compare/run-comparisons.js";
import { comparisonVerdictHook } from "../compare/thresholds.js";
import { mergeAggregates } from "../metrics/merge.js";
import { evaluateThresholds } from "../thresholds/evaluate.js";
import { createLookup } from "../thresholds/lookup.js";
import { parseThreshold } from "../thresholds/parse.js";
import { qualityTotals } from "./run-suite.js";
import { taskMetrics } from "../quality/task-metrics.js";
import type { RunResult, TargetInfo } from "../record/run-result.js";

/**
 * Merges runs made with `--shard i/n` into the run one process would have produced: aggregates
 * merged exactly, quality cases concatenated, thresholds evaluated again on the merged figures.
 * Pure: the caller reads and writes the files.
 */
export function mergeRuns(runs: RunResult[]): RunResult {
  const [first] = runs;
  if (!first) throw new Error("nothing to merge");
  const targets = new Map<string, TargetInfo>();
  for (const run of runs) {
    for (const t of run.targets) {
      const known = targets.get(t.name);
      targets.set(t.name, known ? { ...known, reachable: known.reachable || t.reachable } : t);
    }
  }
  const cases = runs.flatMap((r) => r.quality.cases);
  const caseCount = runs.reduce((n, r) => n + (r.quality.totals[0]?.cases ?? 0), 0);
  const totals = qualityTotals([...targets.keys()], cases, caseCount);
  const phases = mergeAggregates(runs.flatMap((r) => r.phases));
  // Comparisons are recomputed on the merged cases: shards split the cases, not the pairs.
  const comparisons = (first.comparisons ?? []).flatMap((c) =>
    compareRunVariants(
      { baseline: c.baseline.target, candidates: [c.candidate.target], alpha: c.alpha },
      cases,
    ),
  );
  // Task metrics (F1, pass@k) are not additive over shards: derive them from the merged cases.
  const tasks = taskMetrics([...targets.keys()], cases);
  const definitions = first.thresholds.map((v) => parseThreshold(v.key, v.expression));
  const status: RunResult["status"] = runs.some((r) => r.status === "interrupted")
    ? "interrupted"
    : runs.every((r) => r.status === "unreachable")
      ? "unreachable"
      : "completed";
  return {
    ...first,
    startedAt: runs.map((r) => r.startedAt).sort()[0]!,
    finishedAt: runs
      .map((r) => r.finishedAt)
      .sort()
      .reverse()[0]!,
    status,
    shard: undefined,
    mergedFrom: runs.length,
    targets: [...targets.values()],
    quality: { totals, cases, tasks },
    comparisons,
    phases,
    sweeps: runs.flatMap((r) => r.sweeps),
    thresholds: evaluateThresholds(
      definitions,
      createLookup(phases, totals, [...targets.values()], comparisons, tasks),
      comparisonVerdictHook(comparisons),
    ),
  };
}

import { compareRunVariants } from "../compare/run-comparisons.js";
import { mergeAggregates } from "../metrics/merge.js";
import { taskMetrics } from "../quality/task-metrics.js";
import type { RunResult, TargetInfo } from "../record/run-result.js";
import { sourceOf } from "../record/verdict.js";
import { judge } from "../thresholds/judge.js";
import { thresholdOf } from "../thresholds/parse.js";
import { runFigures } from "../thresholds/read.js";
import { withBaseline, type Baseline } from "./baseline.js";
import { qualityTotals } from "./run-suite.js";
import { mergeHealth } from "./health.js";

/**
 * Merges runs made with `--shard i/n` into the run one process would have produced: aggregates
 * merged exactly, quality cases concatenated, the suite's thresholds judged again on the merged
 * figures. A shard's `--baseline` gates judged that shard's cases only, so they are not carried:
 * with `baseline` the merged run is compared with it afresh, as `run --baseline` does. Pure: the
 * caller reads and writes the files. Throws ThresholdSyntaxError when a verdict's threshold names
 * a metric this version does not know.
 */
export function mergeRuns(runs: RunResult[], baseline?: Baseline): RunResult {
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
  // Runs that ran no quality (--only load) merge to none, as each of them has none.
  const ranQuality = runs.some((r) => r.quality.totals.length > 0);
  const totals = ranQuality ? qualityTotals([...targets.keys()], cases, caseCount) : [];
  const phases = mergeAggregates(runs.flatMap((r) => r.phases));
  // Comparisons are recomputed on the merged cases: shards split the cases, not the pairs.
  const comparisons = (first.comparisons ?? []).flatMap((c) =>
    compareRunVariants(
      {
        by: c.by ? "prompt" : "target",
        baseline: c.baseline.target,
        candidates: [c.candidate.target],
        alpha: c.alpha,
        ...(c.by ? { targets: [c.by.target] } : {}),
      },
      cases,
    ),
  );
  // Task metrics (F1, pass@k) are not additive over shards: derive them from the merged cases.
  const tasks = taskMetrics([...targets.keys()], cases);
  // Every shard's thresholds, once each: a shard leaves out those its share cannot sample.
  const suiteVerdicts = runs.flatMap((r) => r.thresholds).filter((v) => sourceOf(v) === "suite");
  const definitions = [...new Map(suiteVerdicts.map((v) => [v.key, v])).values()].map(thresholdOf);
  const status: RunResult["status"] = runs.some((r) => r.status === "interrupted")
    ? "interrupted"
    : runs.every((r) => r.status === "unreachable")
      ? "unreachable"
      : "completed";
  const merged: RunResult = {
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
    thresholds: judge(
      definitions,
      runFigures({ phases, quality: totals, targets: [...targets.values()], comparisons, tasks }),
    ),
    baseline: undefined,
    // Run health and the cache's use are the shards' together; a threshold is still skipped when no
    // shard judged it (every shard ran with the same --only).
    health: mergeHealth(runs, phases),
    skippedThresholds: [
      ...new Map(runs.flatMap((r) => r.skippedThresholds ?? []).map((t) => [t.key, t])).values(),
    ].filter((t) => !definitions.some((d) => d.key === t.key)),
    ...(first.cache
      ? {
          cache: {
            ...first.cache,
            answers: runs.reduce((n, r) => n + (r.cache?.answers ?? 0), 0),
            of: runs.reduce((n, r) => n + (r.cache?.of ?? 0), 0),
          },
        }
      : {}),
  };
  return baseline ? withBaseline(merged, baseline) : merged;
}

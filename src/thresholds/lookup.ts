import { Recorder, summarize } from "../metrics/histogram.js";
import { DISTRIBUTIONS, type PhaseAggregate, type DistributionName } from "../record/aggregate.js";
import type { QualityTotals, TargetInfo } from "../record/run-result.js";
import { summarizePhase, type PhaseSummary } from "../metrics/aggregate.js";
import { comparisonMetric } from "../compare/thresholds.js";
import type { ComparisonResult } from "../record/comparison.js";
import type { MetricLookup } from "./evaluate.js";
import type { Threshold } from "./parse.js";
import { taskMetric } from "../quality/task-lookup.js";
import type { TargetTaskMetrics } from "../record/task-metrics.js";

/**
 * Resolves threshold metrics from a run's aggregates. Histograms of every matching (target, phase)
 * are merged exactly before a percentile is read, so `ttft.p95` over two phases is a true p95.
 * `compare.*` metrics come from the run's variant comparisons; `quality.*` task metrics (f1,
 * macro_f1, pass_at_k, ...) from the per-target task metrics.
 */
export function createLookup(
  phases: PhaseAggregate[],
  quality: QualityTotals[],
  targets: ReadonlyArray<Pick<TargetInfo, "name" | "economics">> = [],
  comparisons: ComparisonResult[] = [],
  tasks: readonly TargetTaskMetrics[] = [],
): MetricLookup {
  return (t: Threshold) => {
    if (t.metric.startsWith("compare.")) return comparisonMetric(comparisons, t);
    if (t.metric.startsWith("quality.") && t.metric !== "quality.pass_rate") return taskMetric(tasks, t);
    if (t.metric === "quality.pass_rate") {
      const rows = quality.filter((q) => !t.tags.target || q.target === t.tags.target);
      const attempted = rows.reduce((n, q) => n + q.scored + q.errored, 0);
      return attempted === 0 ? undefined : rows.reduce((n, q) => n + q.passed, 0) / attempted;
    }
    const matching = phases.filter(
      (p) => (!t.tags.target || p.target === t.tags.target) && (!t.tags.phase || p.phase === t.tags.phase),
    );
    if (matching.length === 0) return undefined;
    if ((DISTRIBUTIONS as readonly string[]).includes(t.metric)) {
      const merged = Recorder.decode(matching[0]!.histograms[t.metric as DistributionName]);
      for (const p of matching.slice(1))
        merged.merge(Recorder.decode(p.histograms[t.metric as DistributionName]));
      if (merged.count === 0) return undefined;
      const scale = t.metric === "output_tokens" ? 1 : 1000;
      return summarize(merged, scale)[t.stat!];
    }
    const requests = matching.reduce((n, p) => n + p.requests, 0);
    const failures = matching.reduce((n, p) => n + p.failures, 0);
    switch (t.metric) {
      case "requests":
        return requests;
      case "dropped":
        return matching.reduce((n, p) => n + p.dropped, 0);
      case "error_rate":
        return requests === 0 ? undefined : failures / requests;
    }
    // Rates and costs add up over the matching phases: sums over summed windows.
    const summaries = matching.map((p) =>
      summarizePhase(p, targets.find((t) => t.name === p.target)?.economics),
    );
    const windowS = summaries.reduce((n, s) => n + s.windowS, 0);
    const sum = (f: (s: PhaseSummary) => number) =>
      summaries.reduce((n, s) => n + f(s) * s.windowS, 0) / windowS;
    if (windowS === 0) return undefined;
    switch (t.metric) {
      case "request_throughput":
        return sum((s) => s.requestThroughput);
      case "output_throughput":
        return sum((s) => s.outputThroughput);
      case "total_throughput":
        return sum((s) => s.totalThroughput);
      case "goodput":
        return sum((s) => s.goodput);
    }
    if (t.metric.startsWith("cost.")) {
      if (summaries.some((s) => !s.cost)) return undefined;
      const total = summaries.reduce((n, s) => n + s.cost!.total, 0);
      const successes = summaries.reduce((n, s) => n + s.successes, 0);
      if (t.metric === "cost.per_request") return total / requests;
      if (t.metric === "cost.per_1k") return (total / requests) * 1000;
      if (t.metric === "cost.per_success") return successes ? total / successes : undefined;
    }
    return undefined;
  };
}

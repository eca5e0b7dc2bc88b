import { Recorder, summarize } from "../metrics/histogram.js";
import type { PhaseAggregate, DistributionName } from "../metrics/aggregate.js";
import { DISTRIBUTIONS } from "../metrics/aggregate.js";
import type { QualityTotals } from "../run/result.js";
import type { MetricLookup } from "./evaluate.js";
import type { Threshold } from "./parse.js";

/**
 * Resolves threshold metrics from a run's aggregates. Histograms of every matching (target, phase)
 * are merged exactly before a percentile is read, so `ttft.p95` over two phases is a true p95.
 */
export function createLookup(phases: PhaseAggregate[], quality: QualityTotals[]): MetricLookup {
  return (t: Threshold) => {
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
      default:
        // Throughput, goodput, cost and comparison metrics arrive with the load and quality issues.
        return undefined;
    }
  };
}

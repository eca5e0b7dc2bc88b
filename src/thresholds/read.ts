import { summarizePhase, type PhaseSummary } from "../metrics/aggregate.js";
import { Recorder, summarize } from "../metrics/histogram.js";
import type { DistributionName, PhaseAggregate } from "../record/aggregate.js";
import type { ComparisonResult } from "../record/comparison.js";
import type { QualityTotals, TargetInfo } from "../record/run-result.js";
import { sweepOfPhase } from "../record/sweep.js";
import type { TargetTaskMetrics } from "../record/task-metrics.js";
import type { Threshold } from "../record/verdict.js";

/**
 * What a metric is read from: a run's figures, whole (run, merge), so far (abort_on_fail) or of
 * one step (a sweep's SLOs). Figures a caller does not have are empty lists.
 */
export interface RunFigures {
  phases: readonly PhaseAggregate[];
  quality: readonly QualityTotals[];
  targets: ReadonlyArray<Pick<TargetInfo, "name" | "economics">>;
  comparisons: readonly ComparisonResult[];
  tasks: readonly TargetTaskMetrics[];
}

/** Figures with every list the caller leaves out empty. */
export function runFigures(figures: Partial<RunFigures>): RunFigures {
  return { phases: [], quality: [], targets: [], comparisons: [], tasks: [], ...figures };
}

/** How a metric reads its value for a threshold; undefined means no samples. */
export type Reader = (figures: RunFigures, t: Threshold) => number | undefined;

/**
 * Whether an aggregate's phase is one a `phase` tag selects. Untagged, every phase but a sweep's
 * steps: a sweep overloads the server on purpose (its saturation step and the rates past it), so
 * pooling them would fail a latency threshold on load the suite never meant to judge that way; its
 * steps are judged by its own `sweep.slo`. A tag naming the sweep selects all of its steps.
 */
function phaseSelected(phase: string, tag: string | undefined): boolean {
  const sweep = sweepOfPhase(phase);
  return tag === undefined ? sweep === undefined : phase === tag || sweep === tag;
}

/** The aggregates a threshold's `target` and `phase` tags select (see phaseSelected). */
export function matching(figures: RunFigures, t: Threshold): readonly PhaseAggregate[] {
  return figures.phases.filter(
    (p) => (!t.tags.target || p.target === t.tags.target) && phaseSelected(p.phase, t.tags.phase),
  );
}

/**
 * A distribution's statistic over every matching aggregate. Histograms are merged exactly before
 * the statistic is read, so `ttft.p95` over two phases is a true p95, not a mean of two.
 */
export function distribution(name: DistributionName): Reader {
  // Latencies are recorded in µs and read in ms; token counts are plain counts.
  const scale = name === "output_tokens" ? 1 : 1000;
  return (figures, t) => {
    const phases = matching(figures, t);
    if (phases.length === 0 || t.stat === undefined) return undefined;
    const merged = Recorder.decode(phases[0]!.histograms[name]);
    for (const p of phases.slice(1)) merged.merge(Recorder.decode(p.histograms[name]));
    return merged.count === 0 ? undefined : summarize(merged, scale)[t.stat];
  };
}

/** A sum over the matching aggregates (requests, dropped). */
export function total(pick: (p: PhaseAggregate) => number): Reader {
  return (figures, t) => {
    const phases = matching(figures, t);
    return phases.length === 0 ? undefined : phases.reduce((n, p) => n + pick(p), 0);
  };
}

/** failures / requests over the matching aggregates. */
export const errorRate: Reader = (figures, t) => {
  const phases = matching(figures, t);
  const requests = phases.reduce((n, p) => n + p.requests, 0);
  return requests === 0 ? undefined : phases.reduce((n, p) => n + p.failures, 0) / requests;
};

function summaries(figures: RunFigures, t: Threshold): PhaseSummary[] {
  return matching(figures, t).map((p) =>
    summarizePhase(p, figures.targets.find((x) => x.name === p.target)?.economics),
  );
}

/** A rate per second over the matching aggregates: their sums over their summed windows. */
export function perSecond(pick: (s: PhaseSummary) => number): Reader {
  return (figures, t) => {
    const all = summaries(figures, t);
    const windowS = all.reduce((n, s) => n + s.windowS, 0);
    return windowS === 0 ? undefined : all.reduce((n, s) => n + pick(s) * s.windowS, 0) / windowS;
  };
}

/**
 * A cost over the matching aggregates, from their total cost and request and success counts;
 * undefined when a matching target has no prices.
 */
export function cost(
  of: (totalUsd: number, requests: number, successes: number) => number | undefined,
): Reader {
  return (figures, t) => {
    const all = summaries(figures, t);
    if (all.length === 0 || all.some((s) => !s.cost)) return undefined;
    const totalUsd = all.reduce((n, s) => n + (s.cost?.total ?? 0), 0);
    const requests = all.reduce((n, s) => n + s.requests, 0);
    return of(
      totalUsd,
      requests,
      all.reduce((n, s) => n + s.successes, 0),
    );
  };
}

/** Passed / attempted quality cases of the tagged target, or of every target. */
export const passRate: Reader = (figures, t) => {
  const rows = figures.quality.filter((q) => !t.tags.target || q.target === t.tags.target);
  const attempted = rows.reduce((n, q) => n + q.scored + q.errored, 0);
  return attempted === 0 ? undefined : rows.reduce((n, q) => n + q.passed, 0) / attempted;
};

const numbers = (values: Array<number | undefined>) =>
  values.filter((v): v is number => v !== undefined && !Number.isNaN(v));

/**
 * A task metric of the tagged target, or the worst (lowest) over every target that has it.
 * Undefined when none has it (no labelled cases, an unknown label, no repeats): a threshold then
 * reports no samples, never a pass.
 */
export function task(pick: (m: TargetTaskMetrics, t: Threshold) => number | undefined): Reader {
  return (figures, t) => {
    const values = numbers(
      figures.tasks.filter((m) => !t.tags.target || m.target === t.tags.target).map((m) => pick(m, t)),
    );
    return values.length ? Math.min(...values) : undefined;
  };
}

/** The comparisons a threshold names: its `candidate` tag's, or every candidate's, with matched cases. */
export function comparisonsOf(figures: RunFigures, t: Threshold): ComparisonResult[] {
  return figures.comparisons.filter(
    (c) => c.matched > 0 && (!t.tags.candidate || c.candidate.target === t.tags.candidate),
  );
}

/**
 * A comparison metric of the tagged candidate, or the worst over every candidate: the lowest, or
 * the highest where more is worse (flips); `by-op`: the one the threshold's limit is nearest to
 * failing on, the lowest for `>`/`>=` and the highest for `<`/`<=`, so an untagged threshold holds
 * exactly when it holds for every candidate.
 */
export function comparison(
  pick: (c: ComparisonResult) => number | undefined,
  worst: "lowest" | "highest" | "by-op",
): Reader {
  return (figures, t) => {
    const values = numbers(comparisonsOf(figures, t).map(pick));
    if (values.length === 0) return undefined;
    const highest = worst === "highest" || (worst === "by-op" && (t.op === "<" || t.op === "<="));
    return highest ? Math.max(...values) : Math.min(...values);
  };
}

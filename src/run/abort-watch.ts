import type { PhaseAggregator } from "../metrics/aggregate.js";
import type { PhaseAggregate } from "../record/aggregate.js";
import type { Threshold, Verdict } from "../record/verdict.js";
import { judge } from "../thresholds/judge.js";
import type { MetricName } from "../thresholds/metrics.js";
import { runFigures } from "../thresholds/read.js";
import type { QualityTotals, TargetInfo } from "../record/run-result.js";

/**
 * Watches the thresholds marked `abort_on_fail` while the run goes on (k6's semantics): once a
 * threshold's `delay_abort_eval` has passed and it fails on the figures so far, `onAbort` is called
 * once with its verdict. A metric without samples yet does not abort.
 */
export function watchAbortThresholds(options: {
  thresholds: ReadonlyArray<Threshold<MetricName>>;
  finished: () => PhaseAggregate[];
  running: () => PhaseAggregator[];
  quality: () => QualityTotals[];
  targets: () => TargetInfo[];
  onAbort: (verdict: Verdict) => void;
  intervalMs?: number;
}): { stop(): void } {
  const abortable = options.thresholds.filter((t) => t.abortOnFail);
  if (abortable.length === 0) return { stop() {} };
  const startedMs = Date.now();
  const timer = setInterval(() => {
    const elapsed = Date.now() - startedMs;
    const due = abortable.filter((t) => elapsed >= (t.delayAbortEvalMs ?? 0));
    if (due.length === 0) return;
    const phases = [...options.finished(), ...options.running().map((a) => a.toAggregate())];
    const figures = runFigures({ phases, quality: options.quality(), targets: options.targets() });
    const failed = judge(due, figures).find((v) => !v.pass && v.observed !== undefined);
    if (failed) {
      clearInterval(timer);
      options.onAbort(failed);
    }
  }, options.intervalMs ?? 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

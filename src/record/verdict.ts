import type { LatencyStat } from "./aggregate.js";

/**
 * How a metric's value reads: what a bare threshold number means and how it is shown. `fraction` is
 * a share shown as a percentage (a pass or error rate); `ratio` a score from 0 to 1 shown as one
 * (F1, precision, recall: 0.953, never 95.3%); `pp` a difference of two fractions, held as a fraction
 * and shown in percentage points; `p` a p-value.
 */
export type MetricUnit = "ms" | "fraction" | "ratio" | "pp" | "p" | "count" | "per_second" | "usd" | "tokens";

export const OPERATORS = ["<", "<=", ">", ">=", "==", "!="] as const;
export type Operator = (typeof OPERATORS)[number];

/** Whether `observed op limit` holds: the plain verdict of every threshold. */
export function holds(observed: number, op: Operator, limit: number): boolean {
  switch (op) {
    case "<":
      return observed < limit;
    case "<=":
      return observed <= limit;
    case ">":
      return observed > limit;
    case ">=":
      return observed >= limit;
    case "==":
      return observed === limit;
    case "!=":
      return observed !== limit;
  }
}

/**
 * A threshold as parsed (src/thresholds/parse.ts), so nothing after the parser reads a key string
 * again. `M` narrows the metric name where the registry is known; run.json holds a plain string.
 */
export interface ThresholdDefinition<M extends string = string> {
  metric: M;
  /** Statistic of a distribution metric (p95, mean, ...); absent for single-valued metrics. */
  stat?: LatencyStat;
  tags: Record<string, string>;
  op: Operator;
  /** In the metric's unit: ms for latencies, a fraction for rates. */
  limit: number;
  abortOnFail: boolean;
  delayAbortEvalMs?: number;
}

/** One threshold, parsed, with the key and expression as the user wrote them. */
export interface Threshold<M extends string = string> extends ThresholdDefinition<M> {
  /** e.g. `ttft.p95{phase:steady}`. */
  key: string;
  /** e.g. `< 200ms`. */
  expression: string;
}

/**
 * Where a threshold came from: the suite (its `thresholds:`), or the `--baseline` comparison,
 * whose gates no suite line defines and which only a run with the baseline file can judge again.
 */
export type VerdictSource = "suite" | "baseline";

/** The outcome of one threshold: what was observed against what was allowed, and why it held or not. */
export interface Verdict {
  key: string;
  expression: string;
  pass: boolean;
  /** In the metric's unit (ms for latencies, a fraction for rates); undefined when there were no samples. */
  observed?: number;
  limit: number;
  unit: MetricUnit;
  reason: string;
  /** The threshold judged, as parsed; absent in runs written before verdicts kept it. */
  threshold?: ThresholdDefinition;
  /** Absent in runs written before verdicts said: see sourceOf. */
  source?: VerdictSource;
}

/**
 * Where a verdict came from. A run written before verdicts said so marked its `--baseline` gates
 * only by the key's "baseline " prefix, which no metric name has.
 */
export function sourceOf(v: Verdict): VerdictSource {
  return v.source ?? (v.key.startsWith("baseline ") ? "baseline" : "suite");
}

/**
 * A threshold this run did not judge because the command line left out what it measures
 * (`--only quality` skips load thresholds, `--target` a target's): shown as skipped, never passed.
 */
export interface SkippedThreshold {
  key: string;
  expression: string;
  /** Why, e.g. "--only quality does not run phase \"steady\"". */
  reason: string;
}

import type { Verdict } from "../record/verdict.js";
import { METRICS } from "../metrics/catalog.js";
import { compare, type Threshold } from "./parse.js";

/** Looks a metric value up for a set of tag filters; undefined means no samples. */
export type MetricLookup = (t: Threshold) => number | undefined;

/**
 * Lets a metric judge its own threshold, e.g. a comparison delta that fails only when the drop is
 * also significant. Undefined leaves the plain `observed op limit` verdict.
 */
export type VerdictHook = (t: Threshold, observed: number) => { pass: boolean; reason: string } | undefined;

export function formatValue(value: number, unit: string): string {
  if (unit === "ms") return `${value.toFixed(value >= 100 ? 0 : 2)}ms`;
  if (unit === "fraction") return `${(value * 100).toFixed(2)}%`;
  if (unit === "usd") return `$${value.toFixed(4)}`;
  if (unit === "per_second") return `${value.toFixed(2)}/s`;
  return String(Math.round(value * 1000) / 1000);
}

/**
 * Evaluates each threshold. A metric with no samples fails with that reason: a threshold never
 * passes silently on missing data.
 */
export function evaluateThresholds(
  thresholds: Threshold[],
  lookup: MetricLookup,
  hook?: VerdictHook,
): Verdict[] {
  return thresholds.map((t) => {
    const unit = METRICS[t.metric]!.unit;
    const limitText = `${t.op} ${formatValue(t.limit, unit)}`;
    const observed = lookup(t);
    if (observed === undefined || Number.isNaN(observed)) {
      return {
        key: t.key,
        expression: t.expression,
        pass: false,
        limit: t.limit,
        unit,
        reason: `no samples for ${t.key}`,
      };
    }
    const own = hook?.(t, observed);
    return {
      key: t.key,
      expression: t.expression,
      pass: own ? own.pass : compare(observed, t.op, t.limit),
      observed,
      limit: t.limit,
      unit,
      reason: own ? own.reason : `observed ${formatValue(observed, unit)}, limit ${limitText}`,
    };
  });
}

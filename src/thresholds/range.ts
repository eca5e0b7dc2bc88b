import type { Threshold } from "../record/verdict.js";
import { metricDef, metricRange, type MetricName } from "./metrics.js";

/** A bound of a metric's range as a threshold writes it: 5% for a fraction, 5pp for a delta. */
function shown(value: number, unit: string, delta: boolean): string {
  if (unit === "ratio") return String(value);
  if (unit === "fraction" || unit === "pp") return `${Number((value * 100).toFixed(4))}${delta ? "pp" : "%"}`;
  return `${value}${unit === "ms" ? "ms" : ""}`;
}

/**
 * Why a threshold checks nothing, or undefined when it can go either way: its limit lies outside
 * the values its metric can take (`error_rate < -5%` never passes, `error_rate < 200%` always
 * does), or sits on the edge with a strict operator (`error_rate < 0` never passes).
 */
export function thresholdRangeProblem(t: Threshold<MetricName>): string | undefined {
  const def = metricDef(t.metric);
  const [min, max] = metricRange(def);
  const delta = min < 0;
  const unit = t.stat === "count" ? "count" : def.unit;
  const range =
    max === Number.POSITIVE_INFINITY
      ? `${min} or more`
      : `between ${shown(min, unit, delta)} and ${shown(max, unit, delta)}`;
  const never =
    (t.op === "<" && t.limit <= min) ||
    (t.op === "<=" && t.limit < min) ||
    (t.op === ">" && t.limit >= max) ||
    (t.op === ">=" && t.limit > max) ||
    (t.op === "==" && (t.limit < min || t.limit > max));
  if (never) return `${t.key}: ${t.metric} is ${range}, so "${t.expression}" can never pass`;
  if (t.limit < min || t.limit > max)
    return `${t.key}: ${t.metric} is ${range}, so "${t.expression}" always passes and checks nothing`;
  return undefined;
}

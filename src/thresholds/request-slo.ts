import type { RequestSample } from "../record/request-sample.js";
import { holds, type Operator } from "../record/verdict.js";
import { isMetricName, METRICS, metricDef, type MetricName } from "./metrics.js";
import { parseThreshold, ThresholdSyntaxError } from "./parse.js";

/** One per-request SLO from a phase's `slo` map, parsed: the request's `metric` must be `op limit` (ms). */
export interface RequestSlo {
  /** The key as written, e.g. `ttft` or `e2e.p99`. */
  key: string;
  expression: string;
  /** A metric with a per-request reading (see `perRequest` in METRICS). */
  metric: MetricName;
  op: Operator;
  limitMs: number;
}

/** The metrics a request can be held to: those the registry reads per request. */
const PER_REQUEST = Object.keys(METRICS).filter(
  (name) => isMetricName(name) && metricDef(name).perRequest !== undefined,
);

/**
 * Parses one entry of a phase's `slo` map (`ttft: "<300ms"`, `"e2e.p99": "<2s"`): a statistic in
 * the key is ignored per request. Throws ThresholdSyntaxError for an expression it cannot read or
 * a metric that cannot apply to one request.
 */
export function parseRequestSlo(key: string, expression: string): RequestSlo {
  const unknown = () => new ThresholdSyntaxError(`${key}: an SLO names one of ${PER_REQUEST.join(", ")}`);
  // Named first, so `error_rate` is told what an SLO names rather than that it has no statistic.
  if (!PER_REQUEST.includes((key.split(/[.{]/)[0] ?? "").trim())) throw unknown();
  const t = parseThreshold(key.includes(".") ? key : `${key}.p50`, expression);
  if (!metricDef(t.metric).perRequest) throw unknown();
  return { key, expression, metric: t.metric, op: t.op, limitMs: t.limit };
}

/** Per-request checks for goodput: a request passes one when its reading meets that SLO. */
export function requestSloChecks(slos: readonly RequestSlo[]): Array<(s: RequestSample) => boolean> {
  return slos.map((slo) => {
    const read = metricDef(slo.metric).perRequest;
    return (s) => {
      const value = read?.(s);
      return value !== undefined && holds(value, slo.op, slo.limitMs);
    };
  });
}

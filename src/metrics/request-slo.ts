import { compare, parseThreshold, type Operator } from "../thresholds/parse.js";
import type { RequestSample } from "../record/request-sample.js";

const PER_REQUEST = {
  ttft: (s: RequestSample) => s.ttftUs,
  e2e: (s: RequestSample) => s.e2eUs,
  tpot: (s: RequestSample) => s.tpotUs,
  // A request's ITL is its mean gap: the per-request reading of a pooled distribution.
  itl: (s: RequestSample) =>
    s.itlGapsUs.length ? s.itlGapsUs.reduce((a, b) => a + b, 0) / s.itlGapsUs.length : undefined,
} satisfies Record<string, (s: RequestSample) => number | undefined>;

export type RequestSloMetric = keyof typeof PER_REQUEST;

/** One per-request SLO from a phase's `slo` map, parsed: the request's `metric` must be `op limit` (ms). */
export interface RequestSlo {
  /** The key as written, e.g. `ttft` or `e2e.p99`. */
  key: string;
  expression: string;
  metric: RequestSloMetric;
  op: Operator;
  limitMs: number;
}

const isRequestSloMetric = (m: string): m is RequestSloMetric => m in PER_REQUEST;

/**
 * Parses one entry of a phase's `slo` map (`ttft: "<300ms"`, `"e2e.p99": "<2s"`): a statistic in
 * the key is ignored per request. Throws ThresholdSyntaxError for an expression it cannot read, and
 * an Error for a metric that cannot apply to one request.
 */
export function parseRequestSlo(key: string, expression: string): RequestSlo {
  const unknown = () => new Error(`${key}: an SLO names one of ${Object.keys(PER_REQUEST).join(", ")}`);
  // Named first, so `error_rate` is told what an SLO names rather than that it has no statistic.
  if (!isRequestSloMetric((key.split(/[.{]/)[0] ?? "").trim())) throw unknown();
  const t = parseThreshold(key.includes(".") ? key : `${key}.p50`, expression);
  if (!isRequestSloMetric(t.metric)) throw unknown();
  return { key, expression, metric: t.metric, op: t.op, limitMs: t.limit };
}

/** Per-request checks for goodput: a request passes one when its latency meets that SLO. */
export function requestSloChecks(slos: readonly RequestSlo[]): Array<(s: RequestSample) => boolean> {
  return slos.map((slo) => {
    const read = PER_REQUEST[slo.metric];
    return (s) => {
      const us = read(s);
      return us !== undefined && compare(us / 1000, slo.op, slo.limitMs);
    };
  });
}

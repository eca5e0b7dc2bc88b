import { compare, parseThreshold } from "../thresholds/parse.js";
import type { RequestSample } from "./sample.js";

const PER_REQUEST: Record<string, (s: RequestSample) => number | undefined> = {
  ttft: (s) => s.ttftUs,
  e2e: (s) => s.e2eUs,
  tpot: (s) => s.tpotUs,
  // A request's ITL is its mean gap: the per-request reading of a pooled distribution.
  itl: (s) => (s.itlGapsUs.length ? s.itlGapsUs.reduce((a, b) => a + b, 0) / s.itlGapsUs.length : undefined),
};

/**
 * Per-request checks for goodput from a phase's `slo` map (`{ttft: "<300ms", "e2e.p99": "<2s"}`):
 * each request must meet every named latency (a statistic in the key is ignored per request).
 * Throws ThresholdSyntaxError for an SLO that cannot apply to one request.
 */
export function createRequestSlos(
  slo: Record<string, string> | undefined,
): Array<(s: RequestSample) => boolean> {
  return Object.entries(slo ?? {}).map(([key, expression]) => {
    const t = parseThreshold(key.includes(".") ? key : `${key}.p50`, expression);
    const read = PER_REQUEST[t.metric];
    if (!read) throw new Error(`${key}: an SLO names one of ${Object.keys(PER_REQUEST).join(", ")}`);
    return (s) => {
      const us = read(s);
      return us !== undefined && compare(us / 1000, t.op, t.limit);
    };
  });
}

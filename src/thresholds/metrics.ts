// The metric registry, one table: past 300 lines because every metric a threshold can name is one
// entry here, and splitting the table would scatter what the compiler checks is whole.
import { LATENCY_STATS, type LatencyStat } from "../record/aggregate.js";
import type { RequestSample } from "../record/request-sample.js";
import type { MetricUnit, Operator, Threshold } from "../record/verdict.js";
import { gateOf } from "../stats/gate.js";
import {
  COMPARED,
  ENOUGH_CLUSTERS,
  EXPECTED,
  LABELLED,
  MEASURED,
  ONE_LABEL,
  PRICED,
  REPEATED,
  SCORED,
  type Need,
} from "./needs.js";
import {
  comparison,
  cost,
  distribution,
  errorRate,
  passRate,
  perSecond,
  task,
  total,
  type Reader,
  type RunFigures,
} from "./read.js";
import { judgeMargins, marginTests, type MarginTest } from "./significance.js";
import { SERVER_NEEDS, SERVER_STATS, serverSeries } from "./server-metrics.js";
import type { ServerSeries } from "../record/server-telemetry.js";

/** Tags a threshold may filter a metric by. */
export type Tag = "target" | "phase" | "candidate" | "label";

/** Everything Gauntlet knows about one metric: one entry in METRICS. */
export interface MetricDef {
  unit: MetricUnit;
  /** A distribution is read by one of these statistics (`ttft.p95`); a metric without has one value. */
  stats?: readonly LatencyStat[];
  tags: readonly Tag[];
  description: string;
  /** Its value in a run for a threshold's tags (and statistic); undefined when there were no samples. */
  read: Reader;
  /** What it needs to get a sample in a run, checked before anything is sent (see preflight.ts). */
  needs: readonly Need[];
  /** Its value for one request, in its unit: what a phase's per-request `slo` (goodput) checks. */
  perRequest?: (s: RequestSample) => number | undefined;
  /**
   * The values it can take, in its unit: a fraction or a p-value is 0..1, a difference of fractions
   * (pp) -1..1, everything else 0 or more, unless the entry says otherwise. A threshold outside it
   * checks nothing.
   */
  range?: readonly [number, number];
  /** The operators a threshold on it may use, when not all (a delta judged by its interval). */
  ops?: readonly Operator[];
  /**
   * Judges a threshold as hypothesis tests instead of `observed op limit`: one test per comparison
   * it names, each p adjusted (Holm) over every such test in one judging (see judge.ts).
   */
  margin?: {
    tests: (t: Threshold, figures: RunFigures) => MarginTest[];
    judge: (
      t: Threshold,
      tests: readonly MarginTest[],
      adjusted: ReadonlyArray<number | undefined>,
      family: number,
    ) => { pass: boolean; reason: string } | undefined;
  };
}

const LOAD_TAGS = ["target", "phase"] as const;

const latency = (
  name: "ttft" | "e2e" | "itl" | "tpot" | "dispatch_delay",
  description: string,
  perRequestUs?: (s: RequestSample) => number | undefined,
): MetricDef => ({
  unit: "ms",
  stats: LATENCY_STATS,
  tags: LOAD_TAGS,
  description,
  read: distribution(name),
  needs: [MEASURED],
  ...(perRequestUs ? { perRequest: (s: RequestSample) => ms(perRequestUs(s)) } : {}),
});

const ms = (us: number | undefined) => (us === undefined ? undefined : us / 1000);

/** A series of the server's own metrics endpoint (src/telemetry's vocabulary), scraped during load. */
const server = (name: ServerSeries, unit: MetricUnit, description: string): MetricDef => ({
  unit,
  stats: SERVER_STATS,
  tags: LOAD_TAGS,
  description: `server: ${description}`,
  read: serverSeries(name),
  needs: SERVER_NEEDS,
});

const perTarget = (
  description: string,
  read: Reader,
  needs: readonly Need[],
  unit: MetricUnit = "fraction",
): MetricDef => ({
  unit,
  tags: ["target"],
  description,
  read,
  needs: [SCORED, ...needs],
});

const perCandidate = (
  description: string,
  read: Reader,
  needs: readonly Need[] = [],
  unit: MetricUnit = "fraction",
): MetricDef => ({
  unit,
  tags: ["candidate"],
  description,
  read,
  needs: [SCORED, COMPARED, ...needs],
});

const usd = (description: string, read: Reader): MetricDef => ({
  unit: "usd",
  tags: LOAD_TAGS,
  description,
  read,
  needs: [MEASURED, PRICED],
});

/**
 * Every metric a threshold can name, keyed by its name; the compiler checks each entry is whole.
 * A threshold on a name not here fails to parse, before anything is sent.
 */
export const METRICS = {
  ttft: latency("ttft", "first content chunk - start", (s) => s.ttftUs),
  e2e: latency("e2e", "last content chunk (or full body) - start", (s) => s.e2eUs),
  tpot: latency("tpot", "per request (e2e - ttft) / (output_tokens - 1)", (s) => s.tpotUs),
  // A request's ITL is its mean gap: the per-request reading of a pooled distribution.
  itl: latency("itl", "gaps between consecutive content chunks, pooled", (s) =>
    s.itlGapsUs.length ? s.itlGapsUs.reduce((a, b) => a + b, 0) / s.itlGapsUs.length : undefined,
  ),
  dispatch_delay: latency("dispatch_delay", "actual send time - start"),
  output_tokens: {
    unit: "tokens",
    stats: LATENCY_STATS,
    tags: LOAD_TAGS,
    description: "output tokens per request",
    read: distribution("output_tokens"),
    needs: [MEASURED],
  },
  requests: {
    unit: "count",
    tags: LOAD_TAGS,
    description: "requests that completed, successful or failed",
    read: total((p) => p.requests),
    needs: [MEASURED],
  },
  error_rate: {
    unit: "fraction",
    tags: LOAD_TAGS,
    description: "failed / (failed + successful)",
    read: errorRate,
    needs: [MEASURED],
  },
  dropped: {
    unit: "count",
    tags: LOAD_TAGS,
    description: "open-loop arrivals over max_in_flight, never sent",
    read: total((p) => p.dropped),
    needs: [MEASURED],
  },
  request_throughput: {
    unit: "per_second",
    tags: LOAD_TAGS,
    description: "successful requests / window",
    read: perSecond((s) => s.requestThroughput),
    needs: [MEASURED],
  },
  output_throughput: {
    unit: "per_second",
    tags: LOAD_TAGS,
    description: "output tokens / window",
    read: perSecond((s) => s.outputThroughput),
    needs: [MEASURED],
  },
  total_throughput: {
    unit: "per_second",
    tags: LOAD_TAGS,
    description: "(input + output tokens) / window",
    read: perSecond((s) => s.totalThroughput),
    needs: [MEASURED],
  },
  goodput: {
    unit: "per_second",
    tags: LOAD_TAGS,
    description: "successful requests meeting every SLO / window",
    read: perSecond((s) => s.goodput),
    needs: [MEASURED],
  },
  "server.requests_running": server("requests_running", "count", "requests the engine is running"),
  "server.requests_waiting": server("requests_waiting", "count", "requests queued for a batch slot"),
  "server.kv_cache_usage": server("kv_cache_usage", "fraction", "KV-cache usage (1 = full)"),
  "server.preemptions": server("preemptions", "per_second", "preemptions per second"),
  "server.batch_size": server("batch_size", "count", "requests per batch (TGI, llama.cpp)"),
  "server.tokens_per_step": server("tokens_per_step", "tokens", "tokens per engine step (vLLM)"),
  "server.prompt_throughput": server("prompt_throughput", "per_second", "prompt tokens per second"),
  "server.generation_throughput": server(
    "generation_throughput",
    "per_second",
    "generated tokens per second",
  ),
  "cost.per_request": usd(
    "cost per request",
    cost((usd, requests) => usd / requests),
  ),
  "cost.per_1k": usd(
    "cost per 1000 requests",
    cost((usd, requests) => (usd / requests) * 1000),
  ),
  "cost.per_success": usd(
    "cost per successful request",
    cost((usd, _requests, successes) => (successes ? usd / successes : undefined)),
  ),
  "quality.pass_rate": perTarget("passed cases / cases attempted", passRate, []),
  "quality.macro_f1": perTarget(
    "macro-averaged F1 over labels",
    task((m) => m.classification?.macro.f1),
    [LABELLED],
    "ratio",
  ),
  "quality.micro_f1": perTarget(
    "micro-averaged F1 over labels (pooled counts)",
    task((m) => m.classification?.micro.f1),
    [LABELLED],
    "ratio",
  ),
  "quality.accuracy": perTarget(
    "outputs read as their expected label / labelled cases",
    task((m) => m.classification?.accuracy),
    [LABELLED],
  ),
  "quality.f1": {
    ...perTarget(
      "F1 for one label",
      task((m, t) => m.classification?.perLabel.find((s) => s.label === t.tags.label)?.f1),
      [LABELLED, ONE_LABEL],
      "ratio",
    ),
    tags: ["target", "label"],
  },
  "quality.precision": {
    ...perTarget(
      "precision for one label",
      task((m, t) => m.classification?.perLabel.find((s) => s.label === t.tags.label)?.precision),
      [LABELLED, ONE_LABEL],
      "ratio",
    ),
    tags: ["target", "label"],
  },
  "quality.recall": {
    ...perTarget(
      "recall for one label",
      task((m, t) => m.classification?.perLabel.find((s) => s.label === t.tags.label)?.recall),
      [LABELLED, ONE_LABEL],
      "ratio",
    ),
    tags: ["target", "label"],
  },
  "quality.set_precision": perTarget(
    "matched / predicted items, pooled (extraction)",
    task((m) => m.extraction?.micro.precision),
    [EXPECTED],
    "ratio",
  ),
  "quality.set_recall": perTarget(
    "matched / expected items, pooled (extraction)",
    task((m) => m.extraction?.micro.recall),
    [EXPECTED],
    "ratio",
  ),
  "quality.set_f1": perTarget(
    "F1 of pooled set precision and recall",
    task((m) => m.extraction?.micro.f1),
    [EXPECTED],
    "ratio",
  ),
  // pass@k and pass^k at k = the largest repeat count.
  "quality.pass_at_k": perTarget(
    "unbiased pass@k at k = the repeat count",
    task((m) => m.repeats?.passAtK[m.repeats.k - 1]),
    [REPEATED],
  ),
  "quality.pass_hat_k": perTarget(
    "pass^k (every one of k runs passes) at k = the repeat count",
    task((m) => m.repeats?.passHatK[m.repeats.k - 1]),
    [REPEATED],
  ),
  "quality.consistency": perTarget(
    "mean share of repeats giving the most common output",
    task((m) => m.repeats?.consistency),
    [REPEATED],
  ),
  // The delta and its interval: the plain metric is judged by its interval ("fail only when a drop
  // beyond the limit is shown", significance.ts); its bounds are plain metrics, for the opposite
  // gate ("pass only when staying within the limit is shown": `.ci_low > -2pp`).
  "compare.pass_rate_delta": {
    ...perCandidate(
      "candidate - baseline pass rate (paired); fails only when its interval lies beyond the limit",
      comparison((c) => c.delta.difference, "lowest"),
      [ENOUGH_CLUSTERS],
      "pp",
    ),
    range: [-1, 1],
    ops: ["<", "<=", ">", ">="],
    margin: { tests: marginTests, judge: judgeMargins },
  },
  "compare.pass_rate_delta.ci_low": perCandidate(
    "lower bound of the delta's interval (the one its gate decides by)",
    comparison((c) => gateOf(c)?.lower, "by-op"),
    [ENOUGH_CLUSTERS],
    "pp",
  ),
  "compare.pass_rate_delta.ci_high": perCandidate(
    "upper bound of the delta's interval (the one its gate decides by)",
    comparison((c) => gateOf(c)?.upper, "by-op"),
    [ENOUGH_CLUSTERS],
    "pp",
  ),
  "compare.p_value": perCandidate(
    "two-sided p of no difference, by the procedure of the delta's interval",
    comparison((c) => gateOf(c)?.pValue, "by-op"),
    [ENOUGH_CLUSTERS],
    "p",
  ),
  "compare.recovery": {
    ...perCandidate(
      "candidate / baseline pass rate",
      comparison((c) => c.recovery, "lowest"),
    ),
    range: [0, Number.POSITIVE_INFINITY],
  },
  "compare.flips": perCandidate(
    "cases whose verdict flipped / cases",
    comparison((c) => (c.flips.regressions.length + c.flips.improvements.length) / c.matched, "highest"),
  ),
  "compare.agreement": perCandidate(
    "exact-output agreement rate",
    comparison((c) => c.agreement.rate, "lowest"),
  ),
  "compare.macro_f1_delta": {
    ...perCandidate(
      "candidate - baseline macro F1 on the labelled cases",
      comparison((c) => c.classification?.macroF1Delta, "lowest"),
      [LABELLED],
      "pp",
    ),
    range: [-1, 1],
  },
} satisfies Record<string, MetricDef>;

/** The name of a metric a threshold can name: the compiler knows every one. */
export type MetricName = keyof typeof METRICS;

/** Whether `name` is a registered metric (run.json and keys are text; the registry is not). */
export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}

/** The values a metric can take (see MetricDef.range). */
export function metricRange(def: MetricDef): readonly [number, number] {
  if (def.range) return def.range;
  if (def.unit === "fraction" || def.unit === "ratio" || def.unit === "p") return [0, 1];
  return def.unit === "pp" ? [-1, 1] : [0, Number.POSITIVE_INFINITY];
}

/** The definition of a registered metric. */
export function metricDef(name: MetricName): MetricDef {
  return METRICS[name];
}

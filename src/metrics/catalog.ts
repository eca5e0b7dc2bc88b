/** How a metric's value reads: what a bare threshold number means and how it is shown. */
export type MetricUnit = "ms" | "fraction" | "count" | "per_second" | "usd" | "tokens";

export interface MetricInfo {
  unit: MetricUnit;
  /** Latency-like metrics have percentile statistics; the rest have one value. */
  distribution: boolean;
  /** Tags a threshold may filter on. */
  tags: ReadonlyArray<"target" | "phase" | "candidate" | "label">;
  description: string;
}

const LATENCY_TAGS = ["target", "phase"] as const;
const latency = (description: string): MetricInfo => ({
  unit: "ms",
  distribution: true,
  tags: LATENCY_TAGS,
  description,
});
const single = (
  unit: MetricUnit,
  description: string,
  tags: MetricInfo["tags"] = LATENCY_TAGS,
): MetricInfo => ({
  unit,
  distribution: false,
  tags,
  description,
});

/** Every metric PRODUCT.md names, so thresholds on a misspelled one fail before anything is sent. */
export const METRICS: Record<string, MetricInfo> = {
  ttft: latency("first content chunk - start"),
  e2e: latency("last content chunk (or full body) - start"),
  itl: latency("gaps between consecutive content chunks, pooled"),
  tpot: latency("per request (e2e - ttft) / (output_tokens - 1)"),
  dispatch_delay: latency("actual send time - start"),
  output_tokens: {
    unit: "tokens",
    distribution: true,
    tags: LATENCY_TAGS,
    description: "output tokens per request",
  },
  requests: single("count", "requests that completed, successful or failed"),
  error_rate: single("fraction", "failed / (failed + successful)"),
  dropped: single("count", "open-loop arrivals over max_in_flight, never sent"),
  request_throughput: single("per_second", "successful requests / window"),
  output_throughput: single("per_second", "output tokens / window"),
  total_throughput: single("per_second", "(input + output tokens) / window"),
  goodput: single("per_second", "successful requests meeting every SLO / window"),
  "cost.per_request": single("usd", "cost per request"),
  "cost.per_1k": single("usd", "cost per 1000 requests"),
  "cost.per_success": single("usd", "cost per successful request"),
  "quality.pass_rate": single("fraction", "passed cases / cases attempted", ["target"]),
  "quality.macro_f1": single("fraction", "macro-averaged F1 over labels", ["target"]),
  "quality.micro_f1": single("fraction", "micro-averaged F1 over labels (pooled counts)", ["target"]),
  "quality.accuracy": single("fraction", "outputs read as their expected label / labelled cases", ["target"]),
  "quality.f1": single("fraction", "F1 for one label", ["target", "label"]),
  "quality.precision": single("fraction", "precision for one label", ["target", "label"]),
  "quality.recall": single("fraction", "recall for one label", ["target", "label"]),
  "quality.set_precision": single("fraction", "matched / predicted items, pooled (extraction)", ["target"]),
  "quality.set_recall": single("fraction", "matched / expected items, pooled (extraction)", ["target"]),
  "quality.set_f1": single("fraction", "F1 of pooled set precision and recall", ["target"]),
  "quality.pass_at_k": single("fraction", "unbiased pass@k at k = the repeat count", ["target"]),
  "quality.pass_hat_k": single("fraction", "pass^k (every one of k runs passes) at k = the repeat count", [
    "target",
  ]),
  "quality.consistency": single("fraction", "mean share of repeats giving the most common output", [
    "target",
  ]),
  "compare.pass_rate_delta": single("fraction", "candidate - baseline pass rate (paired)", ["candidate"]),
  "compare.recovery": single("fraction", "candidate / baseline pass rate", ["candidate"]),
  "compare.flips": single("fraction", "cases whose verdict flipped / cases", ["candidate"]),
  "compare.agreement": single("fraction", "exact-output agreement rate", ["candidate"]),
  "compare.macro_f1_delta": single("fraction", "candidate - baseline macro F1 on the labelled cases", [
    "candidate",
  ]),
};

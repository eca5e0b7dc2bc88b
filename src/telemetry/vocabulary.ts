import type { ServerEngine, ServerSeries } from "../record/server-telemetry.js";
import { RAW_PREFIX } from "../record/server-telemetry.js";
import type { PromSample } from "./prometheus-text.js";

/**
 * Where one vocabulary series is read from in one engine's /metrics:
 * - gauge: the sample as it is;
 * - counter: its increase per second between two scrapes;
 * - mean: the increase of a histogram's `_sum` over that of its `_count` between two scrapes.
 * Several label sets (one per model, per data-parallel engine) are summed, or for a share (KV
 * cache usage) the largest taken.
 */
export type Source =
  | { engine: ServerEngine; gauge: string; combine?: "sum" | "max" }
  | { engine: ServerEngine; counter: string }
  | { engine: ServerEngine; sum: string; count: string };

/**
 * The vocabulary's sources, per series, from each engine's own metric names: vLLM (V1 engine and
 * the V0 names still served by older releases), TGI's router, SGLang and llama.cpp's llama-server
 * (`--metrics`). A series an engine does not expose has no source for it.
 */
export const VOCABULARY: Record<ServerSeries, readonly Source[]> = {
  requests_running: [
    { engine: "vllm", gauge: "vllm:num_requests_running" },
    { engine: "tgi", gauge: "tgi_batch_current_size" },
    { engine: "sglang", gauge: "sglang:num_running_reqs" },
    { engine: "llama.cpp", gauge: "llamacpp:requests_processing" },
  ],
  requests_waiting: [
    { engine: "vllm", gauge: "vllm:num_requests_waiting" },
    { engine: "tgi", gauge: "tgi_queue_size" },
    { engine: "sglang", gauge: "sglang:num_queue_reqs" },
    { engine: "llama.cpp", gauge: "llamacpp:requests_deferred" },
  ],
  kv_cache_usage: [
    { engine: "vllm", gauge: "vllm:kv_cache_usage_perc", combine: "max" },
    { engine: "vllm", gauge: "vllm:gpu_cache_usage_perc", combine: "max" },
    { engine: "sglang", gauge: "sglang:token_usage", combine: "max" },
    { engine: "llama.cpp", gauge: "llamacpp:kv_cache_usage_ratio", combine: "max" },
  ],
  preemptions: [{ engine: "vllm", counter: "vllm:num_preemptions_total" }],
  batch_size: [
    { engine: "tgi", gauge: "tgi_batch_current_size" },
    { engine: "llama.cpp", gauge: "llamacpp:n_busy_slots_per_decode" },
  ],
  tokens_per_step: [
    { engine: "vllm", sum: "vllm:iteration_tokens_total_sum", count: "vllm:iteration_tokens_total_count" },
  ],
  prompt_throughput: [
    { engine: "vllm", counter: "vllm:prompt_tokens_total" },
    { engine: "tgi", counter: "tgi_request_input_length_sum" },
    { engine: "sglang", counter: "sglang:prompt_tokens_total" },
    { engine: "llama.cpp", counter: "llamacpp:prompt_tokens_total" },
  ],
  generation_throughput: [
    { engine: "vllm", counter: "vllm:generation_tokens_total" },
    { engine: "tgi", counter: "tgi_request_generated_tokens_sum" },
    { engine: "sglang", counter: "sglang:generation_tokens_total" },
    { engine: "llama.cpp", counter: "llamacpp:tokens_predicted_total" },
  ],
};

/** Each engine's name prefix: the engine of a body is the one whose names it carries. */
const PREFIXES: Record<ServerEngine, string> = {
  vllm: "vllm:",
  tgi: "tgi_",
  sglang: "sglang:",
  "llama.cpp": "llamacpp:",
};

/** Series kept raw from one body at most (an engine exposes a few dozen). */
export const MAX_RAW_SERIES = 64;

/** Samples that are never kept raw: histogram and summary parts, and the client library's own. */
const NOT_RAW = /(_bucket|_created)$|^(python_|process_|go_|http_|tokio_)|\{/;

const MAPPED: ReadonlySet<string> = new Set(
  Object.values(VOCABULARY).flatMap((sources) =>
    sources.flatMap((s) => ("gauge" in s ? [s.gauge] : "counter" in s ? [s.counter] : [s.sum, s.count])),
  ),
);

/** The engine whose names a body carries, if any. */
export function detectEngine(samples: readonly PromSample[]): ServerEngine | undefined {
  for (const [engine, prefix] of Object.entries(PREFIXES) as Array<[ServerEngine, string]>)
    if (samples.some((s) => s.name.startsWith(prefix))) return engine;
  return undefined;
}

/** One scrape's values by sample name, label sets combined (summed, or the largest for shares). */
export function totals(samples: readonly PromSample[]): Map<string, { sum: number; max: number }> {
  const out = new Map<string, { sum: number; max: number }>();
  for (const s of samples) {
    if (!Number.isFinite(s.value)) continue;
    const t = out.get(s.name);
    if (t) {
      t.sum += s.value;
      t.max = Math.max(t.max, s.value);
    } else out.set(s.name, { sum: s.value, max: s.value });
  }
  return out;
}

/**
 * Maps a scrape to the vocabulary, given the one before it (for counters and histogram means) and
 * the seconds between them: series name → value, plus `raw:NAME` for each gauge, counter or
 * untyped sample the vocabulary has no word for. A counter that went down (a restarted server)
 * gives no rate for that interval.
 */
export function mapScrape(
  now: ReadonlyMap<string, { sum: number; max: number }>,
  before: ReadonlyMap<string, { sum: number; max: number }> | undefined,
  seconds: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [series, sources] of Object.entries(VOCABULARY) as Array<[ServerSeries, readonly Source[]]>) {
    for (const src of sources) {
      const v = read(src, now, before, seconds);
      if (v === undefined) continue;
      out[series] = v;
      break;
    }
  }
  let raw = 0;
  for (const [name, t] of now) {
    if (MAPPED.has(name) || NOT_RAW.test(name)) continue;
    if (++raw > MAX_RAW_SERIES) break;
    out[RAW_PREFIX + name] = t.sum;
  }
  return out;
}

function read(
  src: Source,
  now: ReadonlyMap<string, { sum: number; max: number }>,
  before: ReadonlyMap<string, { sum: number; max: number }> | undefined,
  seconds: number,
): number | undefined {
  if ("gauge" in src) {
    const t = now.get(src.gauge);
    return t === undefined ? undefined : src.combine === "max" ? t.max : t.sum;
  }
  if (!before || seconds <= 0) return undefined;
  if ("counter" in src) {
    const a = before.get(src.counter)?.sum;
    const b = now.get(src.counter)?.sum;
    return a === undefined || b === undefined || b < a ? undefined : (b - a) / seconds;
  }
  const ds = (now.get(src.sum)?.sum ?? Number.NaN) - (before.get(src.sum)?.sum ?? Number.NaN);
  const dc = (now.get(src.count)?.sum ?? Number.NaN) - (before.get(src.count)?.sum ?? Number.NaN);
  return dc > 0 && ds >= 0 ? ds / dc : undefined;
}

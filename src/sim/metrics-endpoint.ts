/** What the simulator counts for its /metrics: its batcher's state and the tokens it has handled. */
export interface SimMetricsState {
  model: string;
  maxBatch: number;
  running: number;
  waiting: number;
  promptTokens: number;
  generationTokens: number;
}

const gauge = (name: string, help: string, model: string, value: number) =>
  `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}{model_name="${model}"} ${value.toFixed(1)}\n`;

const counter = (name: string, help: string, model: string, value: number) =>
  `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name}_total{model_name="${model}"} ${value.toFixed(1)}\n`;

/**
 * The simulator's /metrics in vLLM's names and shape (Prometheus text, a `model_name` label,
 * values written as Python's client writes floats), from its own batcher: requests generating,
 * requests queued for a slot, the share of slots taken as KV-cache usage (each request holds one
 * slot's worth), and token counters. Written with its own code: the client's parser never wrote it.
 */
export function simMetricsText(s: SimMetricsState): string {
  const model = s.model.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
  return [
    gauge("vllm:num_requests_running", "Number of requests in model execution batches.", model, s.running),
    gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", model, s.waiting),
    gauge(
      "vllm:kv_cache_usage_perc",
      "KV-cache usage. 1 means 100 percent usage.",
      model,
      s.maxBatch > 0 ? s.running / s.maxBatch : 0,
    ),
    counter("vllm:num_preemptions", "Cumulative number of preemption from the engine.", model, 0),
    counter("vllm:prompt_tokens", "Number of prefill tokens processed.", model, s.promptTokens),
    counter("vllm:generation_tokens", "Number of generation tokens processed.", model, s.generationTokens),
  ].join("");
}

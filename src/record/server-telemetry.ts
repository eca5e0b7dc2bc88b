/**
 * Server telemetry as run.json holds it: what the target's Prometheus endpoint said during a load
 * phase, mapped to one vocabulary across engines, in time slices aligned with the phase's latency
 * timeline (same epoch seconds), so shards and runs merge slice by slice.
 */

/**
 * The common vocabulary. Gauges as the engine reports them; counters as rates per second between
 * two scrapes; `tokens_per_step` as the mean of the engine's per-step histogram between two scrapes.
 */
export const SERVER_SERIES = [
  "requests_running",
  "requests_waiting",
  "kv_cache_usage",
  "preemptions",
  "batch_size",
  "tokens_per_step",
  "prompt_throughput",
  "generation_throughput",
] as const;

export type ServerSeries = (typeof SERVER_SERIES)[number];

/** The engines whose names Gauntlet maps (see src/telemetry/vocabulary.ts). */
export type ServerEngine = "vllm" | "tgi" | "sglang" | "llama.cpp";

/** The client's own requests in flight at each scrape, kept beside the server's series. */
export const CLIENT_IN_FLIGHT = "client.in_flight";

/** Prefix of a series kept under the engine's own name because the vocabulary has no word for it. */
export const RAW_PREFIX = "raw:";

/** One series within one slice: the scrapes that fell in it, their sum and largest value. */
export interface SeriesSlice {
  n: number;
  sum: number;
  max: number;
}

/** One time slice: each series scraped in it, by name (vocabulary, client.in_flight or raw:NAME). */
export interface ServerSlice {
  /** Slice start in whole seconds on the run's epoch clock; a multiple of widthS. */
  startS: number;
  series: Record<string, SeriesSlice>;
}

export interface ServerTimeline {
  widthS: number;
  slices: ServerSlice[];
}

/** A phase's server telemetry. */
export interface ServerTelemetry {
  /** The endpoint scraped, without credentials or query string. */
  url: string;
  /** The engine its series came from, when Gauntlet knows the names. */
  engine?: ServerEngine;
  intervalMs: number;
  /** Scrapes that answered with metrics, and those that did not (each one counted, never fatal). */
  scrapes: number;
  failures: number;
  /** Why the last failed scrape failed. */
  lastFailure?: string;
  timeline: ServerTimeline;
}

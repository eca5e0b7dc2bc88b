import type { FailureKind } from "./failure.js";
import type { PhaseHealth } from "./measurement-health.js";
import type { ServerTelemetry } from "./server-telemetry.js";

/**
 * The shape of one phase's aggregate as run.json holds it. The code that builds, merges and reads
 * aggregates lives in src/metrics; this is only the record, so every layer can hold one.
 */

/** The distributions every phase records, each one HDR histogram. */
export const DISTRIBUTIONS = ["ttft", "e2e", "itl", "tpot", "dispatch_delay", "output_tokens"] as const;

export type DistributionName = (typeof DISTRIBUTIONS)[number];

/** The statistics a distribution is read by (thresholds such as `ttft.p95`, the summaries). */
export const LATENCY_STATS = ["p50", "p90", "p95", "p99", "p99.9", "min", "mean", "max", "count"] as const;

export type LatencyStat = (typeof LATENCY_STATS)[number];

/** Microseconds for times, plain counts for tokens: each kind has its own bounds. */
export type HistogramKind = "latency" | "tokens";

/** A histogram in a saved run: exact count/min/max/sum beside the HDR buckets, all mergeable. */
export interface EncodedHistogram {
  kind: HistogramKind;
  count: number;
  min: number;
  max: number;
  sum: number;
  /** hdr-histogram-js compressed base64 (3 significant digits). */
  hdr: string;
}

/**
 * One time slice of a phase, by scheduled start: counts and latency sums (not means), so slices of
 * shards add exactly.
 */
export interface TimelineBucket {
  /** Slice start in whole seconds on the run's epoch clock; a multiple of the timeline's widthS. */
  startS: number;
  requests: number;
  failures: number;
  ttftSumUs: number;
  ttftCount: number;
  ttftMaxUs: number;
  itlSumUs: number;
  itlCount: number;
  itlMaxUs: number;
  /**
   * Time requests spent in flight within the slice, summed over requests (µs): the slice's mean
   * in-flight count is this over its width. Absent in runs written before it was recorded.
   */
  inFlightUs?: number;
  /** Failed requests by kind, by the slice they started in (absent: none, or an older run). */
  errors?: Partial<Record<FailureKind, number>>;
}

/** TTFT and ITL over time: slices of `widthS` seconds (a power of two), oldest first. */
export interface Timeline {
  widthS: number;
  buckets: TimelineBucket[];
}

/**
 * One shard's own measured window of a (target, phase) and the counts in it. Shards started at
 * different times (CI jobs rarely start together) span a longer window together than any one of
 * them ran: a merged aggregate keeps each shard's window so its rates are each shard's own, summed.
 */
export interface ShardWindow {
  startUs: number;
  endUs: number;
  requests: number;
  successes: number;
  goodRequests: number;
  outputTokens: number;
  inputTokens: number;
}

/** A failed request as run.json keeps it: enough to find it in requests.ndjson and the server's logs. */
export interface FailureSample {
  kind: FailureKind;
  message: string;
  status?: number;
  /** The id it was sent with (`x-request-id`). */
  requestId?: string;
  /** The server's own id for it (its x-request-id, request-id, x-amzn-requestid or cf-ray header). */
  serverRequestId?: string;
  caseId?: string;
  /** From its start to its failure (for a cut-off request, how long it had waited). */
  elapsedMs: number;
}

/** Aggregates of one (target, phase): JSON-ready, histograms encoded so runs merge exactly. */
export interface PhaseAggregate {
  target: string;
  phase: string;
  requests: number;
  successes: number;
  failures: number;
  /** Open-loop arrivals not sent because max_in_flight was reached. */
  dropped: number;
  /** Successful requests that met every per-request SLO of the phase (all successes when it has none). */
  goodRequests: number;
  /**
   * Failures by kind. `client_error` (this machine ran out of file descriptors, buffers or ports) is
   * listed here but counted in neither `requests` nor `failures`: such a request never reached the
   * server, so it is never held against it (see `clientErrors`). Runs written before a kind existed
   * lack its key.
   */
  errorsByKind: Record<FailureKind, number>;
  /** Requests that failed on this machine before reaching the server (absent: none, or an older run). */
  clientErrors?: number;
  /** The first few failures of each kind, with the ids that join them to the server's logs. */
  failureSamples?: FailureSample[];
  outputTokens: number;
  inputTokens: number;
  /** Requests whose output token count came from the client tokenizer, not the server's usage. */
  estimatedTokenRequests: number;
  /** Requests checked with the client tokenizer beside usage, and the two token totals. */
  usageCheck: { requests: number; usageTokens: number; tokenizerTokens: number };
  /** Measured window: first start → last completion, in µs on the run's clock. */
  windowStartUs: number;
  windowEndUs: number;
  /** Merged from shards (gauntlet merge): each shard's own window and counts; absent for one process. */
  shardWindows?: ShardWindow[];
  histograms: Record<DistributionName, EncodedHistogram>;
  /** TTFT and ITL over time (absent in runs written before it existed). */
  timeline?: Timeline;
  /** What the client saw of itself and which figures it vouches for (phases it watched). */
  measurement?: PhaseHealth;
  /** What the server's Prometheus endpoint said during the phase (targets with one). */
  server?: ServerTelemetry;
  /**
   * The load the plan asked this phase to offer (absent for quality, sweep steps, merged shards and
   * runs written before it was recorded): what report.html shows beside what was achieved.
   */
  load?: OfferedLoad;
}

/** One stage of a ramp as recorded: to `to` users or requests/s over `overS` seconds. */
export interface OfferedStage {
  to: number;
  overS: number;
}

/**
 * What a load phase was asked to offer, as the plan resolved it: its executor kind, users or rate
 * (a ramp's start, with its stages), and how it ends (duration, request count).
 */
export interface OfferedLoad {
  kind: string;
  users?: number;
  rate?: number;
  stages?: OfferedStage[];
  durationS?: number;
  requests?: number;
  maxInFlight?: number;
  warmupS?: number;
}

/** What a target costs to run: token prices, or GPU-hours (one or the other: GPU-hours win when both are given). */
export interface TargetEconomics {
  inputPerMtok?: number;
  outputPerMtok?: number;
  gpuHourUsd?: number;
  gpus?: number;
}

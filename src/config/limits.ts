/**
 * The most a suite may ask for, field by field. Each maximum is far above what a real test needs
 * and far below what breaks the client (a V8 abort from a billion-element array, sockets opened to
 * the point of exhausting memory, a timer that Node fires at once because it overflows 2^31 ms), so
 * `validate` rejects the value with its file, line and field instead of `run` hanging or crashing.
 * The README's limits table lists these; a test keeps the two equal.
 */
import { formatBytes } from "./input-file.js";

export interface Limit {
  /** The largest value allowed (for durations, in ms; for sizes, in bytes). */
  max: number;
  /** What the README's table calls the fields it bounds. */
  fields: string;
  /** Why a real suite never needs more, stated for the user. */
  why: string;
}

const DAY_MS = 86_400_000;
const MIB = 1024 * 1024;

export const LIMITS = {
  /**
   * Each in-flight request is a connection opened before the phase starts; past this one client
   * process runs out of sockets and memory long before a server saturates (1e9 reached 3.5 GB).
   */
  inFlight: {
    max: 100_000,
    fields: "`concurrency`, ramp `stages[].to` (users), `max_in_flight`",
    why: "one process holds at most this many requests in flight: split larger loads with --shard",
  },
  /** A Node client sends well under 100,000 requests/s; ten times that needs many shards anyway. */
  rate: {
    max: 1_000_000,
    fields: "`rate`, ramp `stages[].to` (rate), `sweep.rates`",
    why: "far past what one client sends, tens of thousands a second: split with --shard",
  },
  /** A day at 1,000 requests/s is 86.4 million: a soak test fits, a typo of three zeros does not. */
  requests: { max: 100_000_000, fields: "`requests`", why: "a day at 1,000/s is 86.4 million" },
  /**
   * Node fires a timer set past 2^31 ms (24.8 days) at once; a week is longer than any soak test
   * and keeps a derived time limit (twice the length) under that overflow.
   */
  duration: {
    max: 7 * DAY_MS,
    fields:
      "every duration: `duration`, `warmup`, `time_limit`, `think_time`, `stages[].over` (and their total), `timeouts`, `delay_abort_eval`, `latency`, javascript `timeout`",
    why: "a week; Node's timers overflow at 24.8 days",
  },
  /** A ramp is a handful of stages; each one is a piece of the rate profile integrated per arrival. */
  stages: { max: 1_000, fields: "`stages` (entries)", why: "a ramp is a handful of stages" },
  /** Each sweep step runs for `duration`: 100 steps of 5 s is already over eight minutes. */
  sweepSteps: {
    max: 100,
    fields: "`sweep.steps`, `sweep.rates` (entries)",
    why: "each step runs for its duration; 100 steps of 5 s already take 8 minutes",
  },
  /** Each bisection halves the interval: 20 steps pin the capacity to a millionth of it. */
  sweepRefine: { max: 20, fields: "`sweep.refine`", why: "20 halvings pin the capacity to a millionth" },
  /**
   * The largest context windows served are 1-2 million tokens; a synthetic prompt is built as words,
   * about 6 bytes each, so this is 12 MB per request.
   */
  inputTokens: {
    max: 2_000_000,
    fields: "`synthetic.input_tokens`",
    why: "above every served context window, 1-2 million tokens",
  },
  /** A response is cut off after 1,000,000 content chunks (see src/providers/wire.ts). */
  outputTokens: {
    max: 1_000_000,
    fields: "`synthetic.output_tokens`",
    why: "a stream is cut off past 1,000,000 chunks, so more could never be read",
  },
  /** Quality requests in flight per target: each is a connection and a scoring in progress. */
  qualityConcurrency: {
    max: 10_000,
    fields: "`quality.concurrency`, `--quality-concurrency`",
    why: "quality calls in flight per target; load phases are for more",
  },
  /** With backoff capped at 10 s, ten retries already wait up to 100 s per call. */
  retries: { max: 10, fields: "`quality.retries`", why: "ten retries already wait up to 100 s per call" },
  /** pass@k and consistency settle long before a thousand runs of one case. */
  repeat: {
    max: 1_000,
    fields: "`quality.repeat`, a case's `repeat`",
    why: "pass@k and consistency settle long before this",
  },
  /** Every quality call is planned ahead and its result kept for run.json. */
  qualityCalls: {
    max: 10_000_000,
    fields: "cases × repeats (quality calls per target)",
    why: "each call's result is kept for run.json",
  },
  /** Pricing per GPU divides by this; no deployment has more GPUs behind one endpoint. */
  gpus: { max: 100_000, fields: "`gpus`", why: "no endpoint has more GPUs behind it" },
  /** A suite is text a person writes; a 100 MB one took 3.5 GB to parse and a 200 MB one aborted V8. */
  suiteBytes: {
    max: 50 * MIB,
    fields: "the suite file",
    why: "a suite is written by hand; put data in datasets",
  },
  /** A dataset is read whole; its rows and the cases built from them take several times its size. */
  datasetBytes: {
    max: 256 * MIB,
    fields: "a dataset file (`from:`, `answers_from`)",
    why: "over a million rows of typical prompts; split larger sets",
  },
  /** Suites nest a dozen levels; a JSON Schema in an assertion a few more. Parsers recurse per level. */
  nesting: {
    max: 64,
    fields: "nesting of YAML collections (and JSONL values)",
    why: "suites nest a dozen levels; deeper input exhausts the parsers' stack",
  },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/** A count with thousands separators (not toLocaleString: loading ICU costs every CLI start ~30 ms). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}

/** The limit as the README and messages write it: 100,000, 7 days, 50 MiB. */
export function formatLimit(name: LimitName): string {
  const { max } = LIMITS[name];
  if (name === "duration") return `${max / DAY_MS} days`;
  if (name === "suiteBytes" || name === "datasetBytes") return formatBytes(max);
  return formatCount(max);
}

/** The message for a value over its limit. */
export function overLimit(name: LimitName): string {
  return `at most ${formatLimit(name)} (${LIMITS[name].why})`;
}

import type { FailureKind } from "../record/failure.js";

/**
 * Retries for quality and grading calls (never for load samples: there a failure is a data point):
 * exponential backoff from `baseDelayMs`, or the server's Retry-After, at most `maxDelayMs` apart.
 */
export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** A failed attempt as the retry rule sees it. */
export interface RetryableFailure {
  kind: FailureKind;
  retryAfterMs?: number;
}

/** Failures worth another try: the server was busy or the connection broke. */
const RETRYABLE: ReadonlySet<FailureKind> = new Set(["http_429", "http_5xx", "connect", "stream_dropped"]);

/** How far past a server's Retry-After a retry may be spread (a tenth of the stated delay). */
const RETRY_AFTER_SPREAD = 0.1;

/**
 * How long to wait before retrying after `failure` (the `attempt`-th, from 0), or undefined when it
 * should not be retried. A Retry-After is a floor: the retry goes out within a tenth after it. Else
 * exponential backoff with "equal jitter": between half and all of the doubled delay.
 *
 * Jitter draws from Math.random, not from the suite's seed: the seed makes case order and arrival
 * schedules reproducible, and when a retry leaves is not part of what a run records, while a seeded
 * draw would make two shards of one run (same seed, same server) retry in lockstep, which is the
 * herd that jitter exists to break. Tests pass their own `random`.
 */
export function retryDelayMs(
  failure: RetryableFailure | undefined,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (!failure || attempt >= policy.retries || !RETRYABLE.has(failure.kind)) return undefined;
  if (failure.retryAfterMs !== undefined) {
    return Math.min(failure.retryAfterMs * (1 + RETRY_AFTER_SPREAD * random()), policy.maxDelayMs);
  }
  const backoffMs = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
  return backoffMs / 2 + (random() * backoffMs) / 2;
}

/** Waits `ms`, or less when `signal` aborts first. Never rejects. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Calls `send` (attempt 0, 1, ...) until an attempt succeeds, fails for good per `policy`, or ends
 * with `signal` aborted. An abort cuts a wait short; the attempt after it is still made, and a
 * provider given the aborted signal answers it at once with its failure, so the last attempt is
 * the one the abort cut off. Returns every attempt in order: each earlier one was a real request,
 * which a caller may count.
 */
export async function sendWithRetry<T>(
  send: (attempt: number) => Promise<T>,
  failureOf: (result: T) => RetryableFailure | undefined,
  policy: RetryPolicy,
  options: { signal?: AbortSignal; random?: () => number } = {},
): Promise<T[]> {
  const attempts: T[] = [];
  for (let attempt = 0; ; attempt++) {
    const result = await send(attempt);
    attempts.push(result);
    const delayMs = options.signal?.aborted
      ? undefined
      : retryDelayMs(failureOf(result), attempt, policy, options.random);
    if (delayMs === undefined) return attempts;
    await sleep(delayMs, options.signal);
  }
}

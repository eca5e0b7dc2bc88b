import type { ResponseRecord } from "../providers/collect.js";
import type { FailureKind } from "../providers/types.js";
import type { RetryPolicy } from "../config/plan.js";

/** Failures worth another try for a quality call: the server was busy or the connection broke. */
const RETRYABLE: ReadonlySet<FailureKind> = new Set(["http_429", "http_5xx", "connect", "stream_dropped"]);

/**
 * How long to wait before retrying `record`, or undefined when it should not be retried. Honours
 * Retry-After (capped), else exponential backoff. Load samples never retry: a failure is a data point.
 */
export function retryDelayMs(
  record: ResponseRecord,
  attempt: number,
  policy: RetryPolicy,
): number | undefined {
  const failure = record.failure;
  if (!failure || attempt >= policy.retries || !RETRYABLE.has(failure.kind)) return undefined;
  if (failure.retryAfterMs !== undefined) return Math.min(failure.retryAfterMs, policy.maxDelayMs);
  return Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
}

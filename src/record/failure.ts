/**
 * Why a request failed: the vocabulary of error_rate and errorsByKind. A failed assertion is not a
 * failed request: it lives in the case's outcome.
 */
export const FAILURE_KINDS = [
  "connect",
  "timeout",
  "http_4xx",
  "http_429",
  "http_5xx",
  "stream_dropped",
  "malformed",
] as const;

export type FailureKind = (typeof FAILURE_KINDS)[number];

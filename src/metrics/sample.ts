import type { ResponseRecord } from "../providers/collect.js";
import type { FailureKind } from "../providers/types.js";

/**
 * One request as the metrics see it, with PRODUCT.md's definitions applied. All times in µs,
 * measured from `startUs` (the scheduled start, or when the virtual user became free).
 */
export interface RequestSample {
  target: string;
  phase: string;
  caseId?: string;
  responseId?: string;
  startUs: number;
  dispatchDelayUs: number;
  ttftUs?: number;
  e2eUs?: number;
  /** Gaps between consecutive content chunks. */
  itlGapsUs: number[];
  tpotUs?: number;
  outputTokens: number;
  /** True when output tokens were not reported by the server (counted from chunks instead). */
  outputTokensEstimated: boolean;
  inputTokens?: number;
  /** Content chunks received (each assumed to be one token when the server gives no usage). */
  chunks: number;
  ok: boolean;
  failure?: { kind: FailureKind; message: string; status?: number };
  finishReason?: string;
  /** When the last byte (content or not) arrived: the end of the request for windows. */
  endUs: number;
}

/**
 * Applies the metric definitions to a raw response: ttft and e2e from content chunks only (role,
 * empty and usage chunks never count), itl from every gap between content chunks, tpot per request.
 */
export function toSample(
  record: ResponseRecord,
  startUs: number,
  meta: { target: string; phase: string; caseId?: string },
): RequestSample {
  const times = record.contentTimesUs;
  const sentUs = record.sentUs ?? startUs;
  const fromUsage = record.usage?.completionTokens;
  const outputTokens = fromUsage ?? times.length;
  const n = times.length;
  const ttftUs = n > 0 ? times[0]! - startUs : undefined;
  const e2eUs = n > 0 ? times[n - 1]! - startUs : undefined;
  const itlGapsUs: number[] = [];
  for (let i = 1; i < n; i++) itlGapsUs.push(times[i]! - times[i - 1]!);
  const failure = record.failure;
  // One literal with every field, so every sample has the same shape (this runs once per request).
  const sample: RequestSample = {
    target: meta.target,
    phase: meta.phase,
    caseId: meta.caseId,
    responseId: record.responseId,
    startUs,
    dispatchDelayUs: Math.max(0, sentUs - startUs),
    ttftUs,
    e2eUs,
    itlGapsUs,
    tpotUs:
      ttftUs !== undefined && e2eUs !== undefined && outputTokens > 1
        ? (e2eUs - ttftUs) / (outputTokens - 1)
        : undefined,
    outputTokens,
    outputTokensEstimated: fromUsage === undefined,
    inputTokens: record.usage?.promptTokens,
    chunks: n,
    ok: failure === undefined,
    failure: failure ? { kind: failure.kind, message: failure.message, status: failure.status } : undefined,
    finishReason: record.finishReason,
    endUs: record.endUs ?? sentUs,
  };
  return sample;
}

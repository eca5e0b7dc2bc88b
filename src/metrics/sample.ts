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
  const sample: RequestSample = {
    ...meta,
    startUs,
    dispatchDelayUs: Math.max(0, sentUs - startUs),
    itlGapsUs: [],
    outputTokens,
    outputTokensEstimated: fromUsage === undefined,
    chunks: times.length,
    ok: record.failure === undefined,
    endUs: record.endUs ?? sentUs,
  };
  if (record.responseId) sample.responseId = record.responseId;
  if (record.usage?.promptTokens !== undefined) sample.inputTokens = record.usage.promptTokens;
  if (record.finishReason) sample.finishReason = record.finishReason;
  if (record.failure) {
    sample.failure = { kind: record.failure.kind, message: record.failure.message };
    if (record.failure.status !== undefined) sample.failure.status = record.failure.status;
  }
  if (times.length > 0) {
    sample.ttftUs = times[0]! - startUs;
    sample.e2eUs = times[times.length - 1]! - startUs;
    for (let i = 1; i < times.length; i++) sample.itlGapsUs.push(times[i]! - times[i - 1]!);
    if (outputTokens > 1) sample.tpotUs = (sample.e2eUs - sample.ttftUs) / (outputTokens - 1);
  }
  return sample;
}

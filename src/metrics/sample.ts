import type { RequestSample } from "../record/request-sample.js";
import type { ResponseRecord } from "../record/response.js";
import { countOutputTokens } from "./tokens.js";

/**
 * Applies the metric definitions to a raw response: ttft and e2e from content chunks only (role,
 * empty and usage chunks never count), itl from every gap between content chunks, tpot per request.
 */
export function toSample(
  record: ResponseRecord,
  startUs: number,
  meta: { target: string; phase: string; caseId?: string },
  options: { checkUsage?: boolean; streamed?: boolean } = {},
): RequestSample {
  const times = record.contentTimesUs;
  const sentUs = record.sentUs ?? startUs;
  const fromUsage = record.usage?.completionTokens;
  const tokenized = fromUsage === undefined || options.checkUsage ? countOutputTokens(record) : undefined;
  const outputTokens = fromUsage ?? tokenized!;
  const n = times.length;
  // A non-streamed answer arrives in one piece: it has an e2e but no first token, gaps or tpot.
  const streamed = options.streamed !== false;
  const ttftUs = n > 0 && streamed ? times[0]! - startUs : undefined;
  const e2eUs = n > 0 ? times[n - 1]! - startUs : undefined;
  const itlGapsUs: number[] = [];
  if (streamed) for (let i = 1; i < n; i++) itlGapsUs.push(times[i]! - times[i - 1]!);
  const failure = record.failure;
  // One literal with every field, so every sample has the same shape (this runs once per request).
  const sample: RequestSample = {
    target: meta.target,
    phase: meta.phase,
    caseId: meta.caseId,
    requestId: record.requestId,
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
    tokenizerTokens: fromUsage !== undefined ? tokenized : undefined,
    ok: failure === undefined,
    failure: failure
      ? {
          kind: failure.kind,
          message: failure.message,
          status: failure.status,
          ...(failure.serverRequestId !== undefined ? { serverRequestId: failure.serverRequestId } : {}),
        }
      : undefined,
    finishReason: record.finishReason,
    endUs: record.endUs ?? sentUs,
  };
  return sample;
}

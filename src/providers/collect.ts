import type { ResponseRecord } from "../record/response.js";
import type { ProviderEvent } from "./types.js";

/** Logprobs kept per response: quality answers are short, and a runaway stream must not grow memory. */
export const MAX_LOGPROB_TOKENS = 4096;

/** Returns a sink that folds provider events into `record`. Usage repeated per chunk keeps the last. */
export function createCollector(): { record: ResponseRecord; sink: (e: ProviderEvent) => void } {
  const record: ResponseRecord = { contentTimesUs: [], text: "", reasoning: "", toolCalls: [] };
  const sink = (e: ProviderEvent) => {
    switch (e.type) {
      case "request_id":
        record.requestId = e.id;
        break;
      case "sent":
        record.sentUs = e.atUs;
        break;
      case "response_id":
        record.responseId = e.id;
        break;
      case "content": {
        // Two deltas of one wire chunk (reasoning + text) are one chunk for ITL; two wire chunks that
        // arrived in one network read are two, with a gap of 0, which is what the client observed.
        if (!e.sameChunk || record.contentTimesUs.length === 0) record.contentTimesUs.push(e.atUs);
        record.firstContentUs ??= e.atUs;
        record.lastContentUs = e.atUs;
        if (e.kind === "text") record.text += e.text;
        else if (e.kind === "reasoning") record.reasoning += e.text;
        else record.toolCalls.push(e.text);
        break;
      }
      case "usage":
        record.usage = { promptTokens: e.promptTokens, completionTokens: e.completionTokens };
        break;
      case "finish":
        record.finishReason = e.reason;
        break;
      case "logprobs": {
        const kept = (record.logprobs ??= []);
        for (const t of e.tokens) if (kept.length < MAX_LOGPROB_TOKENS) kept.push(t);
        break;
      }
      case "failure":
        record.failure ??= {
          kind: e.kind,
          message: e.message,
          status: e.status,
          retryAfterMs: e.retryAfterMs,
          ...(e.serverRequestId !== undefined ? { serverRequestId: e.serverRequestId } : {}),
        };
        break;
      case "end":
        record.endUs = e.atUs;
        break;
    }
  };
  return { record, sink };
}

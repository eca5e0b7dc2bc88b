import type { FailureKind } from "./failure.js";

/** Why a request failed, with the server's own id for it when it sent one. */
export interface SampleFailure {
  kind: FailureKind;
  message: string;
  status?: number;
  serverRequestId?: string;
}

/**
 * One request as the metrics see it (requests.ndjson writes one line of it). All times in µs,
 * measured from `startUs` (the scheduled start, or when the virtual user became free): ttft to the
 * first content chunk, e2e to the last, itl between content chunks, tpot = (e2e - ttft) / (tokens - 1).
 */
export interface RequestSample {
  target: string;
  phase: string;
  caseId?: string;
  /** The id the request was sent with (`x-request-id`), to join a server's log. */
  requestId?: string;
  responseId?: string;
  startUs: number;
  dispatchDelayUs: number;
  ttftUs?: number;
  e2eUs?: number;
  /** Gaps between consecutive content chunks. */
  itlGapsUs: number[];
  tpotUs?: number;
  outputTokens: number;
  /** True when output tokens were not reported by the server (counted by the client tokenizer instead). */
  outputTokensEstimated: boolean;
  inputTokens?: number;
  /** Content chunks received. */
  chunks: number;
  /** The client tokenizer's count when it was asked for beside the server's usage (to report disagreement). */
  tokenizerTokens?: number;
  ok: boolean;
  failure?: SampleFailure;
  finishReason?: string;
  /** When the last byte (content or not) arrived: the end of the request for windows. */
  endUs: number;
}

import type { FailureKind } from "./failure.js";

/**
 * What the client observed of one response, as a provider's events were collected (see
 * createCollector in src/providers): the input src/metrics turns into a RequestSample.
 */

/** Everything measured about one response, in raw monotonic µs timestamps. */
export interface ResponseRecord {
  /** The id the request was sent with (`x-request-id`). */
  requestId?: string;
  responseId?: string;
  sentUs?: number;
  firstContentUs?: number;
  lastContentUs?: number;
  /** Arrival time of every content chunk, in order: ITL gaps are derived from these. */
  contentTimesUs: number[];
  text: string;
  reasoning: string;
  toolCalls: string[];
  usage?: { promptTokens?: number; completionTokens?: number };
  finishReason?: string;
  /** Per-token logprobs, when the request asked for them (the first few thousand tokens). */
  logprobs?: TokenLogprob[];
  failure?: {
    kind: FailureKind;
    message: string;
    status?: number;
    retryAfterMs?: number;
    /** The server's own id for the request (its x-request-id, request-id, ... header). */
    serverRequestId?: string;
  };
  endUs?: number;
}

/** One generated token's logprob and the alternatives the server listed, most likely first. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  top: Array<[string, number]>;
}

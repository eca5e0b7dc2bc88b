import type { TokenLogprob } from "../record/response.js";
import type { FailureKind } from "../record/failure.js";
import type { ServerInfo } from "./server-info.js";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** What one generation asks for, independent of wire format. */
export interface GenerationRequest {
  messages: ChatMessage[];
  /** Sampling and length parameters passed through to the server (temperature, max_tokens, ...). */
  params: Record<string, unknown>;
  stream: boolean;
  /**
   * Ask for each generated token's top-k alternatives (k >= 1). Each provider maps it to its own
   * wire field (OpenAI chat `top_logprobs`, completions `logprobs`, TGI `top_n_tokens`).
   */
  topLogprobs?: number;
}

/** What kind of generated content a chunk carried. All three count for ttft/itl. */
export type ContentKind = "text" | "reasoning" | "tool_call";

/**
 * Events a provider emits for one request, each timestamped (µs, `nowUs` clock) at the arrival of the
 * network bytes that completed it. Role-only, empty and usage-only chunks produce no `content` event.
 */
export type ProviderEvent =
  /** First, before anything is sent: the id sent as `x-request-id`, so a server's log can be joined. */
  | { type: "request_id"; id: string }
  | { type: "sent"; atUs: number }
  | { type: "response_id"; id: string }
  | {
      type: "content";
      atUs: number;
      kind: ContentKind;
      text: string;
      /** Tokens this chunk is known to carry, when the server says (e.g. from per-chunk usage). */
      tokens?: number;
      /** True when this continues the previous content event's wire chunk (e.g. text after reasoning). */
      sameChunk?: boolean;
    }
  | { type: "usage"; atUs: number; promptTokens?: number; completionTokens?: number }
  /** Per-token logprobs with their top-k alternatives, when the request asked for them. */
  | { type: "logprobs"; tokens: TokenLogprob[] }
  | { type: "finish"; atUs: number; reason: string }
  | {
      type: "failure";
      atUs: number;
      kind: FailureKind;
      message: string;
      status?: number;
      retryAfterMs?: number;
      /** The server's own id for the request (x-request-id, request-id, cf-ray, ...), when it sent one. */
      serverRequestId?: string;
    }
  | { type: "end"; atUs: number };

export type EventSink = (event: ProviderEvent) => void;

export interface SendOptions {
  signal?: AbortSignal;
}

/**
 * A provider turns one request into events. `send` never rejects: every failure (network, HTTP
 * status, malformed stream, timeout, abort) becomes a `failure` event, then `end`.
 */
export interface Provider {
  readonly kind: string;
  send(request: GenerationRequest, sink: EventSink, options?: SendOptions): Promise<void>;
  /**
   * Does `request`'s encoding work now (its body), ahead of `send`, so that sending it later costs
   * only the write: a replay prepares the rows due next while it waits. Optional; sending a request
   * never prepared, or prepared and never sent, is the same as without.
   */
  prepare?(request: GenerationRequest): void;
  /** Opens up to `connections` keep-alive connections before the first request. */
  warmUp(connections: number): Promise<void>;
  /** Asks the server to describe itself (see ServerInfo), within `timeoutMs`. Never rejects. */
  serverInfo(timeoutMs: number): Promise<ServerInfo>;
  close(): Promise<void>;
}

export interface Timeouts {
  connectMs: number;
  firstTokenMs: number;
  totalMs: number;
}

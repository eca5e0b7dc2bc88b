/** A request as the simulator needs it, decoded from any wire format. */
export interface SimRequest {
  /** Text of every message or the prompt, for usage.prompt_tokens. */
  texts: string[];
  /** What canned answers match against. */
  lastUserMessage: string;
  maxTokens?: number;
  /** vLLM's ignore_eos: generate exactly maxTokens, whatever the answer. */
  ignoreEos?: boolean;
  stream: boolean;
  includeUsage: boolean;
  /** Alternatives per token when the request asked for logprobs (0: the chosen token's only). */
  logprobs?: number;
}

/** What a format needs to write logprobs; present only when the request asked for them. */
export interface SimLogprobs {
  /** Alternatives per token, at most MAX_TOP_LOGPROBS. */
  top: number;
  /** The profile's seed: the same token at the same position gets the same values on every run. */
  seed: number;
}

/**
 * What a format remembers across the calls for one response, for wire formats that repeat what they
 * sent (TGI's generated_text, completions' text_offset) or report their own durations (Ollama).
 * Kept by the formats (see `track`); the server never reads it.
 */
export interface SimTrack {
  /** Content written so far, and its length in code points. */
  text: string;
  chars: number;
  /** When the format first saw the response: its preamble, at admission, for a stream. */
  startUs: number;
  firstTokenUs?: number;
}

/** Per-response state a format writer needs (ids, model, counters). */
export interface SimResponseContext {
  id: string;
  model: string;
  createdS: number;
  promptTokens: number;
  completionTokens: number;
  logprobs?: SimLogprobs;
  track?: SimTrack;
}

/**
 * One wire format, written by the simulator's own code (never the client's parsers), so that the
 * two cannot be wrong the same way. Every method returns the exact text to put on the wire.
 */
export interface SimFormat {
  /** Path it is served on, e.g. /v1/chat/completions. */
  readonly endpoint: string;
  /** Content type of a streamed response (text/event-stream, application/x-ndjson). */
  readonly streamContentType: string;
  /**
   * Returns the decoded request or a message for a 400. A format bound to a streaming-only path
   * (TGI's /generate_stream) decodes every request as `stream: true`.
   */
  decode(body: unknown): SimRequest | { error: string };
  /** Sent at admission, before the first token (OpenAI's role-only chunk, Anthropic's message_start). Never content. */
  preamble(ctx: SimResponseContext): string;
  /** One content chunk; called once per token, in order, `index` counting from 0. */
  token(ctx: SimResponseContext, text: string, index: number): string;
  /** Finish, usage and terminator chunks, sent after the last token. */
  end(ctx: SimResponseContext, finishReason: "stop" | "length", includeUsage: boolean): string;
  /** The whole non-streaming body. */
  json(ctx: SimResponseContext, text: string, finishReason: "stop" | "length"): string;
  /** An error body in this format's shape. */
  error(status: number, message: string): string;
  /** A chunk that breaks this format (truncated JSON in a complete frame). */
  malformed(ctx: SimResponseContext): string;
}

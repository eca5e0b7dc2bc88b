import type { ServerResponse } from "node:http";

/** A request as the simulator needs it, decoded from any wire format. */
export interface SimRequest {
  /** Text of every message or the prompt, for usage.prompt_tokens. */
  texts: string[];
  /** What canned answers match against. */
  lastUserMessage: string;
  maxTokens?: number;
  stream: boolean;
  includeUsage: boolean;
}

/** Per-response state a format writer needs (ids, model, counters). */
export interface SimResponseContext {
  id: string;
  model: string;
  createdS: number;
  promptTokens: number;
  completionTokens: number;
}

/**
 * One wire format, written by the simulator's own code (never the client's parsers), so that the
 * two cannot be wrong the same way.
 */
export interface SimFormat {
  readonly endpoint: string;
  /** Returns the decoded request or a message for a 400. */
  decode(body: unknown): SimRequest | { error: string };
  /** Sent at admission, before the first token: e.g. OpenAI's role-only chunk. Must not count as content. */
  start(res: ServerResponse, ctx: SimResponseContext): void;
  token(ctx: SimResponseContext, text: string, index: number): string;
  /** Finish, usage and terminator chunks, sent after the last token. */
  end(ctx: SimResponseContext, finishReason: string, includeUsage: boolean): string;
  /** The whole non-streaming body. */
  json(ctx: SimResponseContext, text: string, finishReason: string): string;
  /** An error body in this format's shape. */
  error(status: number, message: string): string;
}

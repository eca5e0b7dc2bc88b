import type { BodyDecoder } from "./http-client.js";
import { ProtocolError } from "./protocol-error.js";
import type { EventSink, GenerationRequest, Provider } from "./types.js";
import { createHttpProvider, type HttpProviderOptions, type WireFormat } from "./http-provider.js";
import {
  count,
  createJsonDecoder,
  createStreamDecoder,
  obj,
  parseJsonObject,
  str,
  stringifyJson,
  type EmitContent,
  type RecordContext,
} from "./wire.js";
import { OPENAI_MODELS } from "./server-info.js";

/** The Messages API version every request names. A suite's `headers` may name another. */
export const ANTHROPIC_VERSION = "2023-06-01";
/** Anthropic requires max_tokens; this applies when the suite's params have none. */
export const DEFAULT_MAX_TOKENS = 1024;

/** `anthropic-version`, the suite's headers, then `x-api-key` (Anthropic takes no bearer token). */
export function anthropicHeaders(options: { apiKey?: string; headers?: Record<string, string> }) {
  const out: Record<string, string> = { "anthropic-version": ANTHROPIC_VERSION, ...options.headers };
  if (options.apiKey) out["x-api-key"] = options.apiKey;
  return out;
}

/**
 * The `/messages` body. System messages go to the top-level `system` field (joined by a blank line);
 * max_tokens defaults to DEFAULT_MAX_TOKENS; `stop` becomes `stop_sequences`; `ignore_eos` (which
 * synthetic workloads add for servers that honour it) is dropped, as Anthropic rejects unknown fields.
 * Every other param passes through as written.
 */
export function buildAnthropicBody(model: string, request: GenerationRequest): Record<string, unknown> {
  const { max_tokens, stop, ignore_eos: _ignoreEos, ...params } = request.params;
  const system = request.messages.filter((m) => m.role === "system").map((m) => m.content);
  const body: Record<string, unknown> = { model, max_tokens: max_tokens ?? DEFAULT_MAX_TOKENS };
  if (system.length > 0) body.system = system.join("\n\n");
  body.messages = request.messages.filter((m) => m.role !== "system");
  if (stop !== undefined && stop !== null) body.stop_sequences = typeof stop === "string" ? [stop] : stop;
  return { ...body, ...params, stream: request.stream };
}

/** An error event or body: rate limits are http_429, everything else (overloaded_error, api_error) http_5xx. */
function inBandError(record: Record<string, unknown>): ProtocolError {
  const error = obj(record.error);
  const type = str(error?.type) ?? "error";
  const message = `server reported ${type}: ${str(error?.message) ?? "(no message)"}`;
  return new ProtocolError(type === "rate_limit_error" ? "http_429" : "http_5xx", message);
}

/** Prompt tokens the model read: input_tokens plus any cache writes and reads, which it excludes. */
function promptTokensOf(usage: Record<string, unknown> | undefined): number | undefined {
  const input = count(usage?.input_tokens);
  if (input === undefined) return undefined;
  return (
    input + (count(usage?.cache_creation_input_tokens) ?? 0) + (count(usage?.cache_read_input_tokens) ?? 0)
  );
}

/** A whole content block (non-streaming, or a stream's content_block_start, whose text is still ""). */
function emitBlock(block: Record<string, unknown> | undefined, emit: EmitContent): void {
  if (block?.type === "text") emit("text", block.text);
  else if (block?.type === "thinking") emit("reasoning", block.thinking);
  // A tool_use block's start carries the tool's name: generated content, as OpenAI's first tool delta.
  else if (block?.type === "tool_use") emit("tool_call", stringifyJson(block));
}

function emitDelta(delta: Record<string, unknown> | undefined, emit: EmitContent): void {
  if (delta?.type === "text_delta") emit("text", delta.text);
  else if (delta?.type === "thinking_delta") emit("reasoning", delta.thinking);
  else if (delta?.type === "input_json_delta") emit("tool_call", delta.partial_json);
}

/** The finish reason, then one usage event (promptTokens from `promptTokens` when `usage` lacks them). */
function emitEnd(ctx: RecordContext, stopReason: unknown, usage: unknown, promptTokens?: number): void {
  const reason = str(stopReason);
  if (reason) ctx.sink({ type: "finish", atUs: ctx.atUs, reason });
  const u = obj(usage);
  if (!u) return;
  const prompt = promptTokensOf(u) ?? promptTokens;
  ctx.sink({ type: "usage", atUs: ctx.atUs, promptTokens: prompt, completionTokens: count(u.output_tokens) });
}

/**
 * The named SSE events of a streamed message: message_start (id, input usage; its output_tokens is a
 * placeholder), content_block_start / content_block_delta (content), message_delta (stop reason and the
 * cumulative output_tokens: one usage event), message_stop (the end). Pings and block stops are
 * ignored; an `error` event fails the request.
 */
export function createAnthropicStreamDecoder(sink: EventSink): BodyDecoder {
  let promptTokens: number | undefined;
  return createStreamDecoder(sink, {
    framing: "sse",
    terminator: "message_stop",
    onRecord({ event, data }, ctx) {
      const record = parseJsonObject(data);
      const type = event === "error" ? "error" : (str(record.type) ?? event);
      switch (type) {
        case "message_start": {
          const message = obj(record.message);
          const id = str(message?.id);
          if (id) ctx.sink({ type: "response_id", id });
          promptTokens = promptTokensOf(obj(message?.usage));
          break;
        }
        case "content_block_start":
          return emitBlock(obj(record.content_block), ctx.chunk());
        case "content_block_delta":
          return emitDelta(obj(record.delta), ctx.chunk());
        case "message_delta":
          return emitEnd(ctx, obj(record.delta)?.stop_reason, record.usage, promptTokens);
        case "message_stop":
          return ctx.done();
        case "error":
          throw inBandError(record);
      }
    },
  });
}

/** A non-streaming message: content blocks in order, stop_reason, usage. */
export function createAnthropicJsonDecoder(sink: EventSink): BodyDecoder {
  return createJsonDecoder(sink, (body, ctx) => {
    if (body.type === "error") throw inBandError(body);
    const id = str(body.id);
    if (id) ctx.sink({ type: "response_id", id });
    const emit = ctx.chunk();
    if (Array.isArray(body.content)) for (const block of body.content) emitBlock(obj(block), emit);
    emitEnd(ctx, body.stop_reason, body.usage);
  });
}

const MESSAGES: WireFormat = {
  kind: "anthropic",
  headers: anthropicHeaders,
  path: () => "/messages",
  body: (request, options) => buildAnthropicBody(options.model, request),
  streamDecoder: createAnthropicStreamDecoder,
  jsonDecoder: createAnthropicJsonDecoder,
  info: OPENAI_MODELS,
};

/** Anthropic Messages API (`/v1/messages`), streaming named SSE events or one JSON message. */
export const createAnthropicProvider = (options: HttpProviderOptions): Provider =>
  createHttpProvider(MESSAGES, options);

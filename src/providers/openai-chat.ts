import type { BodyDecoder } from "./http-client.js";
import { ProtocolError } from "./protocol-error.js";
import type { EventSink, GenerationRequest, Provider } from "./types.js";
import type { TokenLogprob } from "../record/response.js";
import { chatLogprobs } from "./logprobs.js";
import {
  bearerHeaders,
  createHttpProvider,
  type HttpProviderOptions,
  type WireFormat,
} from "./http-provider.js";
import {
  count,
  createJsonDecoder,
  createStreamDecoder,
  obj,
  parseJsonObject,
  stringifyJson,
  type EmitContent,
  type RecordContext,
} from "./wire.js";
import { OPENAI_MODELS } from "./server-info.js";

export interface OpenAiChatOptions extends HttpProviderOptions {
  /** Ask for `stream_options.include_usage` so output tokens come from the server. */
  includeUsage?: boolean;
}

/**
 * An OpenAI-style body: `input` (messages or prompt), the suite's params as written (vLLM's ignore_eos
 * and logprobs included), and `stream_options.include_usage` when streaming so that output tokens come
 * from the server.
 */
export function buildOpenAiBody(
  model: string,
  input: Record<string, unknown>,
  request: GenerationRequest,
  includeUsage = true,
): Record<string, unknown> {
  const body: Record<string, unknown> = { model, ...input, ...request.params, stream: request.stream };
  if (request.stream && includeUsage) body.stream_options = { include_usage: true };
  return body;
}

/** The `/chat/completions` body; topLogprobs becomes `logprobs: true, top_logprobs: k`. */
export const buildChatBody = (model: string, request: GenerationRequest, includeUsage = true) =>
  buildOpenAiBody(
    model,
    {
      messages: request.messages,
      ...(request.topLogprobs ? { logprobs: true, top_logprobs: request.topLogprobs } : {}),
    },
    request,
    includeUsage,
  );

/** Reads a choice's `logprobs` field: chat and legacy completions shape them differently. */
export type LogprobsReader = (value: unknown) => TokenLogprob[] | undefined;

/** The first choice of an OpenAI chunk or body. */
export type OpenAiChoice = Record<string, unknown>;
/** Reads a choice's content (a chat delta or message, a completion's text) into content events. */
export type ChoicePart = (choice: OpenAiChoice, emit: EmitContent) => void;

/**
 * Emits what any OpenAI-style chunk or body carries around its first choice: an in-band error
 * (http_5xx), the response id (once, tracked in `state`), the choice's content via `part`, its
 * finish reason, and usage.
 */
export function emitOpenAiChunk(
  chunk: Record<string, unknown>,
  ctx: RecordContext,
  state: { id?: string },
  part: ChoicePart,
  readLogprobs: LogprobsReader = chatLogprobs,
): void {
  const { error } = chunk;
  if (error !== undefined && error !== null) {
    const message = typeof error === "string" ? error : String(obj(error)?.message ?? "error");
    throw new ProtocolError("http_5xx", `server reported an error in the stream: ${message}`);
  }
  if (typeof chunk.id === "string" && chunk.id && state.id === undefined) {
    state.id = chunk.id;
    ctx.sink({ type: "response_id", id: chunk.id });
  }
  const choice = Array.isArray(chunk.choices) ? obj(chunk.choices[0]) : undefined;
  if (choice) {
    part(choice, ctx.chunk());
    const logprobs = readLogprobs(choice.logprobs);
    if (logprobs) ctx.sink({ type: "logprobs", tokens: logprobs });
    if (typeof choice.finish_reason === "string" && choice.finish_reason)
      ctx.sink({ type: "finish", atUs: ctx.atUs, reason: choice.finish_reason });
  }
  const usage = obj(chunk.usage);
  if (usage) {
    ctx.sink({
      type: "usage",
      atUs: ctx.atUs,
      promptTokens: count(usage.prompt_tokens),
      completionTokens: count(usage.completion_tokens),
    });
  }
}

/** A chat delta (streamed) or message (whole): reasoning first, whatever the JSON key order, then text. */
function emitChatPart(part: Record<string, unknown> | undefined, emit: EmitContent) {
  if (!part) return;
  emit("reasoning", part.reasoning_content ?? part.reasoning);
  emit("text", part.content);
  if (Array.isArray(part.tool_calls) && part.tool_calls.length > 0)
    emit("tool_call", stringifyJson(part.tool_calls));
}

/** SSE stream of OpenAI-style chunks ending in `data: [DONE]`; `part` reads a choice's content. */
export function createOpenAiStreamDecoder(
  sink: EventSink,
  part: ChoicePart,
  readLogprobs: LogprobsReader = chatLogprobs,
): BodyDecoder {
  const state: { id?: string } = {};
  return createStreamDecoder(sink, {
    framing: "sse",
    terminator: "[DONE]",
    onRecord({ data }, ctx) {
      if (data === "[DONE]") return ctx.done();
      emitOpenAiChunk(parseJsonObject(data), ctx, state, part, readLogprobs);
    },
  });
}

/** A non-streaming OpenAI-style body; `part` reads a choice's content. */
export const createOpenAiJsonDecoder = (
  sink: EventSink,
  part: ChoicePart,
  readLogprobs: LogprobsReader = chatLogprobs,
): BodyDecoder => createJsonDecoder(sink, (body, ctx) => emitOpenAiChunk(body, ctx, {}, part, readLogprobs));

/** SSE stream of `chat.completion.chunk` objects ending in `data: [DONE]`. */
export const createChatStreamDecoder = (sink: EventSink): BodyDecoder =>
  createOpenAiStreamDecoder(sink, (choice, emit) => emitChatPart(obj(choice.delta), emit));

/** Non-streaming `chat.completion` body. */
export const createChatJsonDecoder = (sink: EventSink): BodyDecoder =>
  createOpenAiJsonDecoder(sink, (choice, emit) => emitChatPart(obj(choice.message), emit));

const CHAT: WireFormat<OpenAiChatOptions> = {
  kind: "openai-chat",
  headers: bearerHeaders,
  path: () => "/chat/completions",
  body: (request, options) => buildChatBody(options.model, request, options.includeUsage !== false),
  streamDecoder: createChatStreamDecoder,
  jsonDecoder: createChatJsonDecoder,
  info: OPENAI_MODELS,
};

/** OpenAI-compatible `/chat/completions`: OpenAI, vLLM, SGLang, llama.cpp server, TGI messages, Ollama. */
export const createOpenAiChatProvider = (options: OpenAiChatOptions): Provider =>
  createHttpProvider(CHAT, options);

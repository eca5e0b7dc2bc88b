import { ProtocolError } from "./protocol-error.js";
import type { GenerationRequest, Provider } from "./types.js";
import {
  bearerHeaders,
  createHttpProvider,
  renderPrompt,
  type HttpProviderOptions,
  type WireFormat,
} from "./http-provider.js";
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
import { OLLAMA_TAGS } from "./server-info.js";

/** Request fields Ollama reads at the top level; every other param is a model option. */
const TOP_LEVEL = new Set(["format", "keep_alive", "think", "tools", "raw", "template", "suffix", "context"]);

/**
 * Splits the suite's params into Ollama's top-level fields and its `options`: OpenAI's max_tokens
 * becomes num_predict, a single `stop` string a list; temperature, top_p, seed and Ollama's own
 * options (num_ctx, top_k, ...) keep their names, and an `options` object written the Ollama way is
 * merged in. `ignore_eos` (added by synthetic workloads for vLLM) has no Ollama equivalent and is dropped.
 */
export function ollamaParams(params: Record<string, unknown>): {
  top: Record<string, unknown>;
  options: Record<string, unknown>;
} {
  const top: Record<string, unknown> = {};
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === "ignore_eos" || value === undefined) continue;
    if (TOP_LEVEL.has(key)) top[key] = value;
    else if (key === "options" && obj(value)) Object.assign(options, value);
    else if (key === "max_tokens") options.num_predict = value;
    else if (key === "stop") options.stop = typeof value === "string" ? [value] : value;
    else options[key] = value;
  }
  return { top, options };
}

/** The `/api/chat` body: the messages as they are (Ollama applies the model's chat template). */
export function buildOllamaChatBody(model: string, request: GenerationRequest): Record<string, unknown> {
  const { top, options } = ollamaParams(request.params);
  return { model, messages: request.messages, ...top, options, stream: request.stream };
}

/**
 * The `/api/generate` body: the system message(s) in `system` and the others rendered as the prompt
 * (see renderPrompt), so that Ollama applies the model's template around them as for chat.
 */
export function buildOllamaGenerateBody(model: string, request: GenerationRequest): Record<string, unknown> {
  const { top, options } = ollamaParams(request.params);
  const system = request.messages.filter((m) => m.role === "system");
  const body: Record<string, unknown> = {
    model,
    prompt: renderPrompt(request.messages.filter((m) => m.role !== "system")),
  };
  if (system.length > 0) body.system = renderPrompt(system);
  return { ...body, ...top, options, stream: request.stream };
}

type ReadContent = (record: Record<string, unknown>, emit: EmitContent) => void;

/** /api/chat: message.thinking (reasoning), message.content, message.tool_calls (whole, not deltas). */
const chatContent: ReadContent = (record, emit) => {
  const message = obj(record.message);
  emit("reasoning", message?.thinking);
  emit("text", message?.content);
  if (Array.isArray(message?.tool_calls) && message.tool_calls.length > 0)
    emit("tool_call", stringifyJson(message.tool_calls));
};

/** /api/generate: `thinking` (reasoning) and `response`. */
const generateContent: ReadContent = (record, emit) => {
  emit("reasoning", record.thinking);
  emit("text", record.response);
};

/**
 * One line of a stream, or a whole body: an `error` field fails the request (http_5xx); content; and
 * on the `done: true` line, done_reason (finish) and prompt_eval_count / eval_count (usage).
 */
function emitRecord(record: Record<string, unknown>, ctx: RecordContext, read: ReadContent): void {
  if (record.error !== undefined && record.error !== null) {
    const message = str(record.error) ?? stringifyJson(record.error);
    throw new ProtocolError("http_5xx", `server reported an error in the stream: ${message}`);
  }
  read(record, ctx.chunk());
  if (record.done !== true) return;
  const reason = str(record.done_reason);
  if (reason) ctx.sink({ type: "finish", atUs: ctx.atUs, reason });
  const promptTokens = count(record.prompt_eval_count);
  const completionTokens = count(record.eval_count);
  if (promptTokens !== undefined || completionTokens !== undefined)
    ctx.sink({ type: "usage", atUs: ctx.atUs, promptTokens, completionTokens });
  ctx.done();
}

/**
 * One of Ollama's native endpoints: NDJSON streams complete at the `done: true` line; with
 * `stream: false`, one JSON object shaped as the stream's last line with the whole content.
 */
function ollamaFormat(
  kind: string,
  path: string,
  build: (model: string, request: GenerationRequest) => Record<string, unknown>,
  read: ReadContent,
): WireFormat {
  return {
    kind,
    headers: bearerHeaders,
    path: () => path,
    body: (request, options) => build(options.model, request),
    streamDecoder: (sink) =>
      createStreamDecoder(sink, {
        framing: "ndjson",
        terminator: "a done: true line",
        onRecord: ({ data }, ctx) => emitRecord(parseJsonObject(data), ctx, read),
      }),
    jsonDecoder: (sink) => createJsonDecoder(sink, (body, ctx) => emitRecord(body, ctx, read)),
    info: OLLAMA_TAGS,
  };
}

/** Ollama's native `/api/chat`. (Its OpenAI-compatible `/v1` API is provider openai-chat.) */
export const OLLAMA_CHAT = ollamaFormat("ollama", "/api/chat", buildOllamaChatBody, chatContent);
/** Ollama's native `/api/generate`: a prompt in, `response` text out. */
export const OLLAMA_GENERATE = ollamaFormat(
  "ollama-generate",
  "/api/generate",
  buildOllamaGenerateBody,
  generateContent,
);

export const createOllamaChatProvider = (options: HttpProviderOptions): Provider =>
  createHttpProvider(OLLAMA_CHAT, options);
export const createOllamaGenerateProvider = (options: HttpProviderOptions): Provider =>
  createHttpProvider(OLLAMA_GENERATE, options);

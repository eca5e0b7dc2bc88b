import type { BodyDecoder } from "./http-client.js";
import {
  buildOpenAiBody,
  createOpenAiJsonDecoder,
  createOpenAiStreamDecoder,
  type ChoicePart,
  type OpenAiChatOptions,
} from "./openai-chat.js";
import type { EventSink, GenerationRequest, Provider } from "./types.js";
import { completionLogprobs } from "./logprobs.js";
import { bearerHeaders, createHttpProvider, renderPrompt, type WireFormat } from "./http-provider.js";
import { OPENAI_MODELS } from "./server-info.js";

/**
 * The `/completions` body: the messages rendered as one prompt (see renderPrompt: the system message,
 * a blank line, the user message; no chat template), then the params as for chat.
 */
export const buildCompletionsBody = (model: string, request: GenerationRequest, includeUsage = true) =>
  buildOpenAiBody(
    model,
    {
      prompt: renderPrompt(request.messages),
      ...(request.topLogprobs ? { logprobs: request.topLogprobs } : {}),
    },
    request,
    includeUsage,
  );

/** choices[0].text, streamed or whole; its logprobs are the legacy parallel arrays. */
const completionText: ChoicePart = (choice, emit) => emit("text", choice.text);

/**
 * SSE stream of `text_completion` chunks ending in `data: [DONE]`: the chunk with finish_reason may
 * carry the last text too, and the usage chunk has `choices: []`.
 */
export const createCompletionsStreamDecoder = (sink: EventSink): BodyDecoder =>
  createOpenAiStreamDecoder(sink, completionText, completionLogprobs);

/** Non-streaming `text_completion` body. */
export const createCompletionsJsonDecoder = (sink: EventSink): BodyDecoder =>
  createOpenAiJsonDecoder(sink, completionText, completionLogprobs);

const COMPLETIONS: WireFormat<OpenAiChatOptions> = {
  kind: "openai-completions",
  headers: bearerHeaders,
  path: () => "/completions",
  body: (request, options) => buildCompletionsBody(options.model, request, options.includeUsage !== false),
  streamDecoder: createCompletionsStreamDecoder,
  jsonDecoder: createCompletionsJsonDecoder,
  info: OPENAI_MODELS,
};

/** OpenAI-compatible legacy `/completions` (vLLM, SGLang, llama.cpp server, OpenAI): text in, text out. */
export const createOpenAiCompletionsProvider = (options: OpenAiChatOptions): Provider =>
  createHttpProvider(COMPLETIONS, options);

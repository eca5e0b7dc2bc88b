import { createAnthropicProvider } from "./anthropic.js";
import { createOllamaChatProvider, createOllamaGenerateProvider } from "./ollama.js";
import { createOpenAiChatProvider } from "./openai-chat.js";
import { createOpenAiCompletionsProvider } from "./openai-completions.js";
import { createReplicateProvider } from "./replicate.js";
import { createTgiProvider } from "./tgi.js";
import type { ProviderKind } from "./kinds.js";
import type { Provider, Timeouts } from "./types.js";
import type { Redactor } from "../util/redact.js";

/** What a provider needs to know about its target; nothing about load shapes. */
export interface ProviderSpec {
  baseUrl: string;
  model: string;
  apiKey?: string;
  headers: Record<string, string>;
  timeouts: Timeouts;
  /** Keep-alive pool size: the most requests the caller will have in flight. */
  connections: number;
  /** The suite's secrets, removed from server text before a failure's message cuts it. */
  redact?: Redactor;
}

export type ProviderFactory = (spec: ProviderSpec) => Provider;

/**
 * One factory per provider kind; the Record makes the compiler demand each. `sim` targets speak
 * OpenAI chat to the in-process simulator the run starts for them. Where each POSTs, below base_url:
 * openai-chat /chat/completions, openai-completions /completions, anthropic /messages, ollama
 * /api/chat, ollama-generate /api/generate, tgi /generate_stream (or /generate when not streaming),
 * replicate /models/{owner}/{name}/predictions (or /predictions with a version) then GETs urls.stream.
 */
export const PROVIDERS: Record<ProviderKind, ProviderFactory> = {
  "openai-chat": (spec) => createOpenAiChatProvider(spec),
  "openai-completions": (spec) => createOpenAiCompletionsProvider(spec),
  anthropic: (spec) => createAnthropicProvider(spec),
  ollama: (spec) => createOllamaChatProvider(spec),
  "ollama-generate": (spec) => createOllamaGenerateProvider(spec),
  tgi: (spec) => createTgiProvider(spec),
  replicate: (spec) => createReplicateProvider(spec),
  sim: (spec) => createOpenAiChatProvider(spec),
};

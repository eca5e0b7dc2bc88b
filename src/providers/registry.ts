import type { ProviderKind } from "../config/plan.js";
import { createOpenAiChatProvider } from "./openai-chat.js";
import type { Provider, Timeouts } from "./types.js";

/** What a provider needs to know about its target; nothing about load shapes. */
export interface ProviderSpec {
  baseUrl: string;
  model: string;
  apiKey?: string;
  headers: Record<string, string>;
  timeouts: Timeouts;
  /** Keep-alive pool size: the most requests the caller will have in flight. */
  connections: number;
}

export type ProviderFactory = (spec: ProviderSpec) => Provider;

/**
 * One factory per provider kind; the Record makes the compiler demand each. `sim` targets speak
 * OpenAI chat to the in-process simulator the run starts for them.
 */
export const PROVIDERS: Record<ProviderKind, ProviderFactory> = {
  "openai-chat": (spec) => createOpenAiChatProvider(spec),
  sim: (spec) => createOpenAiChatProvider(spec),
};

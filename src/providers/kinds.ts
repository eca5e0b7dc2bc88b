/**
 * Provider kinds a target can name: one per wire format (see registry.ts), and `sim`, which speaks
 * OpenAI chat to a simulator the run starts in-process. "ollama" is Ollama's native /api/chat,
 * "ollama-generate" its /api/generate.
 */
export const PROVIDER_KINDS = [
  "openai-chat",
  "openai-completions",
  "anthropic",
  "ollama",
  "ollama-generate",
  "tgi",
  "replicate",
  "sim",
] as const;

export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** The kinds that talk to a server at a `base_url` (every kind but the in-process simulator). */
export type HttpProviderKind = Exclude<ProviderKind, "sim">;

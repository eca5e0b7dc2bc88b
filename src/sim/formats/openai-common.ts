import type { SimResponseContext } from "./types.js";
import { sse } from "./wire.js";

// What OpenAI's chat and completions formats share: the chunk envelope, usage, the stream's tail
// and the error body.

/** The fields every OpenAI response and chunk starts with. */
export const openAiEnvelope = (ctx: SimResponseContext, object: string) => ({
  id: ctx.id,
  object,
  created: ctx.createdS,
  model: ctx.model,
});

export function openAiUsage(ctx: SimResponseContext) {
  return {
    prompt_tokens: ctx.promptTokens,
    completion_tokens: ctx.completionTokens,
    total_tokens: ctx.promptTokens + ctx.completionTokens,
  };
}

/** The finish chunk, the usage chunk (choices: []) when asked for, and [DONE]. */
export function openAiStreamEnd(
  ctx: SimResponseContext,
  object: string,
  finishChoice: Record<string, unknown>,
  includeUsage: boolean,
): string {
  let out = sse({ ...openAiEnvelope(ctx, object), choices: [finishChoice] });
  if (includeUsage) out += sse({ ...openAiEnvelope(ctx, object), choices: [], usage: openAiUsage(ctx) });
  return out + "data: [DONE]\n\n";
}

export function openAiError(status: number, message: string): string {
  const type = status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
  return JSON.stringify({ error: { message, type, code: status } });
}

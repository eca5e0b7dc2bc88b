import { simTokens } from "../answer.js";
import { checkTopLogprobs, tokenAlternatives } from "./logprobs.js";
import { openAiEnvelope, openAiError, openAiStreamEnd, openAiUsage } from "./openai-common.js";
import type { SimFormat, SimLogprobs, SimRequest } from "./types.js";
import { codePoints, sse, track } from "./wire.js";

interface CompletionsBody {
  prompt?: unknown;
  max_tokens?: unknown;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  logprobs?: unknown;
}

const OBJECT = "text_completion";
/** OpenAI's and vLLM's default max_tokens for completions (chat has none). */
const DEFAULT_MAX_TOKENS = 16;

/** Legacy completions logprobs for `tokens` starting at `position`, `offset` characters into the text. */
function completionLogprobs(tokens: string[], position: number, offset: number, lp: SimLogprobs) {
  const out = {
    tokens,
    token_logprobs: [] as number[],
    top_logprobs: [] as object[],
    text_offset: [] as number[],
  };
  tokens.forEach((token, i) => {
    // The chosen token is always among top_logprobs, so there are max(k, 1) entries ("up to logprobs+1").
    const alternatives = tokenAlternatives(token, position + i, lp.seed, Math.max(lp.top, 1));
    out.token_logprobs.push(alternatives[0]!.logprob);
    out.top_logprobs.push(Object.fromEntries(alternatives.map((a) => [a.token, a.logprob])));
    out.text_offset.push(offset);
    offset += codePoints(token);
  });
  return out;
}

function choice(text: string, logprobs: unknown, finishReason: string | null) {
  return { index: 0, text, logprobs, finish_reason: finishReason };
}

/** OpenAI `/v1/completions`, as OpenAI and vLLM send it: text chunks (no role chunk), finish, usage, [DONE]. */
export const openAiCompletionsFormat: SimFormat = {
  endpoint: "/v1/completions",
  streamContentType: "text/event-stream",
  decode(raw): SimRequest | { error: string } {
    const body = raw as CompletionsBody;
    const prompt = Array.isArray(body.prompt) && body.prompt.length === 1 ? body.prompt[0] : body.prompt;
    if (typeof prompt !== "string") return { error: "prompt must be a string or a list of one string" };
    if (body.max_tokens != null && typeof body.max_tokens !== "number") {
      return { error: "max_tokens must be a number" };
    }
    const logprobs = body.logprobs == null ? {} : checkTopLogprobs(body.logprobs, "logprobs");
    if ("error" in logprobs) return logprobs;
    return {
      texts: [prompt],
      lastUserMessage: prompt,
      maxTokens: body.max_tokens ?? DEFAULT_MAX_TOKENS,
      stream: body.stream === true,
      includeUsage: body.stream_options?.include_usage === true,
      ignoreEos: (body as { ignore_eos?: unknown }).ignore_eos === true,
      ...logprobs,
    };
  },
  preamble() {
    return "";
  },
  token(ctx, text, index) {
    let logprobs: object | null = null;
    if (ctx.logprobs) {
      logprobs = completionLogprobs([text], index, track(ctx).chars, ctx.logprobs);
      track(ctx, text);
    }
    return sse({ ...openAiEnvelope(ctx, OBJECT), choices: [choice(text, logprobs, null)] });
  },
  end(ctx, finishReason, includeUsage) {
    return openAiStreamEnd(ctx, OBJECT, choice("", null, finishReason), includeUsage);
  },
  json(ctx, text, finishReason) {
    const logprobs = ctx.logprobs ? completionLogprobs(simTokens(text), 0, 0, ctx.logprobs) : null;
    return JSON.stringify({
      ...openAiEnvelope(ctx, OBJECT),
      choices: [choice(text, logprobs, finishReason)],
      usage: openAiUsage(ctx),
    });
  },
  malformed(ctx) {
    return `data: {"id":"${ctx.id}","object":"text_completion","choices":[{"index":0,"text":"tru\n\n`;
  },
  error: openAiError,
};

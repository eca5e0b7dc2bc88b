import { simTokens } from "../answer.js";
import { checkTopLogprobs, tokenAlternatives } from "./logprobs.js";
import { openAiEnvelope, openAiError, openAiStreamEnd, openAiUsage } from "./openai-common.js";
import type { SimFormat, SimLogprobs, SimRequest, SimResponseContext } from "./types.js";
import { fromMessages, maxTokensOf, sse } from "./wire.js";

interface ChatBody {
  messages?: unknown;
  max_tokens?: number;
  max_completion_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  logprobs?: boolean;
  top_logprobs?: number;
}

const OBJECT = "chat.completion.chunk";

function chunk(ctx: SimResponseContext, delta: Record<string, unknown>, logprobs: unknown = null) {
  return {
    ...openAiEnvelope(ctx, OBJECT),
    choices: [{ index: 0, delta, logprobs, finish_reason: null }],
  };
}

/** Chat logprobs (`choices[].logprobs`) for `tokens` starting at `position`, in OpenAI's shape. */
function chatLogprobs(tokens: string[], position: number, lp: SimLogprobs) {
  const entry = (token: string, logprob: number) => ({
    token,
    logprob,
    bytes: [...Buffer.from(token, "utf8")],
  });
  return {
    content: tokens.map((token, i) => {
      const alternatives = tokenAlternatives(token, position + i, lp.seed, Math.max(lp.top, 1));
      return {
        ...entry(token, alternatives[0]!.logprob),
        top_logprobs: alternatives.slice(0, lp.top).map((a) => entry(a.token, a.logprob)),
      };
    }),
  };
}

/** `logprobs: true` with `top_logprobs: k` asks for k alternatives per token, as vLLM checks it. */
function decodeLogprobs(body: ChatBody): Pick<SimRequest, "logprobs"> | { error: string } {
  if (body.logprobs !== true) {
    return typeof body.top_logprobs === "number" && body.top_logprobs > 0
      ? { error: "when using `top_logprobs`, `logprobs` must be set to true." }
      : {};
  }
  return checkTopLogprobs(body.top_logprobs ?? 0, "top_logprobs");
}

/** OpenAI `/v1/chat/completions`, as OpenAI and vLLM send it: role chunk, deltas, finish, usage, [DONE]. */
export const openAiChatFormat: SimFormat = {
  endpoint: "/v1/chat/completions",
  streamContentType: "text/event-stream",
  decode(raw): SimRequest | { error: string } {
    const body = raw as ChatBody;
    const messages = fromMessages(body.messages);
    if ("error" in messages) return messages;
    const logprobs = decodeLogprobs(body);
    if ("error" in logprobs) return logprobs;
    return {
      ...messages,
      ...maxTokensOf(body.max_completion_tokens ?? body.max_tokens),
      stream: body.stream === true,
      includeUsage: body.stream_options?.include_usage === true,
      ignoreEos: (body as { ignore_eos?: unknown }).ignore_eos === true,
      ...logprobs,
    };
  },
  preamble(ctx) {
    // Sent at admission, long before the first token: a client that counts it shows a TTFT near 0.
    return sse(chunk(ctx, { role: "assistant", content: "" }));
  },
  token(ctx, text, index) {
    return sse(
      chunk(ctx, { content: text }, ctx.logprobs ? chatLogprobs([text], index, ctx.logprobs) : null),
    );
  },
  end(ctx, finishReason, includeUsage) {
    const finish = { index: 0, delta: {}, logprobs: null, finish_reason: finishReason };
    return openAiStreamEnd(ctx, OBJECT, finish, includeUsage);
  },
  json(ctx, text, finishReason) {
    return JSON.stringify({
      ...openAiEnvelope(ctx, "chat.completion"),
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: text },
          logprobs: ctx.logprobs ? chatLogprobs(simTokens(text), 0, ctx.logprobs) : null,
          finish_reason: finishReason,
        },
      ],
      usage: openAiUsage(ctx),
    });
  },
  malformed(ctx) {
    return `data: {"id":"${ctx.id}","choices":[{"index":0,"delta":{"content":"tru\n\n`;
  },
  error: openAiError,
};

import { hashString } from "../../util/rng.js";
import { simTokens } from "../answer.js";
import { checkTopLogprobs, tokenAlternatives, tokenLogprob } from "./logprobs.js";
import type { SimFormat, SimRequest, SimResponseContext } from "./types.js";
import { maxTokensOf, track } from "./wire.js";

interface TgiBody {
  inputs?: unknown;
  parameters?: { max_new_tokens?: unknown; details?: unknown; top_n_tokens?: unknown };
}

const FINISH_REASON = { stop: "eos_token", length: "length" } as const;
const EOS = { id: 2, text: "</s>" };

/** TGI's axum SSE writer puts no space after `data:`. */
const event = (payload: unknown) => `data:${JSON.stringify(payload)}\n\n`;

/** A generated token as TGI describes it; ids are a stable hash of the text, clear of special ids. */
function tokenInfo(ctx: SimResponseContext, text: string, index: number) {
  return {
    id: 100 + (hashString(text) % 32000),
    text,
    logprob: tokenLogprob(text, index, ctx.logprobs?.seed ?? 0),
    special: false,
  };
}

/** TGI's top_tokens for a token at `index`: `top_n_tokens` alternatives, the chosen one first. */
function topTokens(ctx: SimResponseContext, text: string, index: number) {
  const { top = 0, seed = 0 } = ctx.logprobs ?? {};
  return tokenAlternatives(text, index, seed, top).map((a) => ({
    id: 100 + (hashString(a.token) % 32000),
    text: a.token,
    logprob: a.logprob,
    special: false,
  }));
}

/**
 * Text Generation Inference's native API. /generate_stream (always a stream): one event per token,
 * then the EOS token's event (special, not content) carrying generated_text and, when
 * parameters.details, details; no [DONE]. /generate: {generated_text, details}. generated_tokens
 * counts content tokens only, so it equals the truth log's completionTokens.
 */
function createTgiFormat(endpoint: string, stream: boolean): SimFormat {
  const details = (ctx: SimResponseContext, finishReason: "stop" | "length") => ({
    finish_reason: FINISH_REASON[finishReason],
    generated_tokens: ctx.completionTokens,
    seed: null,
  });
  return {
    endpoint,
    streamContentType: "text/event-stream",
    decode(raw): SimRequest | { error: string } {
      const body = raw as TgiBody;
      if (typeof body.inputs !== "string") return { error: "inputs must be a string" };
      const top = body.parameters?.top_n_tokens;
      const logprobs = top == null ? { logprobs: 0 } : checkTopLogprobs(top, "top_n_tokens");
      if ("error" in logprobs) return logprobs;
      return {
        texts: [body.inputs],
        lastUserMessage: body.inputs,
        ...maxTokensOf(body.parameters?.max_new_tokens),
        stream,
        includeUsage: body.parameters?.details === true,
        // TGI always reports each token's logprob; top_n_tokens adds alternatives.
        ...logprobs,
      };
    },
    preamble: () => "",
    token(ctx, text, index) {
      track(ctx, text); // For generated_text at the end.
      return event({
        index: index + 1,
        token: tokenInfo(ctx, text, index),
        ...(ctx.logprobs?.top ? { top_tokens: topTokens(ctx, text, index) } : {}),
        generated_text: null,
        details: null,
      });
    },
    end(ctx, finishReason, includeDetails) {
      const index = ctx.completionTokens;
      return event({
        index: index + 1,
        token: { ...EOS, logprob: tokenLogprob(EOS.text, index, ctx.logprobs?.seed ?? 0), special: true },
        generated_text: track(ctx).text,
        details: includeDetails ? { ...details(ctx, finishReason), input_length: ctx.promptTokens } : null,
      });
    },
    json(ctx, text, finishReason) {
      // Always with details: `json` is not told whether they were asked for (TGI would omit them).
      return JSON.stringify({
        generated_text: text,
        details: {
          ...details(ctx, finishReason),
          prefill: [],
          tokens: simTokens(text).map((t, i) => tokenInfo(ctx, t, i)),
          ...(ctx.logprobs?.top ? { top_tokens: simTokens(text).map((t, i) => topTokens(ctx, t, i)) } : {}),
        },
      });
    },
    malformed(ctx) {
      return `data:{"index":${ctx.completionTokens + 1},"token":{"id":${EOS.id},"text":"tru\n\n`;
    },
    error(status, message) {
      const type = status === 429 ? "overloaded" : status >= 500 ? "generation" : "validation";
      return JSON.stringify({ error: message, error_type: type });
    },
  };
}

export const tgiGenerateStreamFormat = createTgiFormat("/generate_stream", true);
export const tgiGenerateFormat = createTgiFormat("/generate", false);

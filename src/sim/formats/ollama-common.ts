import { nowUs } from "../../util/clock.js";
import type { SimFormat, SimRequest, SimResponseContext } from "./types.js";
import { maxTokensOf, ndjson, track } from "./wire.js";

/** What differs between Ollama's /api/chat and /api/generate. */
export interface OllamaVariant {
  endpoint: string;
  /** The request's texts and the text answers match against, or a message for a 400. */
  decode(body: Record<string, unknown>): Pick<SimRequest, "texts" | "lastUserMessage"> | { error: string };
  /** The field holding a piece of content: `{ message }` for chat, `{ response }` for generate. */
  content(text: string): Record<string, unknown>;
}

interface OllamaBody {
  stream?: unknown;
  options?: { num_predict?: unknown };
}

const ns = (us: number) => Math.max(0, Math.round(us * 1000));

/**
 * The final line's counts and nanosecond durations. Prompt evaluation runs from admission to the
 * first token, evaluation from there to now; both as this format saw them on a stream. A
 * non-streaming response is written whole at the end, so its durations are 0 (the simulator's own
 * timings are in the truth log).
 */
function stats(ctx: SimResponseContext) {
  const t = ctx.track;
  const endUs = nowUs();
  const firstUs = t?.firstTokenUs ?? endUs;
  return {
    total_duration: t ? ns(endUs - t.startUs) : 0,
    load_duration: 0,
    prompt_eval_count: ctx.promptTokens,
    prompt_eval_duration: t ? ns(firstUs - t.startUs) : 0,
    eval_count: ctx.completionTokens,
    eval_duration: t ? ns(endUs - firstUs) : 0,
  };
}

/**
 * Ollama's native API: NDJSON (one JSON object per line), streaming unless `stream: false`, max
 * tokens in options.num_predict. Each token is a `done: false` line; the last line has `done: true`,
 * done_reason, empty content, the counts and the durations. No ids, no [DONE].
 */
export function createOllamaFormat(variant: OllamaVariant): SimFormat {
  const head = (ctx: SimResponseContext) => ({ model: ctx.model, created_at: new Date().toISOString() });
  const last = (ctx: SimResponseContext, text: string, finishReason: string) => ({
    ...head(ctx),
    ...variant.content(text),
    done: true,
    done_reason: finishReason,
    ...stats(ctx),
  });
  return {
    endpoint: variant.endpoint,
    streamContentType: "application/x-ndjson",
    decode(raw): SimRequest | { error: string } {
      const body = raw as OllamaBody & Record<string, unknown>;
      const decoded = variant.decode(body);
      if ("error" in decoded) return decoded;
      return {
        ...decoded,
        // num_predict -1 (or -2) means no limit, as chooseAnswer reads a negative maxTokens.
        ...maxTokensOf(body.options?.num_predict),
        stream: body.stream !== false,
        includeUsage: true,
      };
    },
    preamble(ctx) {
      track(ctx); // Admission: where prompt_eval_duration starts.
      return "";
    },
    token(ctx, text) {
      track(ctx).firstTokenUs ??= nowUs();
      return ndjson({ ...head(ctx), ...variant.content(text), done: false });
    },
    end: (ctx, finishReason) => ndjson(last(ctx, "", finishReason)),
    json: (ctx, text, finishReason) => JSON.stringify(last(ctx, text, finishReason)),
    malformed(ctx) {
      const line = JSON.stringify({ ...head(ctx), ...variant.content("truncated"), done: false });
      return line.slice(0, line.indexOf("truncated") + 3) + "\n";
    },
    error: (_status, message) => JSON.stringify({ error: message }),
  };
}

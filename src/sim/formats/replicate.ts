import { simTokens } from "../answer.js";
import type { SimFormat, SimRequest, SimResponseContext } from "./types.js";
import { maxTokensOf } from "./wire.js";

/**
 * Replicate's predictions API as the simulator writes it. A create call without `Prefer: wait` is
 * answered at once with a `starting` prediction whose `urls.stream` points back here (see
 * `startingPrediction`); the GET of that URL is this stream: one `output` event per token, the
 * text itself as data (not JSON), then `done` with `{}`. With `Prefer: wait` the create call runs
 * the prediction and answers with it finished: `output` as the list of pieces, `metrics` with the
 * token counts.
 */

interface PredictionBody {
  input?: { prompt?: unknown; system_prompt?: unknown; max_tokens?: unknown; max_new_tokens?: unknown };
}

function decodePrediction(raw: unknown, stream: boolean): SimRequest | { error: string } {
  const input = (raw as PredictionBody).input;
  if (typeof input !== "object" || input === null) return { error: "input is required" };
  if (typeof input.prompt !== "string") return { error: "input.prompt must be a string" };
  const system = typeof input.system_prompt === "string" ? [input.system_prompt] : [];
  return {
    texts: [...system, input.prompt],
    lastUserMessage: input.prompt,
    ...maxTokensOf(input.max_tokens ?? input.max_new_tokens),
    stream,
    includeUsage: false,
  };
}

/** SSE data lines for `text`: a line break in the text starts another `data:` line. */
const dataLines = (text: string) =>
  text
    .split("\n")
    .map((line) => `data: ${line}`)
    .join("\n");

/** What the API answers to a failed call: `{detail}`, as its errors are. */
const errorBody = (status: number, message: string) => JSON.stringify({ status, detail: message });

/** The stream at `urls.stream`. */
export const replicateStreamFormat: SimFormat = {
  endpoint: "/v1/predictions/stream",
  streamContentType: "text/event-stream",
  decode: (raw) => decodePrediction(raw, true),
  preamble: () => "",
  token: (_ctx, text) => `event: output\n${dataLines(text)}\n\n`,
  end: () => "event: done\ndata: {}\n\n",
  json: () => "",
  error: errorBody,
  // An error event whose JSON is cut off.
  malformed: () => 'event: error\ndata: {"detail": "tru\n\n',
};

/** A create call with `Prefer: wait`: the finished prediction. */
export const replicateWaitFormat: SimFormat = {
  endpoint: "/v1/predictions",
  streamContentType: "text/event-stream",
  decode: (raw) => decodePrediction(raw, false),
  preamble: () => "",
  token: () => "",
  end: () => "",
  json(ctx: SimResponseContext, text: string) {
    return JSON.stringify({
      id: ctx.id,
      model: ctx.model,
      version: "sim",
      status: "succeeded",
      output: simTokens(text),
      error: null,
      metrics: { input_token_count: ctx.promptTokens, output_token_count: ctx.completionTokens },
    });
  },
  error: errorBody,
  malformed: () => "",
};

/** The answer to a create call without `Prefer: wait`: the prediction, starting, and where to stream it. */
export function startingPrediction(id: string, model: string, origin: string): unknown {
  const base = `${origin}/v1/predictions/${id}`;
  return {
    id,
    model,
    version: "sim",
    status: "starting",
    output: null,
    error: null,
    logs: "",
    created_at: new Date().toISOString(),
    urls: { get: base, cancel: `${base}/cancel`, stream: `${base}/stream` },
  };
}

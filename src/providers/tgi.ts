import type { BodyDecoder } from "./http-client.js";
import { ProtocolError } from "./protocol-error.js";
import type { EventSink, GenerationRequest, Provider } from "./types.js";
import type { FailureKind } from "../record/failure.js";
import { tgiTokenLogprob } from "./logprobs.js";
import {
  bearerHeaders,
  createHttpProvider,
  renderPrompt,
  type HttpProviderOptions,
  type WireFormat,
} from "./http-provider.js";
import {
  count,
  createJsonDecoder,
  createStreamDecoder,
  obj,
  parseJsonObject,
  str,
  stringifyJson,
  type RecordContext,
} from "./wire.js";
import { TGI_INFO } from "./server-info.js";

/**
 * TGI's `parameters` from the suite's params: max_tokens becomes max_new_tokens and a single `stop`
 * string a list. TGI rejects temperature 0 and top_p 1 (it wants temperature > 0 and 0 < top_p < 1),
 * which mean greedy decoding and no nucleus cut, its defaults: those are left out. `ignore_eos` (vLLM's,
 * added by synthetic workloads) has no TGI equivalent and is dropped. `details: true` makes the stream
 * end with the finish reason and token counts. Other params (seed, top_k, repetition_penalty, ...) pass
 * through by name.
 */
export function tgiParameters(params: Record<string, unknown>): Record<string, unknown> {
  const { max_tokens, temperature, top_p, stop, ignore_eos: _ignoreEos, ...rest } = params;
  const out: Record<string, unknown> = { ...rest };
  if (max_tokens !== undefined && max_tokens !== null) out.max_new_tokens = max_tokens;
  if (temperature !== undefined && temperature !== 0) out.temperature = temperature;
  if (top_p !== undefined && top_p !== 1) out.top_p = top_p;
  if (stop !== undefined && stop !== null) out.stop = typeof stop === "string" ? [stop] : stop;
  return { ...out, details: true, decoder_input_details: false };
}

/**
 * The `/generate` and `/generate_stream` body: the messages rendered as one prompt (see renderPrompt);
 * topLogprobs becomes `top_n_tokens`.
 */
export function buildTgiBody(request: GenerationRequest): Record<string, unknown> {
  const parameters = tgiParameters(request.params);
  if (request.topLogprobs) parameters.top_n_tokens = request.topLogprobs;
  return { inputs: renderPrompt(request.messages), parameters };
}

/** TGI's error_type as the HTTP status it sends for the same error out of band would classify it. */
const ERROR_KINDS = new Map<string, FailureKind>([
  ["overloaded", "http_429"],
  ["validation", "http_4xx"],
  ["incomplete_generation", "stream_dropped"],
]);

/** `{"error": ..., "error_type": ...}` fails the request; a generation error is http_5xx. */
function checkError(record: Record<string, unknown>): void {
  if (record.error === undefined || record.error === null) return;
  const type = str(record.error_type) ?? "";
  const message = str(record.error) ?? stringifyJson(record.error);
  throw new ProtocolError(
    ERROR_KINDS.get(type) ?? "http_5xx",
    `server reported ${type || "an"} error in the stream: ${message}`,
  );
}

/** details: finish_reason, then usage from input_length (streams only) and generated_tokens. */
function emitDetails(details: Record<string, unknown> | undefined, ctx: RecordContext): void {
  if (!details) return;
  const reason = str(details.finish_reason);
  if (reason) ctx.sink({ type: "finish", atUs: ctx.atUs, reason });
  const promptTokens = count(details.input_length);
  const completionTokens = count(details.generated_tokens);
  if (promptTokens !== undefined || completionTokens !== undefined)
    ctx.sink({ type: "usage", atUs: ctx.atUs, promptTokens, completionTokens });
}

/**
 * `/generate_stream`: one SSE event a token; a special token (EOS) is not content. The stream is
 * complete at the event whose generated_text is set; with details, it carries finish and usage.
 */
export function createTgiStreamDecoder(sink: EventSink): BodyDecoder {
  return createStreamDecoder(sink, {
    framing: "sse",
    terminator: "the event with generated_text",
    onRecord({ data }, ctx) {
      const record = parseJsonObject(data);
      checkError(record);
      const token = obj(record.token);
      if (token && token.special !== true) ctx.chunk()("text", token.text);
      // Every TGI token carries its logprob; only a request that asked (top_n_tokens) gets top_tokens.
      if (Array.isArray(record.top_tokens) && record.top_tokens.length > 0) {
        const logprob = tgiTokenLogprob(token, record.top_tokens);
        if (logprob) ctx.sink({ type: "logprobs", tokens: [logprob] });
      }
      if (record.generated_text === undefined || record.generated_text === null) return;
      emitDetails(obj(record.details), ctx);
      ctx.done();
    },
  });
}

/** `/generate`: `{generated_text, details}`; details has no input_length here, so no prompt tokens. */
export function createTgiJsonDecoder(sink: EventSink): BodyDecoder {
  return createJsonDecoder(sink, (body, ctx) => {
    checkError(body);
    ctx.chunk()("text", body.generated_text);
    const details = obj(body.details);
    // details.tokens and details.top_tokens are parallel; alternatives only when asked (top_n_tokens).
    if (details && Array.isArray(details.tokens) && Array.isArray(details.top_tokens)) {
      const tops = details.top_tokens as unknown[];
      const tokens = details.tokens.flatMap((t: unknown, i: number) => tgiTokenLogprob(t, tops[i]) ?? []);
      if (tops.length > 0 && tokens.length > 0) ctx.sink({ type: "logprobs", tokens });
    }
    emitDetails(details, ctx);
  });
}

const TGI: WireFormat = {
  kind: "tgi",
  headers: bearerHeaders,
  path: (stream) => (stream ? "/generate_stream" : "/generate"),
  body: (request) => buildTgiBody(request),
  streamDecoder: createTgiStreamDecoder,
  jsonDecoder: createTgiJsonDecoder,
  info: TGI_INFO,
};

/** Text Generation Inference's native API: `/generate_stream` (SSE) or `/generate` (one JSON object). */
export const createTgiProvider = (options: HttpProviderOptions): Provider => createHttpProvider(TGI, options);

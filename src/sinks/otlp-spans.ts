/**
 * What one request says as an OpenTelemetry span: the GenAI semantic conventions' attributes
 * (`gen_ai.*`), Gauntlet's own (`gauntlet.*`: target, phase, case, timings, dispatch delay), a
 * `first_token` event and the failure as the span's error status. Pure: the OTLP sink hands the
 * result to the SDK; tests read it directly.
 */
import type { ProviderKind } from "../config/plan.js";
import type { RequestSample } from "../record/request-sample.js";
import type { Redactor } from "../util/redact.js";

/** What a span needs to know of the target a request went to. */
export interface SpanTarget {
  provider: ProviderKind;
  model: string;
}

/** The GenAI conventions' provider name and operation for each wire format. */
interface GenAiKind {
  provider: string;
  operation: "chat" | "text_completion";
}

/** One entry per provider kind; the Record makes the compiler ask for each new one. */
const GEN_AI: Record<ProviderKind, GenAiKind> = {
  "openai-chat": { provider: "openai", operation: "chat" },
  "openai-completions": { provider: "openai", operation: "text_completion" },
  anthropic: { provider: "anthropic", operation: "chat" },
  ollama: { provider: "ollama", operation: "chat" },
  "ollama-generate": { provider: "ollama", operation: "text_completion" },
  tgi: { provider: "tgi", operation: "text_completion" },
  replicate: { provider: "replicate", operation: "text_completion" },
  sim: { provider: "gauntlet.sim", operation: "chat" },
};

export type SpanAttribute = string | number | boolean | string[];

/** A request as a span, with every time in epoch microseconds (the samples' own clock). */
export interface RequestSpan {
  name: string;
  startUs: number;
  endUs: number;
  attributes: Record<string, SpanAttribute>;
  /** `first_token` at the first content chunk, when one came. */
  events: Array<{ name: string; atUs: number }>;
  /** Set when the request failed: the span's status is then ERROR with this message. */
  error?: string;
}

/** How a request ended beside its sample: a warmup request, a retried attempt, a case's verdict. */
export interface RequestContext {
  warmup?: boolean;
  retried?: boolean;
  casePassed?: boolean;
}

const ms = (us: number) => Math.round(us) / 1000;

/**
 * The span of `sample`, sent to `target`. Every string that came from the server or the suite
 * leaves through `redact` (a server may echo a key in an error; a case id may hold one).
 */
export function requestSpan(
  sample: RequestSample,
  target: SpanTarget,
  context: RequestContext,
  redact: Redactor,
): RequestSpan {
  const kind = GEN_AI[target.provider];
  const attributes: Record<string, SpanAttribute> = {
    "gen_ai.operation.name": kind.operation,
    "gen_ai.provider.name": kind.provider,
    // The attribute's earlier name, which most backends (Langfuse, LangSmith) still read.
    "gen_ai.system": kind.provider,
    "gen_ai.request.model": redact(target.model),
    "gen_ai.usage.output_tokens": sample.outputTokens,
    "gauntlet.target": redact(sample.target),
    "gauntlet.phase": redact(sample.phase),
    "gauntlet.scheduled_start_ms": ms(sample.startUs),
    "gauntlet.dispatch_delay_ms": ms(sample.dispatchDelayUs),
    "gauntlet.output_tokens_estimated": sample.outputTokensEstimated,
    "gauntlet.chunks": sample.chunks,
    "gauntlet.ok": sample.ok,
  };
  const put = (key: string, value: SpanAttribute | undefined) => {
    if (value !== undefined) attributes[key] = value;
  };
  put("gen_ai.usage.input_tokens", sample.inputTokens);
  put("gen_ai.response.id", sample.responseId === undefined ? undefined : redact(sample.responseId));
  put("gen_ai.response.finish_reasons", sample.finishReason ? [sample.finishReason] : undefined);
  put("gauntlet.case_id", sample.caseId === undefined ? undefined : redact(sample.caseId));
  put("gauntlet.request_id", sample.requestId);
  put("gauntlet.ttft_ms", sample.ttftUs === undefined ? undefined : ms(sample.ttftUs));
  put("gauntlet.e2e_ms", sample.e2eUs === undefined ? undefined : ms(sample.e2eUs));
  put("gauntlet.tpot_ms", sample.tpotUs === undefined ? undefined : ms(sample.tpotUs));
  put("gauntlet.warmup", context.warmup || undefined);
  put("gauntlet.retried", context.retried || undefined);
  put("gauntlet.case_passed", context.casePassed);
  if (sample.failure) {
    attributes["error.type"] = sample.failure.kind;
    put("http.response.status_code", sample.failure.status);
    put(
      "gauntlet.server_request_id",
      sample.failure.serverRequestId === undefined ? undefined : redact(sample.failure.serverRequestId),
    );
  }
  return {
    name: `${kind.operation} ${redact(target.model)}`,
    startUs: sample.startUs,
    // A request cut off before a byte came has its end at its start at the latest.
    endUs: Math.max(sample.endUs, sample.startUs),
    attributes,
    events:
      sample.ttftUs === undefined ? [] : [{ name: "first_token", atUs: sample.startUs + sample.ttftUs }],
    ...(sample.failure ? { error: redact(`${sample.failure.kind}: ${sample.failure.message}`) } : {}),
  };
}

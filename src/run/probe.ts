import { endpointUrl } from "../util/endpoint-url.js";
import { request } from "undici";
import type { PlanTarget } from "../config/plan.js";
import { createCollector } from "../providers/collect.js";
import { type ResponseRecord } from "../record/response.js";
import { connectTarget } from "../providers/connect.js";
import { bearerHeaders } from "../providers/http-provider.js";
import type { Provider } from "../providers/types.js";
import type { HealthError } from "../record/health.js";
import { serverMessage } from "./failure-log.js";
import { hintFor } from "./health-hints.js";
import { SERVER_INFO_TIMEOUT_MS } from "./run-health.js";

/** What a target turned out to support, each with the evidence. */
export interface ProbeReport {
  target: string;
  provider: string;
  url: string;
  reachable: boolean;
  /**
   * False when the target cannot be used: unreachable, or neither a streamed nor a plain request
   * succeeded; `problem` then says why in the server's words, with a hint.
   */
  usable: boolean;
  problem?: Omit<HealthError, "count">;
  streaming?: { ok: boolean; chunks: number; detail: string };
  usageInStream?: { ok: boolean; detail: string };
  nonStreaming?: { ok: boolean; detail: string };
  logprobs?: { ok: boolean; maxTopK?: number; detail: string };
  maxContext?: { tokens?: number; detail: string };
}

/** Wire formats with top-k logprobs (each provider asks in its own field, see GenerationRequest). */
const HAS_LOGPROBS: ReadonlySet<string> = new Set(["openai-chat", "openai-completions", "tgi", "sim"]);
const LISTS_MODELS: ReadonlySet<string> = new Set(["openai-chat", "openai-completions", "sim"]);

const PROMPT = [{ role: "user" as const, content: "Count from 1 to 20, separated by spaces." }];

async function ask(provider: Provider, stream: boolean, topLogprobs?: number): Promise<ResponseRecord> {
  const { record, sink } = createCollector();
  const request = { messages: PROMPT, params: { max_tokens: 16, temperature: 0 }, stream };
  await provider.send(topLogprobs ? { ...request, topLogprobs } : request, sink);
  return record;
}

const failure = (r: ResponseRecord) => (r.failure ? `${r.failure.kind}: ${r.failure.message}` : "");

/**
 * Asks a target what it supports by sending a few small requests: streaming (and whether it
 * streams incrementally), usage in the stream, non-streaming, logprobs and the largest top-k it
 * accepts (20, 10, 5, 1), and the context length an OpenAI-compatible /models reports (vLLM's
 * max_model_len). Connects the target itself (a `sim` target gets a simulator for the probe).
 */
export async function probeTarget(target: PlanTarget): Promise<ProbeReport> {
  const connected = await connectTarget(target, 1);
  const { provider, baseUrl } = connected;
  const report: ProbeReport = {
    target: target.name,
    provider: target.provider,
    url: target.provider === "sim" ? "in-process simulator" : connected.displayUrl,
    reachable: true,
    usable: true,
  };
  try {
    const streamed = await ask(provider, true);
    if (streamed.failure?.kind === "connect") {
      report.reachable = false;
      report.usable = false;
      return report;
    }
    const distinct = new Set(streamed.contentTimesUs).size;
    report.streaming = {
      ok: !streamed.failure && distinct > 0,
      chunks: streamed.contentTimesUs.length,
      detail: streamed.failure
        ? failure(streamed)
        : distinct > 1
          ? `${streamed.contentTimesUs.length} content chunks, arriving incrementally`
          : "the answer arrived in one piece: the server buffers its stream",
    };
    report.usageInStream = {
      ok: streamed.usage?.completionTokens !== undefined,
      detail:
        streamed.usage?.completionTokens !== undefined
          ? `usage in the stream: ${streamed.usage.completionTokens} completion tokens`
          : "no usage in the stream: output tokens will be estimated with a client tokenizer",
    };
    const plain = await ask(provider, false);
    report.nonStreaming = { ok: !plain.failure && plain.text.length > 0, detail: failure(plain) || "ok" };
    const refused = streamed.failure ?? plain.failure;
    if (streamed.failure && plain.failure && refused) {
      // Nothing answered: the rest would fail the same way. Say why, as a run's health would.
      report.usable = false;
      const f = {
        kind: refused.kind,
        ...(refused.status !== undefined ? { status: refused.status } : {}),
        message: serverMessage(refused.message),
      };
      const hint = await hintFor(
        { ...f, count: 1 },
        {
          target,
          displayUrl: connected.displayUrl,
          serverInfo: () => provider.serverInfo(SERVER_INFO_TIMEOUT_MS),
        },
      );
      report.problem = hint ? { ...f, hint } : f;
      return report;
    }

    if (!HAS_LOGPROBS.has(target.provider)) {
      report.logprobs = { ok: false, detail: `${target.provider} has no logprobs in its wire format` };
    } else {
      for (const k of [20, 10, 5, 1]) {
        const r = await ask(provider, true, k);
        if (!r.failure) {
          // A server may accept the field and ignore it: only alternatives that came back count.
          const given = Math.min(...(r.logprobs ?? []).map((t) => t.top.length));
          const topK = Math.min(k, given);
          report.logprobs =
            r.logprobs && topK >= 1
              ? {
                  ok: true,
                  maxTopK: topK,
                  detail: topK < k ? `asked for top-${k}, returns top-${topK}` : `returns top-${k} logprobs`,
                }
              : { ok: false, detail: "accepts the request but returns no top-k logprobs" };
          break;
        }
        if (r.failure.kind !== "http_4xx") {
          report.logprobs = { ok: false, detail: failure(r) };
          break;
        }
      }
      report.logprobs ??= { ok: false, detail: "every logprobs request was refused (4xx)" };
    }
    report.maxContext = await maxContext(baseUrl, target);
    return report;
  } finally {
    await connected.close();
  }
}

async function maxContext(baseUrl: string, target: PlanTarget): Promise<ProbeReport["maxContext"]> {
  if (!LISTS_MODELS.has(target.provider)) {
    return { detail: "not reported by this wire format" };
  }
  try {
    const headers = bearerHeaders(target);
    const res = await request(endpointUrl(baseUrl, "/models"), {
      headers,
      headersTimeout: 5000,
      bodyTimeout: 5000,
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      return { detail: `GET /models answered ${res.statusCode}` };
    }
    const body = (await res.body.json()) as {
      data?: Array<{ id?: string; max_model_len?: number; context_length?: number }>;
    };
    const model = body.data?.find((m) => m.id === target.model) ?? body.data?.[0];
    const tokens = model?.max_model_len ?? model?.context_length;
    return tokens
      ? { tokens, detail: `${tokens} tokens (GET /models)` }
      : { detail: "GET /models gives no context length" };
  } catch (err) {
    return { detail: `GET /models failed: ${(err as Error).message}` };
  }
}

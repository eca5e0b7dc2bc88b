import { request } from "undici";
import type { Plan, PlanTarget } from "../config/plan.js";
import { createCollector } from "../providers/collect.js";
import { bearerHeaders } from "../providers/http-provider.js";
import { PROVIDERS } from "../providers/registry.js";
import type { ChatMessage, Provider } from "../providers/types.js";
import { retryDelayMs } from "../run/retry.js";
import { startSimServer, type SimServer } from "../sim/server.js";
import { redactUrl } from "../util/redact.js";
import type { Graders } from "./assertion-types.js";

/** Graders with a lifetime: `close` ends their connections and any simulator they started. */
export interface GraderClient extends Graders {
  close(): Promise<void>;
}

interface Live {
  target: PlanTarget;
  baseUrl: string;
  provider: Provider;
  sim?: SimServer;
}

/** The most of an /embeddings answer read; a bigger one is a broken server, not data. */
const MAX_EMBEDDINGS_BYTES = 32 << 20;
/** Texts longer than this are embedded each time instead of being remembered. */
const MAX_CACHED_TEXT = 10_000;
/** Embeddings remembered at most; the oldest are forgotten first, so memory stays bounded. */
const MAX_CACHED_EMBEDDINGS = 20_000;

/** A counting semaphore: at most `limit` calls to one grading target at once. */
function createLimiter(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls the suite's grading targets (llm-judge and similar) by name. Each is connected on first use
 * (a `sim` target gets its own simulator), with at most `plan.qualityConcurrency` calls in flight
 * and the suite's retry policy for busy or broken servers. Embeddings are remembered per text.
 */
export function createGraderClient(plan: Plan): GraderClient {
  const live = new Map<string, Promise<Live>>();
  const limiters = new Map<string, ReturnType<typeof createLimiter>>();
  const embeddings = new Map<string, number[]>();

  const connect = (name: string): Promise<Live> => {
    let l = live.get(name);
    if (!l) {
      const target = plan.targets.find((t) => t.name === name);
      if (!target) return Promise.reject(new Error(`unknown grading target "${name}"`));
      l = (async () => {
        const sim = target.provider === "sim" ? await startSimServer(target.sim!) : undefined;
        const baseUrl = sim?.url ?? target.baseUrl!;
        const provider = PROVIDERS[target.provider]({
          baseUrl,
          model: target.model,
          ...(target.apiKey ? { apiKey: target.apiKey } : {}),
          headers: target.headers,
          timeouts: target.timeouts,
          connections: plan.qualityConcurrency,
        });
        return { target, baseUrl, provider, ...(sim ? { sim } : {}) };
      })();
      live.set(name, l);
      limiters.set(name, createLimiter(plan.qualityConcurrency));
    }
    return l;
  };
  const limited = <T>(name: string, fn: (l: Live) => Promise<T>) =>
    connect(name).then((l) => limiters.get(name)!(() => fn(l)));

  async function chatOnce(l: Live, messages: ChatMessage[], signal?: AbortSignal): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const { record, sink } = createCollector();
      await l.provider.send({ messages, params: l.target.params, stream: l.target.stream }, sink, {
        ...(signal ? { signal } : {}),
      });
      if (!record.failure) return record.text;
      const delayMs = signal?.aborted ? undefined : retryDelayMs(record, attempt, plan.retry);
      if (delayMs === undefined)
        throw new Error(
          `target "${l.target.name}" failed: ${record.failure.kind}: ${record.failure.message}`,
        );
      await sleep(delayMs);
    }
  }

  async function embedOnce(l: Live, texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const url = `${l.baseUrl.replace(/\/+$/, "")}/embeddings`;
    for (let attempt = 0; ; attempt++) {
      const res = await request(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...bearerHeaders(l.target) },
        body: JSON.stringify({ model: l.target.model, input: texts }),
        headersTimeout: l.target.timeouts.firstTokenMs,
        bodyTimeout: l.target.timeouts.totalMs,
        ...(signal ? { signal } : {}),
      });
      let body = "";
      for await (const chunk of res.body) {
        body += (chunk as Buffer).toString("utf8");
        if (body.length > MAX_EMBEDDINGS_BYTES) throw new Error(`${redactUrl(url)} answered over 32 MiB`);
      }
      const busy = res.statusCode === 429 || res.statusCode >= 500;
      if (busy && attempt < plan.retry.retries && !signal?.aborted) {
        await sleep(Math.min(plan.retry.baseDelayMs * 2 ** attempt, plan.retry.maxDelayMs));
        continue;
      }
      if (res.statusCode !== 200)
        throw new Error(`${redactUrl(url)} answered ${res.statusCode}: ${body.slice(0, 200)}`);
      const data = (JSON.parse(body) as { data?: Array<{ index?: number; embedding?: unknown }> }).data;
      if (!Array.isArray(data) || data.length !== texts.length)
        throw new Error(`${redactUrl(url)}: expected ${texts.length} embeddings in data[]`);
      const sorted = [...data].sort((x, y) => (x.index ?? 0) - (y.index ?? 0));
      return sorted.map((d, i) => {
        const e = d.embedding;
        if (!Array.isArray(e) || !e.every((v) => typeof v === "number"))
          throw new Error(`${redactUrl(url)}: data[${i}].embedding is not a list of numbers`);
        return e as number[];
      });
    }
  }

  return {
    chat: (name, messages, signal) => limited(name, (l) => chatOnce(l, messages, signal)),
    embed: async (name, texts, signal) => {
      const key = (t: string) => `${name}\u0000${t}`;
      const missing = [...new Set(texts.filter((t) => !embeddings.has(key(t))))];
      if (missing.length > 0) {
        const vectors = await limited(name, (l) => embedOnce(l, missing, signal));
        missing.forEach((t, i) => embeddings.set(key(t), vectors[i]!));
      }
      const out = texts.map((t) => embeddings.get(key(t))!);
      for (const t of missing) if (t.length > MAX_CACHED_TEXT) embeddings.delete(key(t));
      // Map iteration is insertion order: the first keys are the oldest.
      for (const k of embeddings.keys()) {
        if (embeddings.size <= MAX_CACHED_EMBEDDINGS) break;
        embeddings.delete(k);
      }
      return out;
    },
    close: async () => {
      const all = await Promise.allSettled(live.values());
      for (const r of all) {
        if (r.status !== "fulfilled") continue;
        await r.value.provider.close().catch(() => {});
        await r.value.sim?.close();
      }
    },
  };
}

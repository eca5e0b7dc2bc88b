import type { Plan, PlanTarget } from "../config/plan.js";
import { createCollector } from "../providers/collect.js";
import { connectTarget, type ConnectedTarget } from "../providers/connect.js";
import { requestEmbeddings } from "../providers/embeddings.js";
import { sendWithRetry } from "../providers/retry.js";
import type { ChatMessage } from "../providers/types.js";
import type { Graders } from "./assertion-types.js";
import type { Redactor } from "../util/redact.js";

/** Graders with a lifetime: `close` ends their connections and any simulator they started. */
export interface GraderClient extends Graders {
  close(): Promise<void>;
}

interface Live {
  target: PlanTarget;
  connected: ConnectedTarget;
}

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

/**
 * Calls the suite's grading targets (llm-judge and similar) by name. Each is connected on first use
 * (see connectTarget: a `sim` target gets its own simulator), with at most `plan.qualityConcurrency`
 * calls in flight and the suite's retry policy (with the server's Retry-After) for busy or broken
 * servers, chat and embeddings alike. Embeddings are remembered per text.
 */
export function createGraderClient(plan: Plan, redact?: Redactor): GraderClient {
  const live = new Map<string, Promise<Live>>();
  const limiters = new Map<string, ReturnType<typeof createLimiter>>();
  const embeddings = new Map<string, number[]>();

  const connect = (name: string): Promise<Live> => {
    let l = live.get(name);
    if (!l) {
      const target = plan.targets.find((t) => t.name === name);
      if (!target) return Promise.reject(new Error(`unknown grading target "${name}"`));
      l = connectTarget(target, plan.qualityConcurrency, redact).then((connected) => ({ target, connected }));
      live.set(name, l);
      limiters.set(name, createLimiter(plan.qualityConcurrency));
    }
    return l;
  };
  const limited = <T>(name: string, fn: (l: Live) => Promise<T>) =>
    connect(name).then((l) => limiters.get(name)!(() => fn(l)));

  async function chatOnce(l: Live, messages: ChatMessage[], signal?: AbortSignal): Promise<string> {
    const request = { messages, params: l.target.params, stream: l.target.stream };
    const attempts = await sendWithRetry(
      async () => {
        const { record, sink } = createCollector();
        await l.connected.provider.send(request, sink, { ...(signal ? { signal } : {}) });
        return record;
      },
      (record) => record.failure,
      plan.retry,
      { ...(signal ? { signal } : {}) },
    );
    const { failure, text } = attempts[attempts.length - 1]!;
    if (failure) throw new Error(`target "${l.target.name}" failed: ${failure.kind}: ${failure.message}`);
    return text;
  }

  async function embedOnce(l: Live, texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const endpoint = { ...l.target, baseUrl: l.connected.baseUrl };
    const attempts = await sendWithRetry(
      () => requestEmbeddings(endpoint, texts, signal, redact),
      (r) => ("failure" in r ? r.failure : undefined),
      plan.retry,
      { ...(signal ? { signal } : {}) },
    );
    const last = attempts[attempts.length - 1]!;
    if ("failure" in last) throw new Error(last.failure.message);
    return last.vectors;
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
        await r.value.connected.close();
      }
    },
  };
}

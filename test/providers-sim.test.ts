import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderKind } from "../src/config/plan.js";
import { createCollector } from "../src/providers/collect.js";
import { type ResponseRecord } from "../src/record/response.js";
import { PROVIDERS } from "../src/providers/registry.js";
import { FAILURE_KIND_OF_FAULT } from "./helpers/fault-kinds.js";
import { latestTruth, PROMPT, REPLY, startWithTruth, TOKENS, type Sim } from "./helpers/sim-wire.js";

// Every provider against the simulator, which writes each wire format with its own code: the text,
// chunk count, usage and finish reason a provider reports must be the simulator's truth.

/** Where each provider's base_url points on the simulator (it serves every format on one port). */
const BASE: Record<Exclude<ProviderKind, "sim">, (simUrl: string) => string> = {
  "openai-chat": (url) => url,
  "openai-completions": (url) => url,
  anthropic: (url) => url,
  ollama: (url) => url.replace(/\/v1$/, ""),
  "ollama-generate": (url) => url.replace(/\/v1$/, ""),
  tgi: (url) => url.replace(/\/v1$/, ""),
  replicate: (url) => url,
};

/** The endpoint the simulator must have been asked on. */
const ENDPOINT: Record<keyof typeof BASE, (stream: boolean) => string> = {
  "openai-chat": () => "/v1/chat/completions",
  "openai-completions": () => "/v1/completions",
  anthropic: () => "/v1/messages",
  ollama: () => "/api/chat",
  "ollama-generate": () => "/api/generate",
  tgi: (stream) => (stream ? "/generate_stream" : "/generate"),
  // The stream's GET generates; without a stream, the create call waits for the prediction.
  replicate: (stream) => (stream ? "/v1/predictions/stream" : "/v1/predictions"),
};

let sim: Sim;
let requests = 0;

beforeAll(async () => {
  sim = await startWithTruth();
});

afterAll(async () => {
  await sim?.server.close();
});

describe.each(Object.keys(BASE) as Array<keyof typeof BASE>)("provider %s against the simulator", (kind) => {
  it.each([true, false])("stream: %s — the canned answer, its usage and finish reason", async (stream) => {
    const provider = PROVIDERS[kind]({
      baseUrl: BASE[kind](sim.server.url),
      model: "m",
      apiKey: "secret",
      headers: {},
      timeouts: { connectMs: 2000, firstTokenMs: 5000, totalMs: 10_000 },
      connections: 1,
    });
    try {
      const { record, sink } = createCollector();
      await provider.send({ messages: [{ role: "user", content: PROMPT }], params: {}, stream }, sink);
      const truth = await latestTruth(sim, ++requests);
      expect(record.failure).toBeUndefined();
      expect(record.text).toBe(REPLY);
      expect(record.contentTimesUs).toHaveLength(stream ? TOKENS.length : 1);
      expect(truth.endpoint).toBe(ENDPOINT[kind](stream));
      expect(truth.stream).toBe(stream);
      // Replicate's stream carries no token counts (the client's tokenizer counts); its waited-for prediction does.
      if (kind === "replicate" && stream) expect(record.usage).toBeUndefined();
      else expect(record.usage?.completionTokens).toBe(truth.completionTokens);
      // TGI's /generate reports no input length.
      if ((kind !== "tgi" || stream) && !(kind === "replicate" && stream))
        expect(record.usage?.promptTokens).toBe(truth.promptTokens);
      expect(record.finishReason).toBeTruthy();
    } finally {
      await provider.close();
    }
  });
});

describe("faults injected by the simulator, seen through each provider", () => {
  let faulty: Sim;
  beforeAll(async () => {
    faulty = await startWithTruth({
      ttft_ms: 1,
      itl_ms: 1,
      faults: {
        http_429: 0.12,
        http_500: 0.12,
        drop: 0.12,
        malformed: 0.12,
        stall: 0.12,
        trickle: 0.12,
        stall_ms: 2000,
        trickle_bytes: 64,
      },
    });
  });
  afterAll(async () => {
    await faulty?.server.close();
  });

  const tally = (keys: Array<string | undefined>) => {
    const out: Record<string, number> = {};
    for (const k of keys) if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
    return out;
  };

  it.each(
    (Object.keys(BASE) as Array<keyof typeof BASE>).flatMap((kind) => [
      [kind, true] as const,
      [kind, false] as const,
    ]),
  )(
    "%s, stream: %s — every faulty request fails with the fault's kind, the others succeed",
    async (kind, stream) => {
      const n = 48;
      const provider = PROVIDERS[kind]({
        baseUrl: BASE[kind](faulty.server.url),
        model: "m",
        headers: {},
        timeouts: { connectMs: 2000, firstTokenMs: 600, totalMs: 5000 },
        connections: n,
      });
      const before = faulty.truth.length;
      let records: ResponseRecord[];
      try {
        records = await Promise.all(
          Array.from({ length: n }, async () => {
            const { record, sink } = createCollector();
            await provider.send({ messages: [{ role: "user", content: PROMPT }], params: {}, stream }, sink);
            return record;
          }),
        );
      } finally {
        await provider.close();
      }
      // Stalled requests stay open on the simulator until it notices the client left; wait for the log.
      for (let i = 0; i < 100 && faulty.truth.length < before + n; i++)
        await new Promise((r) => setTimeout(r, 20));
      const truth = faulty.truth.slice(before);
      expect(truth).toHaveLength(n);
      const injected = tally(
        truth.map((t) =>
          t.fault && t.fault !== "client_closed" ? FAILURE_KIND_OF_FAULT[t.fault] : undefined,
        ),
      );
      expect(Object.keys(injected).length).toBeGreaterThanOrEqual(3);
      expect(tally(records.map((r) => r.failure?.kind))).toEqual(injected);
      for (const r of records.filter((r) => !r.failure)) expect(r.text).toBe(REPLY);
    },
  );
});

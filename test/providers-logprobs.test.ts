import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCollector } from "../src/providers/collect.js";
import { PROVIDERS } from "../src/providers/registry.js";
import { tokenAlternatives } from "../src/sim/formats/logprobs.js";
import { PROMPT, TOKENS, startWithTruth, type Sim } from "./helpers/sim-wire.js";

// Each provider that can return top-k logprobs asks for them its own way (chat top_logprobs,
// completions logprobs, TGI top_n_tokens) and reads them back into one shape: checked against the
// values the simulator computes for each token (its own code, not the client's).

const K = 4;
const SEED = 11;
const KINDS = [
  { kind: "openai-chat", base: (url: string) => url },
  { kind: "openai-completions", base: (url: string) => url },
  { kind: "tgi", base: (url: string) => url.replace(/\/v1$/, "") },
] as const;

let sim: Sim;
beforeAll(async () => {
  sim = await startWithTruth({ seed: SEED });
});
afterAll(() => sim?.server.close());

describe.each(KINDS)("$kind logprobs", ({ kind, base }) => {
  const send = async (stream: boolean, topLogprobs?: number) => {
    const provider = PROVIDERS[kind]({
      baseUrl: base(sim.server.url),
      model: "m",
      headers: {},
      timeouts: { connectMs: 2000, firstTokenMs: 5000, totalMs: 10_000 },
      connections: 1,
    });
    try {
      const { record, sink } = createCollector();
      const request = { messages: [{ role: "user" as const, content: PROMPT }], params: {}, stream };
      await provider.send(topLogprobs ? { ...request, topLogprobs } : request, sink);
      return record;
    } finally {
      await provider.close();
    }
  };

  it.each([true, false])(
    "stream: %s — every token with the simulator's top-k, most likely first",
    async (stream) => {
      const record = await send(stream, K);
      expect(record.failure).toBeUndefined();
      const tokens = record.logprobs!;
      expect(tokens.map((t) => t.token)).toEqual(TOKENS);
      tokens.forEach((t, i) => {
        const truth = tokenAlternatives(TOKENS[i]!, i, SEED, K);
        expect(t.logprob).toBeCloseTo(truth[0]!.logprob, 12);
        expect(t.top).toEqual(truth.map((a) => [a.token, expect.closeTo(a.logprob, 12)]));
      });
    },
  );

  it("not asked, no logprobs event", async () => {
    const record = await send(true);
    expect(record.failure).toBeUndefined();
    expect(record.logprobs).toBeUndefined();
  });
});

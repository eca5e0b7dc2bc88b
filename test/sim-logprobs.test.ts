import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PROMPT,
  TOKENS,
  frames,
  messages,
  post,
  startWithTruth,
  type Json,
  type Sim,
} from "./helpers/sim-wire.js";

// Logprobs as OpenAI chat and completions send them, from the real simulator: shapes, k
// alternatives, determinism, and vLLM's 400 past the cap.

let sim: Sim;
beforeAll(async () => {
  sim = await startWithTruth();
});
afterAll(() => sim?.server.close());

describe("logprobs", () => {
  const chat = (extra: Json) => post(sim.server, "/v1/chat/completions", { model: "m", messages, ...extra });
  const completions = (extra: Json) =>
    post(sim.server, "/v1/completions", { model: "m", prompt: PROMPT, max_tokens: 64, ...extra });
  const bytes = (t: string) => [...Buffer.from(t, "utf8")];

  /** Checks OpenAI chat logprobs for `tokens` and returns them, for determinism checks. */
  function checkChat(content: Json[], tokens: string[], k: number) {
    expect(content.map((e) => e.token)).toEqual(tokens);
    for (const e of content) {
      expect(e.bytes).toEqual(bytes(e.token));
      expect(e.logprob).toBeLessThan(0);
      expect(e.top_logprobs).toHaveLength(k);
      if (k > 0) expect(e.top_logprobs[0]).toEqual({ token: e.token, logprob: e.logprob, bytes: e.bytes });
      for (const alt of e.top_logprobs) expect(alt.bytes).toEqual(bytes(alt.token));
      expect(new Set(e.top_logprobs.map((a: Json) => a.token)).size).toBe(k);
    }
    return content;
  }

  it("chat streaming: each token chunk carries its logprob and k alternatives, the same on every run", async () => {
    const read = async () => {
      const wire = await chat({ stream: true, logprobs: true, top_logprobs: 5 });
      const chunks = frames(wire.text, "sse").payloads.filter((p) => p.choices?.[0]?.delta?.content);
      expect(chunks).toHaveLength(TOKENS.length);
      return checkChat(
        chunks.flatMap((p) => p.choices[0].logprobs.content),
        TOKENS,
        5,
      );
    };
    expect(await read()).toEqual(await read());
  });

  it.each([0, 20])("chat non-streaming: top_logprobs %i", async (k) => {
    const wire = await chat({ logprobs: true, top_logprobs: k });
    expect(wire.status).toBe(200);
    checkChat((JSON.parse(wire.text) as Json).choices[0].logprobs.content, TOKENS, k);
  });

  it("chat without logprobs: logprobs null", async () => {
    const wire = await chat({ stream: true });
    const chunks = frames(wire.text, "sse").payloads.filter((p) => p.choices?.length);
    expect(chunks.every((p) => p.choices[0].logprobs === null)).toBe(true);
  });

  it.each([
    ["chat top_logprobs 21", () => chat({ logprobs: true, top_logprobs: 21, stream: true })],
    ["completions logprobs 21", () => completions({ logprobs: 21 })],
  ])("%s: a 400 like vLLM's", async (_name, send) => {
    const wire = await send();
    expect(wire.status).toBe(400);
    expect((JSON.parse(wire.text) as Json).error.message).toBe(
      "Requested sample logprobs of 21, which is greater than max allowed: 20",
    );
  });

  it("completions streaming: tokens, token_logprobs, k top_logprobs and text offsets in code points", async () => {
    const wire = await completions({ stream: true, logprobs: 3 });
    const chunks = frames(wire.text, "sse").payloads.filter((p) => p.choices?.[0]?.text);
    const lps = chunks.map((p) => p.choices[0].logprobs as Json);
    expect(lps.map((l) => l.tokens)).toEqual(TOKENS.map((t) => [t]));
    let offset = 0;
    for (const [i, l] of lps.entries()) {
      expect(l.text_offset).toEqual([offset]);
      offset += [...TOKENS[i]!].length;
      const top = l.top_logprobs[0] as Record<string, number>;
      expect(Object.keys(top)).toHaveLength(3);
      expect(top[TOKENS[i]!]).toBe(l.token_logprobs[0]);
    }
    // The non-streaming answer carries the same values for the whole text.
    const whole = (JSON.parse((await completions({ logprobs: 3 })).text) as Json).choices[0].logprobs;
    expect(whole.token_logprobs).toEqual(lps.map((l) => l.token_logprobs[0]));
    expect(whole.text_offset).toEqual(lps.map((l) => l.text_offset[0]));
  });
});

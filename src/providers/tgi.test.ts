import { describe, expect, it } from "vitest";
import { decodeBody } from "../../test/helpers/decoders.js";
import { buildTgiBody, createTgiJsonDecoder, createTgiStreamDecoder, tgiParameters } from "./tgi.js";
import type { ChatMessage } from "./types.js";

const system: ChatMessage = { role: "system", content: "Be brief." };
const user: ChatMessage = { role: "user", content: "What is deep learning?" };
const always = { details: true, decoder_input_details: false };

describe("tgiParameters", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["max_tokens becomes max_new_tokens", { max_tokens: 64 }, { max_new_tokens: 64 }],
    [
      "temperature, top_p and seed as given",
      { temperature: 0.7, top_p: 0.9, seed: 3 },
      { temperature: 0.7, top_p: 0.9, seed: 3 },
    ],
    ["temperature 0 (greedy, TGI's default) is left out", { temperature: 0 }, {}],
    ["top_p 1 (no cut, TGI's default) is left out", { top_p: 1 }, {}],
    ["a stop string becomes a list", { stop: "</s>" }, { stop: ["</s>"] }],
    ["a stop list stays", { stop: ["a"] }, { stop: ["a"] }],
    ["ignore_eos is dropped", { ignore_eos: true }, {}],
    [
      "TGI's own parameters pass through",
      { top_k: 10, repetition_penalty: 1.1 },
      { top_k: 10, repetition_penalty: 1.1 },
    ],
    ["details are always asked for", { details: false }, {}],
  ])("%s", (_, params, expected) => {
    expect(tgiParameters(params)).toEqual({ ...expected, ...always });
  });
});

describe("buildTgiBody", () => {
  it("renders the messages as one prompt", () => {
    expect(buildTgiBody({ messages: [system, user], params: { max_tokens: 8 }, stream: true })).toEqual({
      inputs: "Be brief.\n\nWhat is deep learning?",
      parameters: { max_new_tokens: 8, ...always },
    });
  });
});

describe("tgi decoders", () => {
  it("non-streaming /generate: generated_text, finish and generated_tokens (no input_length there)", () => {
    const body = {
      generated_text: "A subset of ML.",
      details: { finish_reason: "length", generated_tokens: 5, seed: null, prefill: [], tokens: [] },
    };
    expect(decodeBody(createTgiJsonDecoder, JSON.stringify(body))).toEqual([
      { type: "content", kind: "text", text: "A subset of ML." },
      { type: "finish", reason: "length" },
      { type: "usage", completionTokens: 5 },
    ]);
  });

  it("streaming: a final event that is not special (finish by length) is content too", () => {
    const ev = (text: string, last: boolean) =>
      `data:${JSON.stringify({
        token: { id: 1, text, logprob: -0.1, special: false },
        generated_text: last ? "a b" : null,
        details: last ? { finish_reason: "length", generated_tokens: 2, input_length: 3 } : null,
      })}\n\n`;
    expect(decodeBody(createTgiStreamDecoder, ev("a", false) + ev(" b", true))).toEqual([
      { type: "content", kind: "text", text: "a" },
      { type: "content", kind: "text", text: " b" },
      { type: "finish", reason: "length" },
      { type: "usage", promptTokens: 3, completionTokens: 2 },
    ]);
  });
});

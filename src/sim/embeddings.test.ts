import { describe, expect, it } from "vitest";
import { SIM_EMBEDDING_DIMENSIONS, simEmbedding, simEmbeddingsResponse } from "./embeddings.js";

const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);

describe("simEmbedding", () => {
  it("is deterministic, unit length, and case-insensitive", () => {
    const v = simEmbedding("Paris is the capital");
    expect(v).toHaveLength(SIM_EMBEDDING_DIMENSIONS);
    expect(dot(v, v)).toBeCloseTo(1, 12);
    expect(simEmbedding("paris IS the capital")).toEqual(v);
  });

  it("shared words give a high cosine, word order does not matter, no shared words about 0", () => {
    expect(dot(simEmbedding("the capital is Paris"), simEmbedding("Paris is the capital"))).toBeCloseTo(
      1,
      12,
    );
    // 3 of 4 words shared: cosine 3/4 barring a hash collision.
    expect(dot(simEmbedding("a b c d"), simEmbedding("a b c e"))).toBeCloseTo(0.75, 6);
    expect(dot(simEmbedding("refund please"), simEmbedding("shipping delayed"))).toBeLessThan(0.2);
  });

  it("empty text is the zero vector; CJK characters count one by one", () => {
    expect(dot(simEmbedding(""), simEmbedding(""))).toBe(0);
    expect(dot(simEmbedding("東京"), simEmbedding("京都"))).toBeCloseTo(0.5, 6);
  });
});

describe("simEmbeddingsResponse", () => {
  it("answers OpenAI's shape for a string and for a list", () => {
    const one = simEmbeddingsResponse(Buffer.from(JSON.stringify({ model: "m", input: "hi there" })), "sim");
    expect(one.status).toBe(200);
    expect(one.payload).toMatchObject({ object: "list", model: "sim", usage: { prompt_tokens: 2 } });
    const many = simEmbeddingsResponse(Buffer.from(JSON.stringify({ input: ["a", "b"] })), "sim");
    expect((many.payload as { data: Array<{ index: number }> }).data.map((d) => d.index)).toEqual([0, 1]);
  });

  it.each([
    ["not json"],
    [JSON.stringify({ input: [] })],
    [JSON.stringify({ input: [1] })],
    [JSON.stringify({})],
  ])("rejects %s with 400", (body) => {
    expect(simEmbeddingsResponse(Buffer.from(body), "sim").status).toBe(400);
  });
});

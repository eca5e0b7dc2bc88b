import { hashString } from "../util/rng.js";

/** Length of the simulator's embedding vectors. */
export const SIM_EMBEDDING_DIMENSIONS = 512;

/**
 * A deterministic embedding: a hashed bag of words. Each lower-cased word (each CJK character on
 * its own) adds 1 at the index its hash picks; the vector is scaled to length 1. Texts sharing
 * words have a high cosine, texts sharing none about 0 (only hash collisions), and the same text
 * always gets the same vector — enough for `similar` assertions to pass and fail on purpose.
 */
export function simEmbedding(text: string): number[] {
  const v = new Array<number>(SIM_EMBEDDING_DIMENSIONS).fill(0);
  const words =
    text.toLowerCase().match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu) ?? [];
  for (const w of words) v[hashString(w) % SIM_EMBEDDING_DIMENSIONS]! += 1;
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

/** Answers an OpenAI-style POST /embeddings body: `{ model, input: string | string[] }`. */
export function simEmbeddingsResponse(rawBody: Buffer, model: string): { status: number; payload: unknown } {
  let body: { input?: unknown };
  try {
    body = JSON.parse(rawBody.toString("utf8")) as { input?: unknown };
  } catch {
    return { status: 400, payload: { error: { message: "invalid JSON body" } } };
  }
  const input = typeof body.input === "string" ? [body.input] : body.input;
  if (!Array.isArray(input) || input.length === 0 || !input.every((t) => typeof t === "string")) {
    return {
      status: 400,
      payload: { error: { message: "input must be a string or a non-empty list of strings" } },
    };
  }
  const tokens = input.reduce((n, t) => n + (t.match(/\S+/g)?.length ?? 0), 0);
  return {
    status: 200,
    payload: {
      object: "list",
      model,
      data: input.map((t, index) => ({ object: "embedding", index, embedding: simEmbedding(t) })),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}

import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cacheKey, createResponseCache, type CacheKeyParts } from "./response-cache.js";

const parts: CacheKeyParts = {
  target: "bf16",
  provider: "openai-chat",
  baseUrl: "http://gpu-a:8000/v1",
  model: "m",
  params: { temperature: 0, max_tokens: 16 },
  stream: true,
  messages: [{ role: "user", content: "hi" }],
  attempt: 0,
};

describe("cacheKey", () => {
  it("ignores the order of params but not their values", () => {
    expect(cacheKey({ ...parts, params: { max_tokens: 16, temperature: 0 } })).toBe(cacheKey(parts));
    expect(cacheKey({ ...parts, params: { temperature: 0.7, max_tokens: 16 } })).not.toBe(cacheKey(parts));
  });

  it.each<[string, Partial<CacheKeyParts>]>([
    ["target", { target: "warmup" }],
    ["model", { model: "m2" }],
    ["url", { baseUrl: "http://gpu-b:8000/v1" }],
    ["provider", { provider: "tgi" }],
    ["prompt", { messages: [{ role: "user", content: "hi!" }] }],
    ["role", { messages: [{ role: "system", content: "hi" }] }],
    ["repeat index", { attempt: 1 }],
    ["streaming", { stream: false }],
    ["server's word on its model", { server: { id: "m", created: 1_700_000_100 } }],
  ])("changes with the %s", (_name, change) => {
    expect(cacheKey({ ...parts, ...change })).not.toBe(cacheKey(parts));
  });
});

describe("cacheKey and a redeploy", () => {
  it("a model redeployed behind the same URL and name (a new created time or digest) is another key", () => {
    const before = { ...parts, server: { id: "m", created: 1_700_000_000 } };
    expect(cacheKey({ ...parts, server: { id: "m", created: 1_700_000_000 } })).toBe(cacheKey(before));
    expect(cacheKey({ ...parts, server: { id: "m", created: 1_700_000_500 } })).not.toBe(cacheKey(before));
    expect(cacheKey({ ...parts, server: { name: "m", digest: "sha256:b" } })).not.toBe(
      cacheKey({ ...parts, server: { name: "m", digest: "sha256:a" } }),
    );
  });
});

describe("createResponseCache", () => {
  it("stores and reads back an answer; an absent or corrupt entry is a miss", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gauntlet-cache-"));
    const cache = createResponseCache(dir);
    const key = cacheKey(parts);
    expect(await cache.get(key)).toBeUndefined();
    const answer = { text: "refund", reasoning: "", toolCalls: [], usage: { completionTokens: 1 } };
    await cache.put(key, answer);
    expect(await cache.get(key)).toEqual(answer);
    const folder = path.join(dir, key.slice(0, 2));
    expect(await readdir(folder)).toEqual([`${key}.json`]);
    await writeFile(path.join(folder, `${key}.json`), "{ half a");
    expect(await cache.get(key)).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { MAX_TOP_LOGPROBS, checkTopLogprobs, tokenAlternatives, tokenLogprob } from "./logprobs.js";

describe("tokenAlternatives", () => {
  it.each([
    ["Paris", 0, 1, 1],
    [" the", 3, 7, 5],
    [" café", 12, 7, MAX_TOP_LOGPROBS],
    [" of", 40, 99, MAX_TOP_LOGPROBS], // a vocabulary word: it must not appear twice
  ])("%j at %i (seed %i), %i alternatives", (token, position, seed, count) => {
    const alts = tokenAlternatives(token, position, seed, count);
    expect(alts).toHaveLength(count);
    expect(alts[0]!.token).toBe(token);
    expect(new Set(alts.map((a) => a.token)).size).toBe(count);
    const leading = /^\s*/.exec(token)![0];
    for (const a of alts) expect(a.token.startsWith(leading)).toBe(true);
    for (let i = 1; i < alts.length; i++) expect(alts[i]!.logprob).toBeLessThan(alts[i - 1]!.logprob);
    expect(alts.reduce((sum, a) => sum + Math.exp(a.logprob), 0)).toBeLessThan(1);
    expect(alts.every((a) => a.logprob < 0 && Number.isFinite(a.logprob))).toBe(true);
  });

  it("is deterministic in (token, position, seed) and changes with each", () => {
    const base = tokenAlternatives(" is", 2, 1, 4);
    expect(tokenAlternatives(" is", 2, 1, 4)).toEqual(base);
    expect(tokenLogprob(" is", 2, 1)).toBe(base[0]!.logprob);
    expect(tokenLogprob(" it", 2, 1)).not.toBe(base[0]!.logprob);
    expect(tokenLogprob(" is", 3, 1)).not.toBe(base[0]!.logprob);
    expect(tokenLogprob(" is", 2, 2)).not.toBe(base[0]!.logprob);
  });
});

describe("checkTopLogprobs", () => {
  it.each([
    [0, { logprobs: 0 }],
    [5, { logprobs: 5 }],
    [MAX_TOP_LOGPROBS, { logprobs: MAX_TOP_LOGPROBS }],
    [21, { error: "Requested sample logprobs of 21, which is greater than max allowed: 20" }],
    [-1, { error: "top_logprobs must be a non-negative integer" }],
    [1.5, { error: "top_logprobs must be a non-negative integer" }],
    ["3", { error: "top_logprobs must be a non-negative integer" }],
  ])("%j → %j", (value, expected) => {
    expect(checkTopLogprobs(value, "top_logprobs")).toEqual(expected);
  });
});

import { describe, expect, it } from "vitest";
import { bleu, chrf, lcsLength, levenshtein, rougeL, wordTokens } from "./text-metrics.js";

describe("levenshtein", () => {
  it.each([
    ["", "", 0],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
    ["flaw", "lawn", 2],
    ["intention", "execution", 5],
    ["same", "same", 0],
    // Code points, not UTF-16 units: one emoji is one edit.
    ["👋", "👍", 1],
    ["東京", "京都", 2],
    ["café", "cafe", 1],
  ])("%j → %j is %i", (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });

  it("a 1 MB text against a short one is computed, and quickly", () => {
    const t0 = performance.now();
    expect(levenshtein("a".repeat(1_000_000), "aab")).toBe(999_998);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it("two long different texts are refused, not computed for minutes", () => {
    expect(levenshtein("a".repeat(10_000) + "x", "b".repeat(10_000) + "y")).toBeUndefined();
  });

  it("long texts sharing a prefix and suffix cost only their differing middle", () => {
    const base = "x".repeat(200_000);
    expect(levenshtein(base + "abc" + base, base + "abd" + base)).toBe(1);
  });
});

describe("rouge-l and lcs", () => {
  it("LCS of token lists", () => {
    expect(lcsLength(["a", "b", "c", "d"], ["a", "c", "d", "e"])).toBe(3);
    expect(lcsLength([], ["a"])).toBe(0);
  });

  it.each([
    // Hand computed: LCS "the cat the mat" = 4? hyp 6 tokens, ref 6 tokens.
    ["the cat sat on the mat", "the cat is on the mat", 5 / 6],
    // LCS("police killed the gunman", "the gunman was killed by police") = "the gunman" (2):
    // P = 2/4, R = 2/6, F1 = 2PR/(P+R) = 0.4
    ["police killed the gunman", "the gunman was killed by police", 0.4],
    ["identical text here", "identical text here", 1],
    ["nothing shared", "completely different", 0],
    ["", "", 1],
    ["", "reference", 0],
  ])("%j vs %j", (h, r, score) => {
    expect(rougeL(h, r)).toBeCloseTo(score, 10);
  });
});

describe("bleu", () => {
  it("identical sentences score 1", () => {
    expect(
      bleu("the quick brown fox jumps over the lazy dog", ["the quick brown fox jumps over the lazy dog"]),
    ).toBe(1);
  });

  it("no shared word scores 0", () => {
    expect(bleu("alpha beta gamma delta", ["one two three four"])).toBe(0);
  });

  it("matches a hand computation with exp smoothing and brevity penalty", () => {
    // hyp: "the cat sat on the mat" (6), ref: "the cat is on the mat" (6), BP = 1.
    // 1-grams 5/6 (sat unmatched); 2-grams: the cat, on the, the mat = 3/5; 3-grams: on the mat = 1/4;
    // 4-grams: 0/3 -> exp smoothing: 1 / (2 * 3).
    const expected = Math.exp((Math.log(5 / 6) + Math.log(3 / 5) + Math.log(1 / 4) + Math.log(1 / 6)) / 4);
    expect(bleu("the cat sat on the mat", ["the cat is on the mat"])).toBeCloseTo(expected, 12);
  });

  it("brevity penalty for a short hypothesis; effective order for fewer than 4 tokens", () => {
    // hyp "the cat" (2) vs ref "the cat is here" (4): p1 = 1, p2 = 1, order 2, BP = exp(1 - 4/2).
    expect(bleu("the cat", ["the cat is here"])).toBeCloseTo(Math.exp(1 - 2), 12);
  });

  it("clips repeated words (the classic 'the the the' example) and picks the closest reference length", () => {
    // 7 × "the" vs refs: "the cat is on the mat" (max "the" count 2) → p1 = 2/7, then zeros.
    const s = bleu("the the the the the the the", ["the cat is on the mat", "there is a cat on the mat"]);
    const expected = Math.exp((Math.log(2 / 7) + Math.log(1 / 12) + Math.log(1 / 20) + Math.log(1 / 32)) / 4);
    expect(s).toBeCloseTo(expected, 12);
  });
});

describe("chrf", () => {
  it("identical strings score 1, disjoint ones 0", () => {
    expect(chrf("hello world", "hello world")).toBe(1);
    expect(chrf("abc", "xyz")).toBe(0);
    expect(chrf("", "")).toBe(1);
    expect(chrf("", "abc")).toBe(0);
  });

  it("whitespace is ignored", () => {
    expect(chrf("hel lo", "hello")).toBe(1);
  });

  it("matches a hand computation", () => {
    // hyp "abcd", ref "abce": orders 1..4 (order 5, 6 absent on both).
    // n=1: match 3 of 4/4; n=2: ab, bc → 2 of 3/3; n=3: abc → 1 of 2/2; n=4: 0 of 1/1.
    // P = R = (3/4 + 2/3 + 1/2 + 0) / 4; F2 = P when P = R.
    const p = (3 / 4 + 2 / 3 + 1 / 2) / 4;
    expect(chrf("abcd", "abce")).toBeCloseTo(p, 12);
  });

  it("works on code points (emoji, CJK)", () => {
    expect(chrf("東京へ行く👋", "東京へ行く👋")).toBe(1);
    expect(chrf("東京", "京都")).toBeGreaterThan(0);
  });
});

describe("wordTokens", () => {
  it("splits words, drops punctuation, and takes CJK characters one by one", () => {
    expect(wordTokens("Hello, world! It's 42.")).toEqual(["Hello", "world", "It's", "42"]);
    expect(wordTokens("東京へ")).toEqual(["東", "京", "へ"]);
    expect(wordTokens("")).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { chooseAnswer, simPromptTokens, simTokens } from "./answer.js";
import { SimProfileSchema, type SimProfileInput } from "./profile.js";

const profile = (input: SimProfileInput = {}) => SimProfileSchema.parse(input);
const textOf = (tokens: string[]) => tokens.join("");

const ANSWERS = [
  { match: "capital of France", reply: "Paris" },
  { match: "capital", reply: "I need a country to name its capital." },
  { match: "France", reply: "France is a country in Europe." },
];

describe("chooseAnswer", () => {
  it.each([
    ["the first listed match wins over a later, shorter one", "What is the capital of France?", "Paris"],
    ["a later answer applies when earlier ones do not match", "Name a capital city.", ANSWERS[1]!.reply],
    ["order of the list, not of the prompt, decides", "France: what is its capital?", ANSWERS[1]!.reply],
    ["match is a substring anywhere in the message", "Tell me about France", ANSWERS[2]!.reply],
  ])("%s", (_name, prompt, reply) => {
    const a = chooseAnswer(profile({ answers: ANSWERS }), prompt, undefined);
    expect(textOf(a.tokens)).toBe(reply);
    expect(a.tokens).toEqual(simTokens(reply));
    expect(a).toMatchObject({ finishReason: "stop", degraded: false });
  });

  it.each([
    [5, "the model streams a simulated"],
    [1, "the"],
    [13, "the model streams a simulated answer token by token for load the model"],
  ])("without a canned match, streams output_tokens=%i filler tokens", (n, text) => {
    // "CAPITAL OF FRANCE" does not contain "capital of France": matching is case-sensitive.
    const a = chooseAnswer(profile({ answers: ANSWERS, output_tokens: n }), "CAPITAL OF FRANCE", undefined);
    expect(a.tokens).toHaveLength(n);
    expect(textOf(a.tokens)).toBe(text);
    expect(a).toMatchObject({ finishReason: "stop", degraded: false });
  });

  const LONG = { match: "story", reply: "Once upon a time there was" }; // 6 tokens
  it.each<[string, number | undefined, string, "stop" | "length"]>([
    ["no max_tokens", undefined, "Once upon a time there was", "stop"],
    ["max_tokens above the answer", 100, "Once upon a time there was", "stop"],
    ["max_tokens equal to the answer", 6, "Once upon a time there was", "stop"],
    ["max_tokens below the answer", 2, "Once upon", "length"],
    ["max_tokens 1", 1, "Once", "length"],
    ["max_tokens 0", 0, "", "length"],
    ["negative max_tokens means no limit", -1, "Once upon a time there was", "stop"],
  ])("canned answer with %s", (_name, maxTokens, text, finishReason) => {
    const a = chooseAnswer(profile({ answers: [LONG] }), "tell me a story", maxTokens);
    expect(textOf(a.tokens)).toBe(text);
    expect(a.finishReason).toBe(finishReason);
  });

  it.each([
    [10, 4, 4, "length"],
    [10, 10, 10, "stop"],
    [3, 50, 3, "stop"],
  ])("filler of %i tokens with max_tokens %i gives %i tokens (%s)", (outputTokens, maxTokens, n, reason) => {
    const a = chooseAnswer(profile({ output_tokens: outputTokens }), "anything", maxTokens);
    expect(a.tokens).toHaveLength(n);
    expect(a.finishReason).toBe(reason);
  });

  describe("degrade", () => {
    const prompts = Array.from({ length: 2000 }, (_, i) => `Review #${i}: classify the sentiment`);
    const degradedSet = (seed: number, degrade: number, reply = "The sentiment is positive") => {
      const p = profile({ seed, degrade, answers: [{ match: "classify", reply }] });
      return prompts.filter((q) => chooseAnswer(p, q, undefined).degraded);
    };

    it.each([1, 2, 3, 42])("with degrade 0.25 and seed %i, 25%% ± 4%% of 2000 prompts degrade", (seed) => {
      const share = degradedSet(seed, 0.25).length / prompts.length;
      expect(share).toBeGreaterThanOrEqual(0.21);
      expect(share).toBeLessThanOrEqual(0.29);
    });

    it.each([
      [0, 0],
      [1, 2000],
    ])("degrade %f degrades %i of 2000 prompts", (degrade, n) => {
      expect(degradedSet(7, degrade)).toHaveLength(n);
    });

    it("is deterministic across calls, and a different seed picks a different set", () => {
      const a = degradedSet(1, 0.25);
      expect(degradedSet(1, 0.25)).toEqual(a);
      const b = degradedSet(2, 0.25);
      expect(b).not.toEqual(a);
      // The sets are independent-ish, not shifted copies: their overlap is near 25% of either.
      const overlap = b.filter((q) => a.includes(q)).length / a.length;
      expect(overlap).toBeGreaterThan(0.1);
      expect(overlap).toBeLessThan(0.4);
    });

    it("leaves filler answers alone", () => {
      const p = profile({ degrade: 1, output_tokens: 4 });
      const a = chooseAnswer(p, "no canned answer here", undefined);
      expect(a).toMatchObject({ degraded: false, finishReason: "stop" });
      expect(textOf(a.tokens)).toBe("the model streams a");
    });

    it.each([
      ["a one-word label", "positive"],
      ["a label the perturbation could pick", "unsure"],
      ["another such label", "other"],
      ["a padded one-word label", "  unknown "],
      ["a sentence", "The sentiment of this review is clearly positive."],
      ["two words", "very good"],
      ["a reply that is already garbled", "[garbled] [garbled]"],
      ["an empty reply", ""],
    ])("a degraded answer never equals the original: %s", (_name, reply) => {
      const p = profile({ seed: 3, degrade: 1, answers: [{ match: "classify", reply }] });
      const seen = new Set<string>();
      for (const q of prompts.slice(0, 300)) {
        const a = chooseAnswer(p, q, undefined);
        expect(a.degraded).toBe(true);
        const text = textOf(a.tokens);
        expect(text).not.toBe(reply);
        seen.add(text);
      }
      // Deterministic per prompt: the same prompt gives the same perturbation.
      expect(textOf(chooseAnswer(p, prompts[0]!, undefined).tokens)).toBe(
        textOf(chooseAnswer(p, prompts[0]!, undefined).tokens),
      );
      expect(seen.size).toBeGreaterThan(0);
    });

    it("a multi-word answer changes exactly one word, and keeps the word count", () => {
      const reply = "alpha beta gamma delta";
      const p = profile({ degrade: 1, answers: [{ match: "classify", reply }] });
      const positions = new Set<number>();
      for (const q of prompts.slice(0, 200)) {
        const tokens = chooseAnswer(p, q, undefined).tokens;
        expect(tokens).toHaveLength(4);
        const changed = tokens.map((t, i) => (t === simTokens(reply)[i] ? -1 : i)).filter((i) => i !== -1);
        expect(changed).toHaveLength(1);
        expect(tokens[changed[0]!]!.trim()).toBe("[garbled]");
        positions.add(changed[0]!);
      }
      expect([...positions].sort()).toEqual([0, 1, 2, 3]);
    });
  });
});

describe("simTokens / simPromptTokens", () => {
  it.each([
    ["Hello world", ["Hello", " world"]],
    ["  lead and\ttabs\n", ["  lead", " and", "\ttabs"]],
    ["one", ["one"]],
    ["", []],
    ["   ", ["   "]],
  ])("splits %j into %j", (text, tokens) => {
    expect(simTokens(text)).toEqual(tokens);
  });

  it("counts the words of every message plus one per message", () => {
    expect(simPromptTokens(["You are terse.", "What is 2 + 2?"])).toBe(3 + 1 + 5 + 1);
  });

  it("ignore_eos generates exactly max_tokens, past the end of the answer", () => {
    const a = chooseAnswer(profile({ output_tokens: 5 }), "anything", 12, true);
    expect(a.tokens).toHaveLength(12);
    expect(a.finishReason).toBe("length");
  });
});

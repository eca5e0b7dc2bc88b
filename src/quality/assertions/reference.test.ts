import { describe, expect, it } from "vitest";
import { bareContext, runAssertion } from "../assertions.js";
import { planAssertion } from "../../../test/helpers/plan-assertion.js";

const ctx = bareContext();

describe("levenshtein", () => {
  it.each<[string, string, string | string[], Parameters<typeof planAssertion>[2], number, boolean]>([
    ["identical", "Paris", "Paris", {}, 1, true],
    ["one typo in 6 letters: 5/6 >= 0.8", "Pariss", "Paris", {}, 5 / 6, true],
    ["too different for the default 0.8", "Lyon", "Paris", {}, 0, false],
    ["case-insensitive", "PARIS", "paris", { caseInsensitive: true }, 1, true],
    ["case-sensitive by default", "PARIS", "paris", {}, 0, false],
    ["max_distance 2 allows kitten→sitting? no (3)", "kitten", "sitting", { maxDistance: 2 }, 4 / 7, false],
    ["max_distance 3 allows it", "kitten", "sitting", { maxDistance: 3 }, 4 / 7, true],
    ["best of several references", "colour", ["color", "colour"], {}, 1, true],
    ["threshold lowered", "Pxris", "Paris", { threshold: 0.5 }, 0.8, true],
    ["empty output vs empty reference", "", "", {}, 1, true],
    ["empty output vs a word", "", "Paris", {}, 0, false],
    ["unicode, code points", "東京都", "東京", {}, 2 / 3, false],
  ])("%s", async (_name, output, ref, options, score, pass) => {
    const r = await runAssertion(output, planAssertion("levenshtein", ref, options), ctx);
    expect(r.score).toBeCloseTo(score, 10);
    expect(r.pass).toBe(pass);
  });

  it("max_distance skips work when the lengths alone rule it out, even for 1 MB", async () => {
    const t0 = performance.now();
    const r = await runAssertion(
      "a".repeat(1_000_000),
      planAssertion("levenshtein", "abc", { maxDistance: 5 }),
      ctx,
    );
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/lengths differ/);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it("two huge different texts fail with a reason instead of running for minutes", async () => {
    const r = await runAssertion("a".repeat(20_000), planAssertion("levenshtein", "b".repeat(20_000)), ctx);
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/too long to compare/);
  });
});

describe("rouge-l, bleu, chrf", () => {
  it.each<[string, "rouge-l" | "bleu" | "chrf", string, string, number | undefined, boolean]>([
    ["rouge-l identical", "rouge-l", "the cat sat", "the cat sat", undefined, true],
    ["rouge-l 5/6 passes 0.5", "rouge-l", "the cat sat on the mat", "the cat is on the mat", undefined, true],
    [
      "rouge-l 0.4 fails 0.5",
      "rouge-l",
      "police killed the gunman",
      "the gunman was killed by police",
      undefined,
      false,
    ],
    [
      "rouge-l 0.4 passes 0.4",
      "rouge-l",
      "police killed the gunman",
      "the gunman was killed by police",
      0.4,
      true,
    ],
    ["bleu identical", "bleu", "a b c d e", "a b c d e", undefined, true],
    ["bleu disjoint", "bleu", "a b c d", "w x y z", undefined, false],
    ["chrf identical", "chrf", "hello", "hello", undefined, true],
    ["chrf near", "chrf", "colour", "color", undefined, true],
    ["chrf disjoint", "chrf", "abc", "xyz", undefined, false],
    ["empty output, rouge-l", "rouge-l", "", "words", undefined, false],
    ["empty output, bleu", "bleu", "", "words", undefined, false],
    ["empty output, chrf", "chrf", "", "words", undefined, false],
    ["unicode, chrf", "chrf", "東京へ行きます", "東京へ行きます", undefined, true],
  ])("%s", async (_name, type, output, ref, threshold, pass) => {
    const a = planAssertion(type, ref, threshold === undefined ? {} : { threshold });
    const r = await runAssertion(output, a, ctx);
    expect(r.pass).toBe(pass);
    expect(r.score).toBeGreaterThanOrEqual(0);
    expect(r.score).toBeLessThanOrEqual(1);
    expect(r.reason).toMatch(new RegExp(`^${type} \\d\\.\\d{3} (>=|<) `));
  });

  it("graded scores keep their value, and not gives 1 − score", async () => {
    const out = "the cat sat on the mat";
    const plain = await runAssertion(out, planAssertion("rouge-l", "the cat is on the mat"), ctx);
    const inverted = await runAssertion(
      out,
      planAssertion("rouge-l", "the cat is on the mat", { not: true }),
      ctx,
    );
    expect(plain.score).toBeCloseTo(5 / 6, 10);
    expect(inverted.score).toBeCloseTo(1 / 6, 10);
    expect(inverted.pass).toBe(false);
    expect(inverted.reason).toMatch(/^not: rouge-l/);
  });

  it.each(["rouge-l", "bleu", "chrf"] as const)("%s on a 1 MB output finishes quickly", async (type) => {
    const huge = "lorem ipsum dolor sit amet ".repeat(40_000);
    const t0 = performance.now();
    const r = await runAssertion(huge, planAssertion(type, "lorem ipsum dolor"), ctx);
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(r.reason.length).toBeLessThan(200);
  });
});

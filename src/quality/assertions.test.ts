import { describe, expect, it } from "vitest";
import type { PlanAssertion } from "../config/plan.js";
import { ASSERTION_TYPES, type AssertionType } from "../config/schema.js";
import { ASSERTIONS, bareContext, runAssertion } from "./assertions.js";

const ctx = bareContext();

/** A plan assertion with the plan's defaults (trim on, case-sensitive, not off, weight 1). */
function assertion(
  type: AssertionType,
  value: string | string[],
  options: Partial<Omit<PlanAssertion, "type" | "value">> = {},
): PlanAssertion {
  return { type, value, trim: true, caseInsensitive: false, not: false, weight: 1, ...options };
}

const ci = { caseInsensitive: true };
const raw = { trim: false };

describe("runAssertion", () => {
  it.each<[string, string, PlanAssertion, boolean]>([
    // equals
    ["equals: same text", "Paris", assertion("equals", "Paris"), true],
    ["equals: surrounding whitespace trimmed", "  Paris \n", assertion("equals", "Paris"), true],
    ["equals: expected value is trimmed too", "Paris", assertion("equals", " Paris "), true],
    ["equals: inner whitespace runs collapse", "New \t\n York", assertion("equals", "New York"), true],
    ["equals: trim off keeps whitespace", "  Paris ", assertion("equals", "Paris", raw), false],
    ["equals: trim off, inner whitespace differs", "New\tYork", assertion("equals", "New York", raw), false],
    ["equals: case-sensitive by default", "PARIS", assertion("equals", "paris"), false],
    ["equals: case-insensitive", "PARIS", assertion("equals", "paris", ci), true],
    ["equals: punctuation counts", "Paris.", assertion("equals", "Paris"), false],
    ["equals: prefix is not equal", "Paris, France", assertion("equals", "Paris"), false],
    // contains
    ["contains: substring", "The capital is Paris.", assertion("contains", "Paris"), true],
    ["contains: case-sensitive by default", "The capital is Paris.", assertion("contains", "paris"), false],
    ["contains: case-insensitive", "The capital is PARIS.", assertion("contains", "paris", ci), true],
    ["contains: whitespace normalised", "New\n\nYork City", assertion("contains", "New York"), true],
    ["contains: missing", "The capital is Lyon.", assertion("contains", "Paris"), false],
    // icontains
    ["icontains: any case", "THE CAPITAL IS PARIS", assertion("icontains", "capital is paris"), true],
    ["icontains: value in upper case", "paris", assertion("icontains", "PARIS"), true],
    ["icontains: missing", "Lyon", assertion("icontains", "paris"), false],
    // starts-with
    ["starts-with: prefix", "Paris is the capital", assertion("starts-with", "Paris"), true],
    ["starts-with: after trimming", "\n  Paris is", assertion("starts-with", "Paris"), true],
    ["starts-with: trim off", "\n  Paris is", assertion("starts-with", "Paris", raw), false],
    ["starts-with: elsewhere is not a prefix", "The Paris", assertion("starts-with", "Paris"), false],
    ["starts-with: case-insensitive", "paris is", assertion("starts-with", "PARIS", ci), true],
    // regex
    ["regex: matches", "order #12345 shipped", assertion("regex", "#\\d{5}\\b"), true],
    ["regex: anchored, no match", "order #12345", assertion("regex", "^\\d+$"), false],
    ["regex: case-sensitive by default", "HELLO there", assertion("regex", "^hello"), false],
    ["regex: case-insensitive flag", "HELLO there", assertion("regex", "^hello", ci), true],
    ["regex: alternation", "label: negative", assertion("regex", "(positive|negative)$"), true],
    // one-of
    ["one-of: an option", "negative", assertion("one-of", ["positive", "negative"]), true],
    ["one-of: trimmed", " positive\n", assertion("one-of", ["positive", "negative"]), true],
    ["one-of: case-insensitive", "Positive", assertion("one-of", ["positive", "negative"], ci), true],
    ["one-of: case-sensitive by default", "Positive", assertion("one-of", ["positive", "negative"]), false],
    ["one-of: not an option", "neutral", assertion("one-of", ["positive", "negative"]), false],
    ["one-of: an option with extra text", "positive.", assertion("one-of", ["positive"]), false],
    // not
    ["not contains: absent passes", "all good", assertion("contains", "error", { not: true }), true],
    [
      "not contains: present fails",
      "an error occurred",
      assertion("contains", "error", { not: true }),
      false,
    ],
    ["not equals", "Lyon", assertion("equals", "Paris", { not: true }), true],
    ["not regex", "abc", assertion("regex", "\\d", { not: true }), true],
    ["not one-of", "positive", assertion("one-of", ["positive"], { not: true }), false],
    // empty output
    ["empty: equals empty", "", assertion("equals", ""), true],
    ["empty: whitespace equals empty after trim", " \n\t", assertion("equals", ""), true],
    ["empty: contains a word", "", assertion("contains", "Paris"), false],
    ["empty: contains empty", "", assertion("contains", ""), true],
    ["empty: starts-with a word", "", assertion("starts-with", "P"), false],
    ["empty: regex ^$", "", assertion("regex", "^$"), true],
    ["empty: regex .", "", assertion("regex", "."), false],
    ["empty: one-of", "", assertion("one-of", ["a", "b"]), false],
    ["empty: not contains", "", assertion("contains", "x", { not: true }), true],
    // unicode
    ["unicode: contains CJK", "Café ☕ 東京 👋", assertion("contains", "東京"), true],
    ["unicode: contains emoji", "Café ☕ 東京 👋", assertion("contains", "👋"), true],
    ["unicode: equals accented, case-insensitive", "CAFÉ", assertion("equals", "café", ci), true],
    ["unicode: icontains Greek", "ΑΘΗΝΑ", assertion("icontains", "αθηνα"), true],
    ["unicode: regex", "Grüße aus 東京", assertion("regex", "東京$"), true],
    ["unicode: one-of", "ja", assertion("one-of", ["はい", "ja"]), true],
    ["unicode: no-break space is whitespace", "New\u00a0York", assertion("equals", "New York"), true],
  ])("%s", async (_name, output, a, pass) => {
    const r = await runAssertion(output, a, ctx);
    expect(r.pass).toBe(pass);
    expect(r.score).toBe(pass ? 1 : 0);
    expect(r.type).toBe(a.type);
    expect(r.reason.startsWith("not: ")).toBe(a.not);
  });

  it("has a handler for every assertion type", () => {
    expect(Object.keys(ASSERTIONS).sort()).toEqual([...ASSERTION_TYPES].sort());
  });

  it.each<[string, string, PlanAssertion, string]>([
    ["equals, failing", "Lyon", assertion("equals", "Paris"), 'expected "Paris", got "Lyon"'],
    ["contains, passing", "Paris", assertion("contains", "Par"), 'contains "Par"'],
    ["regex, failing", "x", assertion("regex", "\\d+"), "does not match /\\d+/"],
    [
      "not contains, failing",
      "error",
      assertion("contains", "error", { not: true }),
      'not: contains "error"',
    ],
    ["one-of, failing", "c", assertion("one-of", ["a", "b"]), 'got "c", not one of a, b'],
  ])("reason for %s", async (_name, output, a, reason) => {
    expect((await runAssertion(output, a, ctx)).reason).toBe(reason);
  });

  describe("a 1 MB output", () => {
    const huge = "a".repeat(1_000_000) + " END";

    it.each<[string, PlanAssertion, boolean]>([
      ["contains at the end", assertion("contains", "END"), true],
      ["icontains at the end", assertion("icontains", "end"), true],
      ["equals", assertion("equals", "END"), false],
      ["starts-with", assertion("starts-with", "aaa"), true],
      ["one-of", assertion("one-of", ["a", "END"]), false],
      // A linear pattern over the (bounded) input.
      ["regex, linear, no match", assertion("regex", "\\d{3}-\\d{4}"), false],
      ["regex, linear, match near the start", assertion("regex", "^a{1000}"), true],
      // The whole output is searched (time-bounded, not length-bounded).
      ["regex match at the very end of 1 MB", assertion("regex", "END$"), true],
    ])("%s finishes quickly", async (_name, a, pass) => {
      const t0 = performance.now();
      const r = await runAssertion(huge, a, ctx);
      const elapsedMs = performance.now() - t0;
      expect(r.pass).toBe(pass);
      expect(elapsedMs).toBeLessThan(1_000);
      // The reason quotes at most 80 characters of the output.
      expect(r.reason.length).toBeLessThan(200);
    });
  });

  it("a catastrophically backtracking regex fails the assertion with a reason instead of hanging", async () => {
    const t0 = performance.now();
    const r = await runAssertion("a".repeat(40) + "b", assertion("regex", "^(a+)+$"), ctx);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/ran longer than 200 ms/);
  });
});

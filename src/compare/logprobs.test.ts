import { describe, expect, it } from "vitest";
import { readFixture } from "../../test/helpers/stats-fixtures.js";
import { compareLogprobs, klLowerBound } from "./logprobs.js";
import { type OutcomeLogprobs } from "../record/case-outcome.js";

interface KlCase {
  name: string;
  p: Array<[string, number]>;
  q: Array<[string, number]>;
  lowerBound: number;
  fullKl: number;
}
const cases = readFixture<{ cases: KlCase[] }>("logprobs.computed.json").cases;

describe("klLowerBound against SciPy", () => {
  it.each(cases)("$name", ({ p, q, lowerBound, fullKl }) => {
    const kl = klLowerBound(p, q);
    expect(kl).toBeCloseTo(lowerBound, 9);
    // The point of the bound: never more than the KL of the full distributions.
    expect(kl).toBeLessThanOrEqual(fullKl + 1e-9); // the fixture is rounded to 1e-10
  });

  it("stays finite when a logprob underflows exp(): each term is p·(lp - lq)", () => {
    // Q gives "a" a logprob of -800: exp(-800) is 0 in doubles, and p·log(p/q) was Infinity.
    const p: Array<[string, number]> = [
      ["a", Math.log(0.6)],
      ["b", Math.log(0.4)],
    ];
    const q: Array<[string, number]> = [
      ["a", -800],
      ["b", Math.log(0.9)],
    ];
    // P has no mass outside the shared tokens, so the bound is the two shared terms.
    const expected = 0.6 * (Math.log(0.6) + 800) + 0.4 * Math.log(0.4 / 0.9);
    const kl = klLowerBound(p, q);
    expect(Number.isFinite(kl)).toBe(true);
    expect(kl).toBeCloseTo(expected, 9);
  });
});

const answer = (tokens: Array<[string, Array<[string, number]>]>): OutcomeLogprobs => ({
  tokens: tokens.map(([token, top]) => ({ token, top })),
});
const L = Math.log;

describe("compareLogprobs", () => {
  it("walks the common prefix and the first divergent position, then stops", () => {
    const base = answer([
      [
        "x",
        [
          ["x", L(0.8)],
          ["y", L(0.1)],
        ],
      ],
      [
        "y",
        [
          ["y", L(0.6)],
          ["z", L(0.3)],
        ],
      ],
      [
        "z",
        [
          ["z", L(0.9)],
          ["x", L(0.05)],
        ],
      ],
    ]);
    const cand = answer([
      [
        "x",
        [
          ["x", L(0.8)],
          ["y", L(0.1)],
        ],
      ],
      [
        "z",
        [
          ["z", L(0.5)],
          ["y", L(0.4)],
        ],
      ],
      [
        "q",
        [
          ["q", L(0.9)],
          ["x", L(0.05)],
        ],
      ],
    ]);
    const r = compareLogprobs([[base, cand]])!;
    expect(r.positions).toBe(2);
    expect(r.sameTop1Rate).toBe(0.5);
    expect(r.k).toBe(2);
    const second = klLowerBound(base.tokens[1]!.top, cand.tokens[1]!.top);
    expect(second).toBeGreaterThan(0);
    expect(r.klLowerBound).toBeCloseTo(second / 2, 12);
    expect(r.klMax).toBeCloseTo(second, 12);
  });

  it("is undefined when no pair carries logprobs on both sides", () => {
    expect(compareLogprobs([[undefined, answer([["x", [["x", 0]]]])]])).toBeUndefined();
    expect(compareLogprobs([])).toBeUndefined();
  });
});

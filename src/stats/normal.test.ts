import { describe, expect, it } from "vitest";
import { readFixture } from "../../test/helpers/stats-fixtures.js";
import { erfc, normalCdf, normalQuantile, zTwoSided } from "./normal.js";

const { cases } = readFixture<{ cases: Array<{ p: number; quantile: number }> }>("normal.computed.json");

describe("normalQuantile", () => {
  it.each(cases)("Φ⁻¹($p) = $quantile (SciPy)", ({ p, quantile }) => {
    expect(normalQuantile(p)).toBeCloseTo(quantile, 10);
  });

  it.each([0.001, 0.05, 0.3, 0.5, 0.9, 0.975, 0.9999])("round-trips through normalCdf at %f", (p) => {
    expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 13);
  });

  it.each<[number, number]>([
    [0, Number.NEGATIVE_INFINITY],
    [1, Number.POSITIVE_INFINITY],
    [-0.1, Number.NaN],
    [1.1, Number.NaN],
    [Number.NaN, Number.NaN],
  ])("at the edge p=%f gives %f", (p, expected) => {
    expect(normalQuantile(p)).toBe(expected);
  });

  it.each<[number, number]>([
    [0.05, 1.959963984540054],
    [0.01, 2.5758293035489],
    [0.1, 1.6448536269514722],
  ])("zTwoSided(%f) = %f", (alpha, z) => {
    expect(zTwoSided(alpha)).toBeCloseTo(z, 12);
  });
});

describe("erfc and normalCdf", () => {
  // Reference values: scipy.special.erfc and scipy.stats.norm.cdf (SciPy 1.17.1).
  it.each<[number, number]>([
    [0, 1],
    [0.5, 0.4795001221869535],
    [1.99, 0.004888586800383002],
    [2.01, 0.004475150644751764],
    [5, 1.5374597944280347e-12],
    [10, 2.0884875837625446e-45],
    [-1, 1.8427007929497148],
  ])("erfc(%f) = %e to 12 significant digits", (x, expected) => {
    expect(erfc(x) / expected).toBeCloseTo(1, 12);
  });

  it("keeps relative precision deep in the lower tail", () => {
    expect(normalCdf(-8) / 6.22096057427174e-16).toBeCloseTo(1, 10);
  });
});

describe("zTwoSided at tiny alpha", () => {
  const tails = readFixture<{ cases: Array<{ alpha: number; z: number }> }>("normal-tails.computed.json");

  it.each(tails.cases)("z(1 - $alpha/2) = $z (AS241 on the lower tail)", ({ alpha, z }) => {
    // 1 - alpha/2 is exactly 1 below alpha ~ 1e-16: the old upper-tail form gave Infinity there.
    expect(zTwoSided(alpha) / z).toBeCloseTo(1, 12);
  });
});

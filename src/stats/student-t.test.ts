import { describe, expect, it } from "vitest";
import { readFixture } from "../../test/helpers/stats-fixtures.js";
import { incompleteBeta, logGamma, tCdf, tQuantile, tUpperTail } from "./student-t.js";

interface Published {
  studentT: { cases: Array<{ df: number; p: number; quantile: number; digits: number }> };
}
interface Computed {
  quantiles: Array<{ p: number; df: number; quantile: number }>;
  cdf: Array<{ t: number; df: number; cdf: number }>;
}
const published = readFixture<Published>("published.json").studentT.cases;
const computed = readFixture<Computed>("student-t.computed.json");

describe("tQuantile", () => {
  it.each(published)("t($p; $df) = $quantile as NIST prints it", ({ df, p, quantile, digits }) => {
    expect(tQuantile(p, df)).toBeCloseTo(quantile, digits);
  });

  it.each(computed.quantiles)(
    "t($p; $df) = $quantile (closed-form CDF, bisection)",
    ({ p, df, quantile }) => {
      expect(tQuantile(p, df) / quantile).toBeCloseTo(1, 10);
      expect(tQuantile(1 - p, df) / -quantile).toBeCloseTo(1, 9);
    },
  );

  it("approaches the normal quantile as df grows, and is exact in closed form at df 1 and 2", () => {
    expect(tQuantile(0.975, 1e7)).toBeCloseTo(1.959963984540054, 5);
    // df 1 is Cauchy: tan(π (p - 1/2)); df 2: (2p - 1) sqrt(2 / (4p(1 - p))).
    for (const p of [0.6, 0.9, 0.999, 0.999999]) {
      expect(tQuantile(p, 1) / Math.tan(Math.PI * (p - 0.5))).toBeCloseTo(1, 9);
      expect(tQuantile(p, 2) / ((2 * p - 1) * Math.sqrt(2 / (4 * p * (1 - p))))).toBeCloseTo(1, 9);
    }
  });

  it.each<[number, number, number]>([
    [0, 4, Number.NEGATIVE_INFINITY],
    [1, 4, Number.POSITIVE_INFINITY],
    [0.5, 4, 0],
    [1.2, 4, Number.NaN],
    [0.9, 0, Number.NaN],
  ])("at the edge p=%f df=%f gives %f", (p, df, expected) => {
    expect(tQuantile(p, df)).toBe(expected);
  });
});

describe("tCdf", () => {
  it.each(computed.cdf)("P(T <= $t; $df) = $cdf", ({ t, df, cdf }) => {
    expect(tCdf(t, df)).toBeCloseTo(cdf, 12);
  });

  it("keeps relative precision in the upper tail", () => {
    // df 1: P(T > t) = atan(1/t) / π.
    expect(tUpperTail(1e6, 1) / (Math.atan(1e-6) / Math.PI)).toBeCloseTo(1, 10);
    expect(tUpperTail(Number.POSITIVE_INFINITY, 3)).toBe(0);
  });
});

describe("logGamma and incompleteBeta", () => {
  it.each<[number, number]>([
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [1, 0],
    [5, Math.log(24)],
    [10.5, 13.940625219403763],
    [100, 359.1342053695754],
  ])("ln Γ(%f) = %f", (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 11);
  });

  it("gives I_x(a, 1) = x^a and I_x(1, b) = 1 - (1 - x)^b", () => {
    for (const x of [0.1, 0.5, 0.93])
      for (const k of [0.5, 2, 7]) {
        expect(incompleteBeta(x, k, 1)).toBeCloseTo(x ** k, 13);
        expect(incompleteBeta(x, 1, k)).toBeCloseTo(1 - (1 - x) ** k, 13);
      }
  });
});

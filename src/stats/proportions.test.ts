import { describe, expect, it } from "vitest";
import { readFixture } from "../../test/helpers/stats-fixtures.js";
import { mcnemarExact, newcombeAtZ, pairedDifference, pairedWaldSe, wilsonInterval } from "./proportions.js";
import { type PairedTable } from "../record/comparison.js";

interface WilsonCase {
  passed: number;
  n: number;
  alpha: number;
  lower: number;
  upper: number;
}
interface McNemarCase {
  b: number;
  c: number;
  p: number;
  midP: number;
}
interface PairedCase extends PairedTable {
  alpha: number;
  difference: number;
  newcombe: [number, number];
  wald: [number, number];
}
interface PublishedPaired extends PairedTable {
  method: "newcombe" | "wald";
  difference: number;
  lower: number;
  upper: number;
  se?: number;
  digits: number;
}
interface Published {
  wilson: { cases: WilsonCase[] };
  mcnemar: { cases: Array<McNemarCase & { digits: number }> };
  pairedDifference: { cases: PublishedPaired[] };
}

const published = readFixture<Published>("published.json");
const computed = {
  wilson: readFixture<{ cases: WilsonCase[] }>("wilson.computed.json").cases,
  mcnemar: readFixture<{ cases: McNemarCase[] }>("mcnemar.computed.json").cases,
  paired: readFixture<{ cases: PairedCase[] }>("paired-difference.computed.json").cases,
};

describe("wilsonInterval", () => {
  it.each(published.wilson.cases)(
    "$passed/$n matches Newcombe (1998a) to 4 dp: $lower..$upper",
    ({ passed, n, alpha, lower, upper }) => {
      const ci = wilsonInterval(passed, n, alpha);
      expect(ci.lower).toBeCloseTo(lower, 4);
      expect(ci.upper).toBeCloseTo(upper, 4);
    },
  );

  it.each(computed.wilson)(
    "$passed/$n at alpha $alpha matches SciPy: $lower..$upper",
    ({ passed, n, alpha, lower, upper }) => {
      const ci = wilsonInterval(passed, n, alpha);
      expect(ci.lower).toBeCloseTo(lower, 8);
      expect(ci.upper).toBeCloseTo(upper, 8);
    },
  );

  it("is exactly 0 and 1 at the ends and NaN with no cases", () => {
    expect(wilsonInterval(0, 5).lower).toBe(0);
    expect(wilsonInterval(5, 5).upper).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ lower: Number.NaN, upper: Number.NaN });
  });
});

describe("mcnemarExact", () => {
  it.each(published.mcnemar.cases)(
    "b=$b c=$c matches the published p=$p and mid-p=$midP (Fagerland et al.)",
    ({ b, c, p, midP, digits }) => {
      expect(mcnemarExact(b, c)).toBeCloseTo(p, digits);
      expect(mcnemarExact(b, c, { midP: true })).toBeCloseTo(midP, digits);
    },
  );

  it.each(computed.mcnemar)("b=$b c=$c gives p=$p, mid-p $midP (exact rationals)", ({ b, c, p, midP }) => {
    expect(mcnemarExact(b, c) / p).toBeCloseTo(1, 10);
    expect(mcnemarExact(b, c, { midP: true }) / midP).toBeCloseTo(1, 10);
  });

  it("agrees with direct enumeration of the binomial with BigInt arithmetic", () => {
    // A different method: exact integer binomial coefficients, one division at the end.
    const exact = (b: number, c: number) => {
      const m = b + c;
      let coef = 1n;
      let tail = 0n;
      for (let i = 0; i <= Math.min(b, c); i++) {
        tail += coef;
        coef = (coef * BigInt(m - i)) / BigInt(i + 1);
      }
      return Math.min(1, (2 * Number((tail * 10n ** 18n) / 2n ** BigInt(m))) / 1e18);
    };
    for (const [b, c] of [
      [7, 19],
      [30, 12],
      [0, 40],
      [55, 55],
      [3, 4],
    ] as const)
      expect(mcnemarExact(b, c)).toBeCloseTo(exact(b, c), 12);
  });

  it("neither underflows nor overflows with a hundred thousand discordant pairs", () => {
    const p = mcnemarExact(50_000, 50_400);
    expect(p).toBeGreaterThan(0.2);
    expect(p).toBeLessThan(0.22);
    expect(mcnemarExact(0, 5000)).toBe(0);
  });
});

describe("pairedDifference", () => {
  it.each(published.pairedDifference.cases)(
    "$method on ($bothPass, $candidateOnly, $baselineOnly, $bothFail) matches the published $lower..$upper",
    ({ method, difference, lower, upper, se, digits, ...rest }) => {
      const table: PairedTable = rest;
      const d = pairedDifference(table, { method });
      expect(d.difference).toBeCloseTo(difference, 4);
      expect(d.lower).toBeCloseTo(lower, digits);
      expect(d.upper).toBeCloseTo(upper, digits);
      if (se !== undefined) expect(pairedWaldSe(table)).toBeCloseTo(se, 4);
    },
  );

  it.each(computed.paired)(
    "($bothPass, $candidateOnly, $baselineOnly, $bothFail) at alpha $alpha matches the independent computation",
    ({ alpha, difference, newcombe, wald, ...table }) => {
      const n = pairedDifference(table, { alpha });
      expect(n.method).toBe("newcombe");
      expect(n.difference).toBeCloseTo(difference, 8);
      expect([n.lower, n.upper].map((x) => Number(x.toFixed(8)))).toEqual(
        newcombe.map((x) => Number(x.toFixed(8))),
      );
      const w = pairedDifference(table, { alpha, method: "wald" });
      expect(w.lower).toBeCloseTo(wald[0], 8);
      expect(w.upper).toBeCloseTo(wald[1], 8);
    },
  );

  it("gives NaN with no cases", () => {
    const d = pairedDifference({ bothPass: 0, baselineOnly: 0, candidateOnly: 0, bothFail: 0 });
    expect([d.difference, d.lower, d.upper]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
  });

  it.each(computed.paired)(
    "newcombeAtZ widens with z on ($bothPass, $candidateOnly, $baselineOnly, $bothFail)",
    ({ alpha: _alpha, difference: _d, newcombe: _n, wald: _w, ...table }) => {
      let previous = newcombeAtZ(table, 0);
      for (let z = 0.05; z < 12; z += 0.05) {
        const ci = newcombeAtZ(table, z);
        expect(ci.lower).toBeLessThanOrEqual(previous.lower + 1e-15);
        expect(ci.upper).toBeGreaterThanOrEqual(previous.upper - 1e-15);
        previous = ci;
      }
    },
  );
});

import { describe, expect, it } from "vitest";
import { readFixture } from "../../test/helpers/stats-fixtures.js";
import type { PairedTable } from "../record/comparison.js";
import { clusteredPairedDifference, type ClusteredPair } from "./clustered.js";
import { gateInterval, gateP, newcombeP, type Side } from "./gate.js";
import { mcnemarExact } from "./proportions.js";

interface MarginCase extends PairedTable {
  limit: number;
  side: Side;
  difference: number;
  ci95: [number, number];
  p: number;
  shown: Record<string, boolean>;
}
const { cases } = readFixture<{ cases: MarginCase[] }>("margins.computed.json");
const tableOf = ({ bothPass, baselineOnly, candidateOnly, bothFail }: PairedTable): PairedTable => ({
  bothPass,
  baselineOnly,
  candidateOnly,
  bothFail,
});

describe("newcombeP: the one-sided margin decision", () => {
  it.each(cases)(
    "{$bothPass, $baselineOnly, $candidateOnly, $bothFail} $side $limit: p=$p",
    ({ limit, side, p, shown, ci95, ...rest }) => {
      const table = tableOf(rest);
      const got = newcombeP(table, limit, side);
      expect(got).toBeCloseTo(p, 8);
      for (const [alpha, decision] of Object.entries(shown)) expect(got < Number(alpha)).toBe(decision);
      const gate = gateInterval(table, undefined, 0.05)!;
      expect([gate.lower, gate.upper].map((x) => Number(x.toFixed(8)))).toEqual(
        ci95.map((x) => Number(x.toFixed(8))),
      );
    },
  );

  it("never contradicts the printed interval: p < alpha exactly when the interval leaves the limit out", () => {
    const tables: PairedTable[] = [];
    for (const n of [20, 50, 400])
      for (const b of [0, 1, 3, 8, 20])
        for (const c of [0, 1, 4, 12])
          if (b + c <= n)
            tables.push({
              bothPass: Math.floor((n - b - c) * 0.8),
              baselineOnly: b,
              candidateOnly: c,
              bothFail: n - b - c - Math.floor((n - b - c) * 0.8),
            });
    for (const table of tables)
      for (const alpha of [0.01, 0.05, 0.2]) {
        const gate = gateInterval(table, undefined, alpha)!;
        for (const limit of [-0.1, -0.02, 0, 0.01]) {
          expect(newcombeP(table, limit, "below") < alpha).toBe(gate.upper < limit);
          expect(newcombeP(table, limit, "above") < alpha).toBe(gate.lower > limit);
        }
        expect(gate.pValue < alpha).toBe(gate.upper < 0 || gate.lower > 0);
      }
  });

  it("shows n=50 with 5 regressions and no improvements as a drop by the interval and its own p", () => {
    // The table {40, 5, 0, 5}: 95% CI -20.8 to -0.5pp. McNemar's exact p is 0.0625, a
    // different and more conservative test; the gate's own p agrees with its interval.
    const table = { bothPass: 40, baselineOnly: 5, candidateOnly: 0, bothFail: 5 };
    const gate = gateInterval(table, undefined, 0.05)!;
    expect(gate.lower).toBeCloseTo(-0.208, 3);
    expect(gate.upper).toBeCloseTo(-0.005, 3);
    expect(gate.pValue).toBeLessThan(0.05);
    expect(mcnemarExact(5, 0)).toBe(0.0625);
  });
});

describe("gateInterval with clusters", () => {
  const pairs = (rows: Array<[boolean, boolean, string]>): ClusteredPair[] =>
    rows.map(([baselinePass, candidatePass, cluster]) => ({ baselinePass, candidatePass, cluster }));

  it("is never zero-width: degenerate clusters fall back on at least Newcombe's interval", () => {
    // 10 clusters, each half regressions and half unchanged: every cluster's residuals sum to 0,
    // so CR1 is zero-width at -50pp (the old output: "95% CI -50.0pp to -50.0pp", p=0).
    const rows: Array<[boolean, boolean, string]> = [];
    for (let g = 0; g < 10; g++) for (let i = 0; i < 4; i++) rows.push([true, i % 2 === 1, `t${g}`]);
    const cl = clusteredPairedDifference(pairs(rows));
    expect(cl.upper - cl.lower).toBe(0);
    const table = { bothPass: 20, baselineOnly: 20, candidateOnly: 0, bothFail: 0 };
    const gate = gateInterval(table, cl, 0.05)!;
    expect(gate.method).toBe("cluster-robust");
    expect(gate.upper - gate.lower).toBeGreaterThan(0.2);
    expect(gate.lower).toBeLessThan(-0.5);
    expect(gate.upper).toBeGreaterThan(-0.5);
    expect(gate.pValue).toBeGreaterThan(0);
    expect(gate.pValue).toBe(gateP(table, cl, 0, "below"));
  });

  it("gives no interval and no p below the minimum number of clusters", () => {
    const rows: Array<[boolean, boolean, string]> = [];
    for (let g = 0; g < 3; g++) for (let i = 0; i < 10; i++) rows.push([true, i > 2, `t${g}`]);
    const cl = clusteredPairedDifference(pairs(rows));
    const table = { bothPass: 21, baselineOnly: 9, candidateOnly: 0, bothFail: 0 };
    expect(gateInterval(table, cl, 0.05)).toBeUndefined();
    expect(gateP(table, cl, -0.02, "below")).toBeUndefined();
  });
});

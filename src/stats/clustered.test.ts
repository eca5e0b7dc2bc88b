import { describe, expect, it } from "vitest";
import { readFixture } from "../../test/helpers/stats-fixtures.js";
import { createRng } from "../util/rng.js";
import { clusteredPairedDifference, cr1, MIN_CLUSTERS, type ClusteredPair } from "./clustered.js";
import { gateInterval } from "./gate.js";
import { pairedWaldSe } from "./proportions.js";

interface Case {
  name: string;
  alpha: number;
  pairs: Array<[number, number, string]>;
  difference: number;
  se: number;
  clusters: number;
  df: number;
  lower: number;
  upper: number;
  pValue: number;
}
const fixture = readFixture<{ minClusters: number; cases: Case[] }>("clustered.computed.json");
const pairsOf = (rows: Array<[number, number, string]>): ClusteredPair[] =>
  rows.map(([b, c, cluster]) => ({ baselinePass: b === 1, candidatePass: c === 1, cluster }));

describe("cr1 and clusteredPairedDifference", () => {
  it("has the minimum the fixtures were made with", () => expect(MIN_CLUSTERS).toBe(fixture.minClusters));

  it.each(fixture.cases)("$name at alpha $alpha matches the NumPy CR1 sandwich", (c) => {
    const raw = cr1(pairsOf(c.pairs));
    expect(raw.difference).toBeCloseTo(c.difference, 10);
    expect(raw.se).toBeCloseTo(c.se, 10);
    expect(raw).toMatchObject({ clusters: c.clusters, df: c.df });
    const r = clusteredPairedDifference(pairsOf(c.pairs), c.alpha);
    if (c.clusters < MIN_CLUSTERS) {
      expect(r).toMatchObject({ tooFewClusters: true, minClusters: MIN_CLUSTERS });
      expect([r.lower, r.upper, r.pValue]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    } else {
      expect(r.tooFewClusters).toBeUndefined();
      expect(r.lower).toBeCloseTo(c.lower, 8);
      expect(r.upper).toBeCloseTo(c.upper, 8);
      expect(r.pValue).toBeCloseTo(c.pValue, 8);
    }
  });

  it("is the Wald standard error when every case is its own cluster (CR1's factor cancels)", () => {
    const rows = fixture.cases.find((c) => c.name === "singletons")!;
    const table = { bothPass: 31, baselineOnly: 7, candidateOnly: 2, bothFail: 0 };
    const r = cr1(pairsOf(rows.pairs));
    expect(r.se / Math.sqrt(40 / 39)).toBeCloseTo(pairedWaldSe(table), 12);
    expect(r.designEffect).toBeCloseTo(1, 12);
  });

  it("gives no clustered verdict from one cluster, or from fewer than the minimum", () => {
    const one = pairsOf(Array.from({ length: 30 }, (_, i) => [1, i % 3 ? 1 : 0, "only"]));
    expect(cr1(one).se).toBeNaN();
    expect(clusteredPairedDifference(one)).toMatchObject({ clusters: 1, tooFewClusters: true });
    const four = pairsOf(Array.from({ length: 40 }, (_, i) => [1, i % 2, `t${i % 4}`]));
    expect(clusteredPairedDifference(four)).toMatchObject({ clusters: 4, tooFewClusters: true });
  });

  it("clamps the interval to ±100pp", () => {
    // Five clusters, four all regressions, one all improvements: d̄ = -0.6 with a huge spread.
    const rows: Array<[number, number, string]> = [];
    for (let g = 0; g < 5; g++)
      for (let i = 0; i < 4; i++) rows.push(g < 4 ? [1, 0, `g${g}`] : [0, 1, `g${g}`]);
    const r = clusteredPairedDifference(pairsOf(rows));
    expect(r.difference - 2.776 * r.se).toBeLessThan(-1);
    expect(r.lower).toBe(-1);
    expect(r.upper).toBeLessThanOrEqual(1);
  });
});

/**
 * Simulated false alarms of the gate's clustered interval: G templates of 10 cases each, the
 * candidate equal to the baseline on average, but each template with its own flip rate (uniform
 * 2–40%) and its own leaning (a regression with a chance uniform on 0..1), so flips within a
 * template go the same way. A false alarm is a 95% gate interval that leaves out 0. Measured with
 * 4,000 draws (seed 12) at 3, 5, 10 and 20 clusters: the old CR0 with a normal quantile rejected
 * 24.8%, 14.8%, 9.7% and 7.5%; CR1 with t on G - 1 df 2.5%, 3.5%, 4.7% and 5.1%; the gate (CR1 never
 * narrower than Newcombe's interval; no verdict under 5 clusters) 2.5%, 4.1% and 5.1% from 5 up.
 * With very uneven templates (2, 5, 10 or 20 cases each) CR1 still runs over: 7.8%, 6.7% and 6.4%
 * from 5 up, the gate 4.8%, 5.7% and 6.0%.
 */
function falseAlarms(clusters: number, draws: number, seed: number): number {
  const rng = createRng(seed);
  let alarms = 0;
  for (let r = 0; r < draws; r++) {
    const pairs: ClusteredPair[] = [];
    for (let g = 0; g < clusters; g++) {
      const flipRate = 0.02 + 0.38 * rng();
      const leaning = rng();
      for (let i = 0; i < 10; i++) {
        const flipped = rng() < flipRate;
        const regression = rng() < leaning;
        pairs.push({
          baselinePass: !flipped || regression,
          candidatePass: !flipped || !regression,
          cluster: `t${g}`,
        });
      }
    }
    const table = {
      bothPass: pairs.filter((p) => p.baselinePass && p.candidatePass).length,
      baselineOnly: pairs.filter((p) => p.baselinePass && !p.candidatePass).length,
      candidateOnly: pairs.filter((p) => !p.baselinePass && p.candidatePass).length,
      bothFail: 0,
    };
    const gate = gateInterval(table, clusteredPairedDifference(pairs), 0.05);
    if (gate && (gate.upper < 0 || gate.lower > 0)) alarms++;
  }
  return alarms / draws;
}

describe("the clustered gate's false alarms (every candidate as good as the baseline)", () => {
  it.each([5, 10, 20])("stay at or under 6 percent with %i clusters", (clusters) => {
    const rate = falseAlarms(clusters, 4000, 12);
    expect(rate).toBeLessThanOrEqual(0.06);
    // ...and the gate still says something: it is not refusing every verdict.
    expect(rate).toBeGreaterThan(0.01);
  });
});

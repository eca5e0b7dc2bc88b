import { describe, expect, it } from "vitest";
import { compareVariants } from "./compare.js";
import { mcnemarExact, pairedDifference, wilsonInterval } from "../stats/proportions.js";
import { outcome, pairedOutcomes, times } from "../../test/helpers/outcomes.js";

describe("compareVariants", () => {
  // Newcombe (1998b) example (a) as cases: 36 both pass, 12 candidate only, 2 baseline only.
  const spec = [...times(36, [true, true]), ...times(12, [false, true]), ...times(2, [true, false])];
  const { base, cand } = pairedOutcomes(spec);
  const r = compareVariants(base, cand);

  it("pairs the cases and fills the table, rates and recovery", () => {
    expect(r.matched).toBe(50);
    expect(r.table).toEqual({ bothPass: 36, baselineOnly: 2, candidateOnly: 12, bothFail: 0 });
    expect(r.baseline).toEqual({
      target: "base",
      cases: 50,
      passed: 38,
      passRate: 0.76,
      interval: wilsonInterval(38, 50),
    });
    expect(r.candidate).toMatchObject({ target: "cand", passed: 48, passRate: 0.96 });
    expect(r.recovery).toBeCloseTo(48 / 38, 12);
  });

  it("reports the Newcombe delta with the Wald interval beside it and McNemar's p", () => {
    expect(r.delta.difference).toBeCloseTo(0.2, 12);
    expect(r.delta.lower).toBeCloseTo(0.0569, 4);
    expect(r.delta.upper).toBeCloseTo(0.3404, 4);
    expect(r.delta.wald.lower).toBeCloseTo(pairedDifference(r.table, { method: "wald" }).lower, 12);
    expect(r.mcnemar).toEqual({ b: 2, c: 12, pValue: mcnemarExact(2, 12) });
    expect(r.power).toMatchObject({ cases: 50, discordance: 14 / 50, method: "connor-1987" });
  });

  it("lists flips both ways by case id, in natural order, with both outputs", () => {
    expect(r.flips.regressions.map((f) => f.caseId)).toEqual(["c49", "c50"]);
    expect(r.flips.improvements.map((f) => f.caseId)).toEqual(
      Array.from({ length: 12 }, (_, i) => `c${37 + i}`),
    );
    expect(r.flips.regressions[0]).toEqual({
      caseId: "c49",
      promptVersion: 1,
      prompt: "q",
      baselineOutput: "right",
      candidateOutput: "wrong",
    });
  });

  it.each<[string, string, string, boolean]>([
    ["identical outputs", "Paris", "Paris", true],
    ["a trailing space", "Paris", "Paris ", false],
    ["case", "Paris", "paris", false],
    ["unicode normal forms", "café", "cafe\u0301", false],
  ])("agreement is byte-exact: %s", (_name, a, b, same) => {
    const res = compareVariants([outcome("b", "x", true, a)], [outcome("c", "x", true, b)]);
    expect(res.agreement).toEqual({ identical: same ? 1 : 0, rate: same ? 1 : 0 });
  });

  it("matches by case id and prompt version, listing the unmatched on each side", () => {
    const v2 = { prompt: { name: "q", version: 2 } };
    const res = compareVariants(
      [outcome("b", "a", true), outcome("b", "b", true), outcome("b", "only-old", true)],
      [outcome("c", "a", false), outcome("c", "b", true, "right", v2), outcome("c", "only-new", true)],
    );
    expect(res.matched).toBe(1);
    expect(res.flips.regressions.map((f) => f.caseId)).toEqual(["a"]);
    expect(res.unmatched).toEqual({
      baseline: [
        { caseId: "b", promptVersion: 1, prompt: "q" },
        { caseId: "only-old", promptVersion: 1, prompt: "q" },
      ],
      candidate: [
        { caseId: "b", promptVersion: 2, prompt: "q" },
        { caseId: "only-new", promptVersion: 1, prompt: "q" },
      ],
    });
  });

  it("counts a failed request as not passed and never as agreement, keeping the error", () => {
    const res = compareVariants(
      [outcome("b", "x", true, "ok"), outcome("b", "y", false, "")],
      [
        outcome("c", "x", false, "", { error: "timeout" }),
        outcome("c", "y", false, "", { error: "http 500" }),
      ],
    );
    expect(res.table).toEqual({ bothPass: 0, baselineOnly: 1, candidateOnly: 0, bothFail: 1 });
    expect(res.flips.regressions[0]).toMatchObject({ caseId: "x", candidateError: "timeout" });
    expect(res.agreement.identical).toBe(0);
  });

  it("pairs repeated cases in order", () => {
    const res = compareVariants(
      [outcome("b", "x", true), outcome("b", "x", false)],
      [outcome("c", "x", true), outcome("c", "x", true), outcome("c", "x", true)],
    );
    expect(res.matched).toBe(2);
    expect(res.table).toMatchObject({ bothPass: 1, candidateOnly: 1 });
    expect(res.unmatched.candidate).toEqual([{ caseId: "x", promptVersion: 1, prompt: "q" }]);
  });

  it("pairs by case id alone with pairBy case, across prompt names and versions", () => {
    const v2 = { prompt: { name: "classify-v2", version: 2 } };
    const res = compareVariants(
      [outcome("b", "a", true), outcome("b", "b", true)],
      [outcome("c", "a", false, "x", v2), outcome("c", "b", true, "right", v2)],
      0.05,
      { pairBy: "case" },
    );
    expect(res).toMatchObject({ matched: 2, pairedBy: "case" });
    expect(res.flips.regressions.map((f) => f.caseId)).toEqual(["a"]);
    // By default a changed prompt makes a different case.
    expect(compareVariants([outcome("b", "a", true)], [outcome("c", "a", true, "x", v2)]).matched).toBe(0);
  });

  it("counts repeated cases as cases: the runs pair in order, flips name their run, the power note uses cases", () => {
    // 400 questions run twice, every run the same: 40 regress both times, 10 improve both times.
    const runs = (target: string, pass: (i: number) => boolean, repeat = 2) =>
      Array.from({ length: 400 }, (_, i) =>
        repeat === 1
          ? [outcome(target, `q${i}`, pass(i))]
          : [0, 1].map((attempt) =>
              outcome(target, `q${i}`, pass(i), undefined, { attempt, cluster: `case:q${i}` }),
            ),
      ).flat();
    const res = compareVariants(
      runs("b", (i) => i >= 10),
      runs("c", (i) => i < 10 || i >= 50),
    );
    expect(res.matched).toBe(800);
    expect(res.repeats).toEqual({ cases: 400, runs: 800 });
    expect(res.flips.regressions.slice(0, 2).map((f) => [f.caseId, f.attempt])).toEqual([
      ["q10", 0],
      ["q10", 1],
    ]);
    // The gate's interval and p are those of the 400 cases, not of 800 attempts.
    const once = compareVariants(
      runs("b", (i) => i >= 10, 1),
      runs("c", (i) => i < 10 || i >= 50, 1),
    );
    expect(res.clustered).toMatchObject({ clusters: 400, df: 399, designEffect: expect.closeTo(2, 12) });
    expect(res.gate!.upper - res.gate!.lower).toBeGreaterThan((once.gate!.upper - once.gate!.lower) * 0.95);
    expect(res.gate!.pValue).toBeGreaterThan(once.gate!.pValue / 10);
    expect(res.power).toMatchObject({ cases: 400, designEffect: expect.closeTo(2, 12) });
    expect(res.power.detectableDrop).toBeCloseTo(once.power.detectableDrop!, 12);
  });

  it("gives NaN figures, not a throw, when nothing matches", () => {
    const res = compareVariants([outcome("b", "x", true)], [outcome("c", "y", true)]);
    expect(res.matched).toBe(0);
    expect(res.delta.difference).toBeNaN();
    expect(res.recovery).toBeNaN();
    expect(res.mcnemar.pValue).toBe(1);
  });

  it("uses the given names and alpha", () => {
    const res = compareVariants(base, cand, 0.01, { baselineTarget: "bf16", candidateTarget: "int4" });
    expect([res.baseline.target, res.candidate.target, res.alpha, res.delta.alpha]).toEqual([
      "bf16",
      "int4",
      0.01,
      0.01,
    ]);
    expect(res.baseline.interval).toEqual(wilsonInterval(38, 50, 0.01));
  });

  it("adds a cluster-robust interval when cases have clusters, and records the gate's interval", () => {
    const res = compareVariants(base, cand, 0.05, { clusterOf: (id) => `t${Number(id.slice(1)) % 5}` });
    expect(res.clustered).toMatchObject({
      clusters: 5,
      df: 4,
      method: "cr1",
      difference: expect.closeTo(0.2, 12),
    });
    expect(res.gate).toMatchObject({ method: "cluster-robust" });
    const plain = compareVariants(base, cand);
    expect(plain.clustered).toBeUndefined();
    expect(plain.gate).toMatchObject({
      method: "newcombe",
      lower: plain.delta.lower,
      upper: plain.delta.upper,
    });
  });
});

import { describe, expect, it } from "vitest";
import { compareVariants } from "../compare/compare.js";
import { outcome, pairedOutcomes, times } from "../../test/helpers/outcomes.js";
import { judge, readMetric } from "./judge.js";
import { parseThreshold } from "./parse.js";
import { runFigures } from "./read.js";

const named = (spec: Array<[boolean, boolean]>, candidate: string, sameOutput = false) => {
  const { base, cand } = pairedOutcomes(spec);
  const c = sameOutput ? cand.map((o, i) => ({ ...o, output: base[i]!.output })) : cand;
  return compareVariants(base, c, 0.05, { baselineTarget: "bf16", candidateTarget: candidate });
};

// int4: 20 of 100 regress (significant), flipped outputs differ; fp8: 3 of 100 regress, 1 improves
// (not significant), every output identical to the baseline's.
const int4 = named(
  [...times(70, [true, true]), ...times(20, [true, false]), ...times(10, [false, false])],
  "int4",
);
const fp8 = named(
  [
    ...times(87, [true, true]),
    ...times(3, [true, false]),
    ...times(1, [false, true]),
    ...times(9, [false, false]),
  ],
  "fp8",
  true,
);
const comparisons = [int4, fp8];

describe("compare.* metrics read from the comparisons", () => {
  it.each<[string, number | undefined]>([
    ["compare.pass_rate_delta{candidate:int4}", -0.2],
    ["compare.pass_rate_delta{candidate:fp8}", -0.02],
    ["compare.pass_rate_delta", -0.2],
    ["compare.recovery{candidate:int4}", 70 / 90],
    ["compare.recovery", 70 / 90],
    ["compare.flips{candidate:fp8}", 0.04],
    ["compare.flips", 0.2],
    ["compare.agreement{candidate:int4}", 0.8],
    ["compare.agreement{candidate:fp8}", 1],
    ["compare.agreement", 0.8],
    ["compare.flips{candidate:nope}", undefined],
  ])("%s = %s (untagged reads the worst candidate)", (key, expected) => {
    const value = readMetric(runFigures({ comparisons: comparisons }), parseThreshold(key, "> 0"));
    if (expected === undefined) expect(value).toBeUndefined();
    else expect(value).toBeCloseTo(expected, 12);
  });

  it("is undefined for a comparison with no matched cases", () => {
    const empty = compareVariants([outcome("b", "x", true)], [outcome("c", "y", true)], 0.05, {
      candidateTarget: "int4",
    });
    expect(
      readMetric(runFigures({ comparisons: [empty] }), parseThreshold("compare.flips", "< 1%")),
    ).toBeUndefined();
  });
});

describe("compare thresholds through judge", () => {
  const evaluate = (key: string, expression: string) =>
    judge([parseThreshold(key, expression)], runFigures({ comparisons: comparisons }))[0]!;

  it("fails a drop beyond the limit that its interval shows, in pp", () => {
    const v = evaluate("compare.pass_rate_delta{candidate:int4}", "> -2pp");
    expect(v).toMatchObject({ pass: false, observed: -0.2, limit: -0.02, unit: "pp" });
    // Newcombe interval -28.45..-12.00pp by the independent computation in generate.py.
    expect(v.reason).toMatch(
      /^observed -20\.0pp \(95% CI -28\.4pp to -12\.0pp, Newcombe\): the whole interval is below -2pp: a drop of 2pp or more is shown \(p=2\.3e-5 < alpha 0\.05\) → fail$/,
    );
  });

  it("passes a drop beyond the limit that its interval does not show, with the power note", () => {
    const v = evaluate("compare.pass_rate_delta{candidate:fp8}", "> -1pp");
    expect(v.pass).toBe(true);
    expect(v.reason).toContain("a drop of 1pp or more is not shown: the interval reaches above -1pp");
    expect(v.reason).toMatch(
      /100 cases detect drops of \d+\.\dpp or more \(80% power\), about \d+ are needed for 1pp/,
    );
  });

  it.each<[string, string, (c: (typeof comparisons)[number]) => number]>([
    ["compare.pass_rate_delta.ci_low{candidate:fp8}", "> -5pp", (c) => c.gate!.lower],
    ["compare.pass_rate_delta.ci_high{candidate:int4}", "< 0pp", (c) => c.gate!.upper],
    ["compare.p_value{candidate:int4}", "< 0.05", (c) => c.gate!.pValue],
  ])("reads %s from the gate's interval", (key, expression, pick) => {
    const v = evaluate(key, expression);
    const c = comparisons.find((x) => key.includes(x.candidate.target))!;
    expect(v.observed).toBe(pick(c));
    expect(v.reason).toMatch(/^observed \S+, limit /);
  });

  it("reads an untagged bound as the candidate nearest to failing for its operator", () => {
    const lowest = Math.min(int4.gate!.lower, fp8.gate!.lower);
    const highest = Math.max(int4.gate!.upper, fp8.gate!.upper);
    expect(evaluate("compare.pass_rate_delta.ci_low", "> -5pp").observed).toBe(lowest);
    expect(evaluate("compare.pass_rate_delta.ci_high", "< 5pp").observed).toBe(highest);
    expect(evaluate("compare.p_value", "< 0.05").observed).toBe(
      Math.max(int4.gate!.pValue, fp8.gate!.pValue),
    );
  });

  it("prints pp metrics in pp and p-values as numbers", () => {
    expect(evaluate("compare.pass_rate_delta.ci_low{candidate:int4}", "> -10pp")).toMatchObject({
      unit: "pp",
      reason: `observed ${(int4.gate!.lower * 100).toFixed(2)}pp, limit > -10.00pp`,
    });
    expect(evaluate("compare.p_value{candidate:fp8}", "< 0.05").reason).toMatch(
      /^observed 0\.\d{3}, limit < 0\.050$/,
    );
  });

  it("judges every candidate when untagged, failing if any fails", () => {
    const v = evaluate("compare.pass_rate_delta", "> -2pp");
    expect(v.pass).toBe(false);
    expect(v.reason).toMatch(/^int4: observed -20\.0pp .* → fail; fp8: observed -2\.0pp .* → pass/);
    expect(v.reason).toContain("Holm-adjusted over 2 tests");
  });

  it("keeps the plain verdict for other comparison metrics", () => {
    expect(evaluate("compare.flips{candidate:fp8}", "<= 3%")).toMatchObject({
      pass: false,
      reason: "observed 4.00%, limit <= 3.00%",
    });
    expect(evaluate("compare.agreement{candidate:fp8}", ">= 95%").pass).toBe(true);
    expect(evaluate("compare.recovery{candidate:int4}", ">= 0.98").pass).toBe(false);
  });

  it("fails with no samples when the candidate was not compared", () => {
    const v = judge(
      [parseThreshold("compare.pass_rate_delta{candidate:int4}", "> -2pp")],
      runFigures({ comparisons: [] }),
    )[0]!;
    expect(v).toMatchObject({
      pass: false,
      reason: "no samples for compare.pass_rate_delta{candidate:int4}",
    });
  });
});

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

  it("fails a significant drop beyond the limit, saying both held", () => {
    const v = evaluate("compare.pass_rate_delta{candidate:int4}", "> -2pp");
    expect(v).toMatchObject({ pass: false, observed: -0.2, limit: -0.02, unit: "fraction" });
    // Newcombe interval -28.45..-12.00pp and p = 2 / 2^20 by the independent computation in generate.py.
    expect(v.reason).toBe(
      "observed -20.0pp (95% CI -28.4pp to -12.0pp), p=1.9e-6: a drop larger than 2pp and significant at alpha 0.05 → fail",
    );
  });

  it("passes a drop beyond the limit that is not significant, with the power note", () => {
    const v = evaluate("compare.pass_rate_delta{candidate:fp8}", "> -1pp");
    expect(v.pass).toBe(true);
    expect(v.reason).toContain("a drop larger than 1pp but not significant at alpha 0.05 → pass");
    expect(v.reason).toMatch(
      /100 cases detect drops of \d+\.\dpp or more \(80% power\), about \d+ are needed for 1pp/,
    );
  });

  it("judges every candidate when untagged, failing if any fails", () => {
    const v = evaluate("compare.pass_rate_delta", "> -2pp");
    expect(v.pass).toBe(false);
    expect(v.reason).toMatch(/^int4: observed -20\.0pp .* → fail; fp8: observed -2\.0pp .* → pass/);
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

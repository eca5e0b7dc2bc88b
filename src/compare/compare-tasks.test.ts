import { describe, expect, it } from "vitest";
import { judge } from "../thresholds/judge.js";
import { parseThreshold } from "../thresholds/parse.js";
import { runFigures } from "../thresholds/read.js";
import { outcome } from "../../test/helpers/outcomes.js";
import { compareVariants } from "./compare.js";
import { renderComparison } from "./render.js";

// Four labelled cases; the candidate reads one refund as shipping.
// Baseline: every label right, macro F1 1. Candidate: refund P 1 R 1/2 F1 2/3; shipping P 2/3 R 1 F1 0.8.
const labels = ["refund", "refund", "shipping", "shipping"];
const base = labels.map((l, i) => outcome("bf16", `c${i}`, true, l, { label: l }));
const cand = labels.map((l, i) => outcome("int4", `c${i}`, i !== 0, i === 0 ? "shipping" : l, { label: l }));

describe("classification in a comparison", () => {
  const c = compareVariants(base, cand, 0.05, { candidateTarget: "int4" });

  it("gives each side's macro and per-label F1 on the same cases", () => {
    expect(c.classification).toEqual({
      cases: 4,
      baselineMacroF1: 1,
      candidateMacroF1: expect.closeTo((2 / 3 + 0.8) / 2, 12),
      macroF1Delta: expect.closeTo((2 / 3 + 0.8) / 2 - 1, 12),
      perLabel: [
        { label: "refund", baselineF1: 1, candidateF1: expect.closeTo(2 / 3, 12) },
        { label: "shipping", baselineF1: 1, candidateF1: expect.closeTo(0.8, 12) },
      ],
    });
    expect(renderComparison(c)).toContain(
      "  macro F1     bf16 1.000, int4 0.733 (-0.267); per label refund 1.000 -> 0.667, shipping 1.000 -> 0.800",
    );
  });

  it("is a threshold metric, compare.macro_f1_delta", () => {
    const [v] = judge(
      [parseThreshold("compare.macro_f1_delta{candidate:int4}", "> -0.1")],
      runFigures({ comparisons: [c] }),
    );
    expect(v).toMatchObject({ pass: false, observed: expect.closeTo(-0.2667, 4) });
  });

  it("is absent without labelled cases", () => {
    const plain = compareVariants(
      base.map(({ label: _l, ...o }) => o),
      cand.map(({ label: _l, ...o }) => o),
    );
    expect(plain.classification).toBeUndefined();
  });
});

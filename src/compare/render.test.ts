import { describe, expect, it } from "vitest";
import { compareVariants } from "./compare.js";
import { renderComparison } from "./render.js";
import { outcome } from "../../test/helpers/outcomes.js";

describe("renderComparison", () => {
  const base = [
    outcome("bf16", "refund-1", true, "refund"),
    outcome("bf16", "refund-2", true, "refund"),
    outcome("bf16", "ship-1", false, "other"),
    outcome("bf16", "gone", true, "refund"),
  ];
  const cand = [
    outcome("int4", "refund-1", true, "refund"),
    outcome("int4", "refund-2", false, "unsure\nreally " + "x".repeat(100)),
    outcome("int4", "ship-1", true, "shipping"),
  ];
  const text = renderComparison(compareVariants(base, cand));

  it.each([
    "int4 vs bf16: 3 cases matched by id and prompt, 1 unmatched",
    "  pass rate    bf16 66.7% (95% CI 20.8%..93.9%), int4 66.7% (95% CI 20.8%..93.9%)",
    "  recovery     100.0%",
    "  delta        0.0pp (95% CI ",
    ", Newcombe; p=1.000 by the same interval): no difference shown at alpha 0.05",
    "  McNemar      exact p=1.000 on 1 regression / 1 improvement: another test of no difference",
    "  agreement    33.3% identical outputs (1 of 3)",
    "  power        3 cases are too few to detect any difference (80% power at alpha 0.05, Connor 1987)",
    "  regressions (1):",
    '    refund-2  "refund" -> "unsure really xxxxxxxxxxxxxxxxxxxxxxxxxx…"',
    "  improvements (1):",
    '    ship-1  "other" -> "shipping"',
    "  only in bf16: gone@v1",
  ])("shows %s", (line) => expect(text).toContain(line));

  it("caps the flips listed and says how many more there are", () => {
    const many = Array.from({ length: 30 }, (_, i) => i);
    const r = compareVariants(
      many.map((i) => outcome("b", `c${i}`, true)),
      many.map((i) => outcome("c", `c${i}`, false, "", { error: "timeout" })),
    );
    const out = renderComparison(r, { maxFlips: 5 });
    expect(out).toContain('    c0  "right" -> error: timeout');
    expect(out).toContain("    ... and 25 more (all in run.json)");
    expect(out).toContain("  improvements: none");
  });
});

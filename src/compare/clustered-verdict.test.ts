import { describe, expect, it } from "vitest";
import { judge } from "../thresholds/judge.js";
import { parseThreshold } from "../thresholds/parse.js";
import { runFigures } from "../thresholds/read.js";
import { outcome, pairedOutcomes, times } from "../../test/helpers/outcomes.js";
import { compareVariants } from "./compare.js";
import { renderComparison } from "./render.js";
import { formatP, formatPp } from "../thresholds/significance.js";
import type { CaseOutcome } from "../record/case-outcome.js";

// 40 cases, every regression in the first template. Independent, 8 of 40 regressing is a drop
// (McNemar p = 2/2^8); clustered, one template is one observation.
const spec = [...times(8, [true, false]), ...times(32, [true, true])] as Array<[boolean, boolean]>;
const { base, cand } = pairedOutcomes(spec);
const templates = (size: number) => (list: CaseOutcome[]) =>
  list.map((o, i) => ({ ...o, cluster: `template-${Math.floor(i / size)}` }));

function gate(comparisons: ReturnType<typeof compareVariants>[], expression = "> -2pp") {
  return judge(
    [parseThreshold("compare.pass_rate_delta{candidate:int4}", expression)],
    runFigures({ comparisons }),
  )[0]!;
}
const named = { candidateTarget: "int4" };

describe("clustered cases in a delta verdict", () => {
  const plain = compareVariants(base, cand, 0.05, named);
  const eight = compareVariants(templates(5)(base), templates(5)(cand), 0.05, named);
  const four = compareVariants(templates(10)(base), templates(10)(cand), 0.05, named);

  it("uses the outcomes' clusters without being told, and widens the interval", () => {
    expect(plain.clustered).toBeUndefined();
    expect(eight.clustered).toMatchObject({ clusters: 8, df: 7, difference: -0.2 });
    expect(eight.gate!.upper - eight.gate!.lower).toBeGreaterThan(plain.gate!.upper - plain.gate!.lower);
  });

  it("judges by the cluster-robust interval, naming it, with its own p", () => {
    expect(gate([plain]).pass).toBe(false);
    const v = gate([eight]);
    const g = eight.gate!;
    expect(v.reason).toContain(
      `(95% CI ${formatPp(g.lower)} to ${formatPp(g.upper)}, cluster-robust over 8 clusters: CR1, t on 7 df)`,
    );
    expect(v.pass).toBe(true);
    expect(v.reason).toContain("a drop of 2pp or more is not shown");
  });

  it("gives no verdict below five clusters, and says so (the old CR0 gate judged 4 clusters)", () => {
    const v = gate([four]);
    expect(four.clustered).toMatchObject({ clusters: 4, tooFewClusters: true });
    expect(four.gate).toBeUndefined();
    expect(v).toMatchObject({ pass: false });
    expect(v.reason).toBe(
      "observed -20.0pp: no verdict, 4 clusters are fewer than the 5 a cluster-robust interval needs " +
        "(cases sharing a cluster, or the runs of a repeated case, count once) → fail",
    );
    expect(renderComparison(four)).toContain(
      "  delta        -20.0pp: no interval and no verdict, 4 clusters",
    );
  });

  it("names the test whose p it prints: McNemar's p on the McNemar line, the interval's on the delta line", () => {
    const text = renderComparison(eight);
    expect(text).toContain(
      `  McNemar      exact ${formatP(eight.mcnemar.pValue)} on 8 regressions / 0 improvements: not used, it assumes independent pairs`,
    );
    expect(text).toContain(
      `${formatP(eight.gate!.pValue)} by the same interval): no difference shown at alpha 0.05`,
    );
    expect(renderComparison(plain)).toMatch(
      /McNemar {6}exact p=0\.008 on 8 regressions \/ 0 improvements: another test of no difference, more conservative; the interval decides/,
    );
  });

  it("never prints a zero-width interval for degenerate clusters", () => {
    // 10 templates, each half regressions and half unchanged: CR1 is zero-width at -50pp.
    const pairs = Array.from({ length: 40 }, (_, i): [boolean, boolean] => [true, i % 2 === 0]);
    const { base: b, cand: c } = pairedOutcomes(pairs);
    const r = compareVariants(templates(4)(b), templates(4)(c), 0.05, named);
    expect(r.clustered!.upper - r.clustered!.lower).toBe(0);
    expect(r.gate!.upper - r.gate!.lower).toBeGreaterThan(0.2);
    expect(r.gate!.pValue).toBeGreaterThan(0);
    expect(renderComparison(r)).not.toContain("-50.0pp to -50.0pp");
  });
});

describe("repeated cases in the headline and the power note", () => {
  // 400 questions, `repeat: 2`, every run the same: 40 regress twice, 10 improve twice.
  const runs = (target: string, pass: (i: number) => boolean, repeat = 2) =>
    Array.from({ length: 400 }, (_, i) =>
      repeat === 1
        ? [outcome(target, `q${i}`, pass(i))]
        : [0, 1].map((attempt) =>
            outcome(target, `q${i}`, pass(i), undefined, { attempt, cluster: `case:q${i}` }),
          ),
    ).flat();
  const r = compareVariants(
    runs("b", (i) => i >= 10),
    runs("c", (i) => i < 10 || i >= 50),
    0.05,
    { baselineTarget: "bf16", candidateTarget: "int4" },
  );
  const text = renderComparison(r);

  it("counts cases, not attempts, and names the runs of each flip", () => {
    expect(text).toContain("int4 vs bf16: 400 cases × their runs (800 pairs) matched by id and prompt");
    expect(text).toContain("cluster-robust over 400 cases: CR1, t on 399 df, design effect 2.00");
    expect(text).toContain("    q10 (run 1)  ");
    expect(text).toContain("    q10 (run 2)  ");
    // Before: "800 cases detect ..."; the note is the one 400 cases run once would give.
    const once = compareVariants(
      runs("b", (i) => i >= 10, 1),
      runs("c", (i) => i < 10 || i >= 50, 1),
    );
    const detect = /detect a difference of (\d+\.\dpp)/;
    expect(renderComparison(once)).toContain("  power        400 cases detect");
    expect(text).toContain("  power        400 independent cases (800 pairs / design effect 2.00) detect");
    expect(detect.exec(text)![1]).toBe(detect.exec(renderComparison(once))![1]);
  });
});

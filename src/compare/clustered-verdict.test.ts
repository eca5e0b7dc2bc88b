import { describe, expect, it } from "vitest";
import { judge } from "../thresholds/judge.js";
import { parseThreshold } from "../thresholds/parse.js";
import { runFigures } from "../thresholds/read.js";
import { pairedOutcomes, times } from "../../test/helpers/outcomes.js";
import { compareVariants } from "./compare.js";
import { renderComparison } from "./render.js";
import { formatP, formatPp } from "../thresholds/significance.js";

// 40 cases in 4 templates of 10: every regression sits in one template. Independent, 8 of 40
// regressing is significant (McNemar p = 2/2^8); clustered, one template is one observation.
const spec = [...times(8, [true, false]), ...times(32, [true, true])] as Array<[boolean, boolean]>;
const { base, cand } = pairedOutcomes(spec);
const withCluster = <T extends { caseId: string }>(list: T[]) =>
  list.map((o, i) => ({ ...o, cluster: `template-${Math.floor(i / 10)}` }));

function gate(comparisons: ReturnType<typeof compareVariants>[]) {
  return judge(
    [parseThreshold("compare.pass_rate_delta{candidate:int4}", "> -2pp")],
    runFigures({ comparisons: comparisons }),
  )[0]!;
}

describe("clustered cases in a regression verdict", () => {
  const plain = compareVariants(base, cand, 0.05, { candidateTarget: "int4" });
  const clustered = compareVariants(withCluster(base), withCluster(cand), 0.05, { candidateTarget: "int4" });

  it("uses the outcomes' clusters without being told, and widens the interval", () => {
    expect(plain.clustered).toBeUndefined();
    expect(clustered.clustered).toMatchObject({ clusters: 4, difference: -0.2 });
    expect(clustered.clustered!.upper - clustered.clustered!.lower).toBeGreaterThan(
      plain.delta.wald.upper - plain.delta.wald.lower,
    );
  });

  it("judges by the cluster-robust interval and the larger p, and says so", () => {
    expect(gate([plain]).pass).toBe(false);
    const v = gate([clustered]);
    const cl = clustered.clustered!;
    expect(cl.pValue).toBeGreaterThan(clustered.mcnemar.pValue);
    expect(v.reason).toContain(
      `(95% CI ${formatPp(cl.lower)} to ${formatPp(cl.upper)}, cluster-robust over 4 clusters), ${formatP(cl.pValue)}:`,
    );
    // Here the clustered test does not reach significance, so the drop passes, and the verdict says why.
    expect(cl.pValue).toBeGreaterThan(0.05);
    expect(v.pass).toBe(true);
    expect(v.reason).toContain("a drop larger than 2pp but not significant at alpha 0.05 → pass");
    expect(renderComparison(clustered)).toContain("0 improvements: not significant at alpha 0.05");
    expect(renderComparison(plain)).toContain("0 improvements: significant at alpha 0.05");
  });
});

import type { VerdictHook } from "../thresholds/evaluate.js";
import type { Threshold } from "../thresholds/parse.js";
import type { ComparisonResult } from "../record/comparison.js";
import { regressionVerdict } from "./verdict.js";

/** The comparisons a threshold names: its `candidate` tag's, or every candidate's when untagged. */
function selected(comparisons: ComparisonResult[], t: Threshold): ComparisonResult[] {
  return comparisons.filter(
    (c) => c.matched > 0 && (!t.tags.candidate || c.candidate.target === t.tags.candidate),
  );
}

const flipRate = (c: ComparisonResult) =>
  (c.flips.regressions.length + c.flips.improvements.length) / c.matched;

/**
 * Resolves `compare.*` metrics: pass_rate_delta (candidate - baseline), recovery (candidate /
 * baseline), flips (flipped / matched cases), agreement (identical outputs / matched cases) and
 * macro_f1_delta (candidate - baseline macro F1 on the matched labelled cases).
 * Untagged, over several candidates, it reads the worst candidate (lowest delta, recovery and
 * agreement; most flips). Undefined when no comparison with matched cases applies.
 */
export function comparisonMetric(comparisons: ComparisonResult[], t: Threshold): number | undefined {
  const value = (c: ComparisonResult): number => {
    switch (t.metric) {
      case "compare.pass_rate_delta":
        return c.delta.difference;
      case "compare.recovery":
        return c.recovery;
      case "compare.flips":
        return flipRate(c);
      case "compare.agreement":
        return c.agreement.rate;
      case "compare.macro_f1_delta":
        return c.classification?.macroF1Delta ?? Number.NaN;
      default:
        return Number.NaN;
    }
  };
  const values = selected(comparisons, t)
    .map(value)
    .filter((v) => !Number.isNaN(v));
  if (values.length === 0) return undefined;
  return t.metric === "compare.flips" ? Math.max(...values) : Math.min(...values);
}

/**
 * Judges `compare.pass_rate_delta` thresholds by the significance rule (see regressionVerdict): per
 * candidate, failing when any named candidate fails. With clustered cases (`cluster:` or repeats)
 * the interval is the cluster-robust one and p the larger of McNemar's and the clustered z-test's.
 * Other metrics keep the plain verdict.
 */
export function comparisonVerdictHook(comparisons: ComparisonResult[]): VerdictHook {
  return (t) => {
    if (t.metric !== "compare.pass_rate_delta") return undefined;
    const judged = selected(comparisons, t).map((c) => {
      // Clustered cases are not independent, which McNemar assumes: judge by the cluster-robust
      // interval, and call a drop significant only when both tests say so (the larger p).
      const cl = c.clustered;
      return {
        candidate: c.candidate.target,
        verdict: regressionVerdict(
          c.delta.difference,
          cl ?? c.delta,
          cl ? Math.max(c.mcnemar.pValue, cl.pValue) : c.mcnemar.pValue,
          t.limit,
          c.alpha,
          {
            op: t.op,
            cases: c.matched,
            discordance: (c.mcnemar.b + c.mcnemar.c) / c.matched,
            ...(cl ? { basis: `cluster-robust over ${cl.clusters} clusters` } : {}),
          },
        ),
      };
    });
    if (judged.length === 0) return undefined;
    if (judged.length === 1) return judged[0]!.verdict;
    return {
      pass: judged.every((j) => j.verdict.pass),
      reason: judged.map((j) => `${j.candidate}: ${j.verdict.reason}`).join("; "),
    };
  };
}

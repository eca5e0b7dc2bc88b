import type { CaseOutcome } from "../record/case-outcome.js";
import { compareVariants, type CompareOptions } from "./compare.js";
import { type ComparisonResult } from "../record/comparison.js";

/** The suite's `compare:` section as the plan holds it. */
export interface CompareSpec {
  baseline: string;
  candidates: string[];
  alpha: number;
}

/**
 * Each candidate against the baseline, from one run's case outcomes. A pair is left out when either
 * side has no outcomes (not selected with --target, or unreachable), so a threshold on it reports
 * "no samples" rather than judging an empty comparison.
 */
export function compareRunVariants(
  spec: CompareSpec,
  outcomes: CaseOutcome[],
  options: Pick<CompareOptions, "clusterOf"> = {},
): ComparisonResult[] {
  const of = (target: string) => outcomes.filter((o) => o.target === target);
  const baseline = of(spec.baseline);
  if (baseline.length === 0) return [];
  return spec.candidates.flatMap((name) => {
    const candidate = of(name);
    if (candidate.length === 0) return [];
    return [
      compareVariants(baseline, candidate, spec.alpha, {
        ...options,
        baselineTarget: spec.baseline,
        candidateTarget: name,
      }),
    ];
  });
}

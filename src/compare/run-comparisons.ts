import type { CaseOutcome } from "../record/case-outcome.js";
import type { ComparisonResult } from "../record/comparison.js";
import type { CompareSpec } from "../thresholds/needs.js";
import { compareVariants, type CompareOptions } from "./compare.js";

export type { CompareSpec } from "../thresholds/needs.js";

/**
 * Each candidate against the baseline, from one run's case outcomes: targets over the same cases
 * (`by: target`), or prompts over the cases that ran under both, paired by case id, on each target
 * that ran them (`by: prompt`; `targets` narrows which). A pair is left out when either side has no
 * outcomes (not selected with --target, or unreachable), so a threshold on it reports "no samples"
 * rather than judging an empty comparison.
 */
export function compareRunVariants(
  spec: CompareSpec & { targets?: readonly string[] },
  outcomes: CaseOutcome[],
  options: Pick<CompareOptions, "clusterOf"> = {},
): ComparisonResult[] {
  if (spec.by === "prompt") return comparePrompts(spec, outcomes, options);
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

function comparePrompts(
  spec: CompareSpec & { targets?: readonly string[] },
  outcomes: CaseOutcome[],
  options: Pick<CompareOptions, "clusterOf">,
): ComparisonResult[] {
  const targets = [...new Set(outcomes.map((o) => o.target))].filter(
    (t) => !spec.targets || spec.targets.includes(t),
  );
  return targets.flatMap((target) => {
    const of = (prompt: string) => outcomes.filter((o) => o.target === target && o.prompt.name === prompt);
    const baseline = of(spec.baseline);
    if (baseline.length === 0) return [];
    return spec.candidates.flatMap((name) => {
      const candidate = of(name);
      if (candidate.length === 0) return [];
      const result = compareVariants(baseline, candidate, spec.alpha, {
        ...options,
        baselineTarget: spec.baseline,
        candidateTarget: name,
        pairBy: "case",
      });
      // Both sides are one target: the comparison is of prompts, named by them.
      const { pairedBy: _pairedBy, ...rest } = result;
      return [{ ...rest, by: { kind: "prompt" as const, target } }];
    });
  });
}

import type { PlanCase } from "../config/plan.js";
import type { PairBy } from "../compare/compare.js";
import { pairingProblems } from "../compare/pairing.js";
import { compareSavedRuns, phaseRatios } from "../compare/saved-runs.js";
import { UsageError } from "../errors.js";
import type { RunResult } from "../record/run-result.js";
import type { Verdict } from "../record/verdict.js";

/** A saved run to compare this one with (`--baseline`), read before anything is sent. */
export interface Baseline {
  /** As given on the command line: run.json records it and the verdicts' reasons name it. */
  file: string;
  run: RunResult;
  /** `--pair-by`: how cases pair with the saved run's (absent: by id and prompt, not chosen). */
  pairBy?: PairBy;
}

/**
 * The `--baseline` pairing, checked before anything is sent: the cases this run will send on
 * `targets` against the saved run's cases of the same target names. Throws UsageError (exit 2) when
 * no target has cases on both sides, or when a target's cases do not pair (nothing pairs; a prompt
 * changed and no --pair-by was chosen; --pair-by case with a case under several prompts).
 */
export function checkBaselinePairing(
  cases: readonly PlanCase[],
  targets: readonly string[],
  baseline: Baseline,
): void {
  const saved = baseline.run.quality.cases;
  const savedTargets = [...new Set(saved.map((c) => c.target))];
  if (cases.length === 0)
    throw new UsageError(`--baseline compares quality cases, and this run sends none (--only load?)`);
  const both = targets.filter((t) => savedTargets.includes(t));
  if (both.length === 0) {
    throw new UsageError(
      `--baseline ${baseline.file}: no target of this run has quality cases there (it has: ${savedTargets.join(", ") || "none"}; this run: ${targets.join(", ")})`,
    );
  }
  const planned = cases.map((c) => ({ caseId: c.id, prompt: c.prompt }));
  for (const target of both) {
    const problems = pairingProblems(
      saved.filter((c) => c.target === target),
      planned,
      baseline.pairBy,
    );
    if (problems.length > 0)
      throw new UsageError(`--baseline ${baseline.file}, target ${target}: ${problems.join("; ")}`);
  }
}

/**
 * `--baseline`: the run's quality cases paired with the saved run's, target by target of the same
 * name (by id and prompt, or by id alone with `pairBy: case`), each gated by "no drop shown"
 * (compare.pass_rate_delta >= 0pp, judged by its interval), and latency and throughput as new / old
 * ratios. The suite's own compare.* thresholds judged the suite's pairs already, so only these
 * gates are added. Returns the result with its `baseline` block and the gates appended to its
 * verdicts, keyed "baseline <key>" and marked as coming from the baseline. Throws UsageError when
 * no target has cases in both runs.
 */
export function withBaseline(result: RunResult, baseline: Baseline): RunResult {
  const against = compareSavedRuns(
    baseline.run,
    { ...result, thresholds: [] },
    baseline.pairBy ? { pairBy: baseline.pairBy } : {},
    { old: baseline.file, new: "this run" },
  );
  const gates: Verdict[] = against.verdicts.map((v) => ({
    ...v,
    key: `baseline ${v.key}`,
    source: "baseline",
  }));
  return {
    ...result,
    thresholds: [...result.thresholds, ...gates],
    baseline: {
      file: baseline.file,
      comparisons: against.comparisons,
      ratios: phaseRatios(baseline.run, result),
    },
  };
}

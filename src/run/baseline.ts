import { compareSavedRuns, phaseRatios } from "../compare/saved-runs.js";
import type { RunResult } from "../record/run-result.js";
import type { Verdict } from "../record/verdict.js";

/** A saved run to compare this one with (`--baseline`), read before anything is sent. */
export interface Baseline {
  /** As given on the command line: run.json records it and the verdicts' reasons name it. */
  file: string;
  run: RunResult;
}

/**
 * `--baseline`: the run's quality cases paired with the saved run's, target by target of the same
 * name, each gated by "no significant pass-rate drop" (compare.pass_rate_delta >= -0pp with the
 * significance rule), and latency and throughput as new / old ratios. The suite's own compare.*
 * thresholds judged the suite's pairs already, so only these gates are added. Returns the result
 * with its `baseline` block and the gates appended to its verdicts, keyed "baseline <key>" and
 * marked as coming from the baseline. Throws UsageError when no target has cases in both runs.
 */
export function withBaseline(result: RunResult, baseline: Baseline): RunResult {
  const against = compareSavedRuns(
    baseline.run,
    { ...result, thresholds: [] },
    {},
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

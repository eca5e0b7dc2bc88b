import { compareSavedRuns, phaseRatios } from "../compare/saved-runs.js";
import type { RunResult } from "../record/run-result.js";
import { readRun } from "../record/read-run.js";

/** The saved run behind --baseline, read before anything is sent: a bad file is a usage error (exit 2). */
export async function readBaseline(
  file: string | undefined,
): Promise<{ file: string; run: RunResult } | undefined> {
  return file ? { file, run: await readRun(file) } : undefined;
}

/**
 * "No worse than the baseline": adds the comparison with the saved run to `result`, and a verdict
 * per comparison, so any significant pass-rate drop of a target fails (exit 99).
 */
export function applyBaseline(result: RunResult, baseline: { file: string; run: RunResult }): void {
  const against = compareSavedRuns(
    baseline.run,
    { ...result, thresholds: [] },
    {},
    { old: baseline.file, new: "this run" },
  );
  result.baseline = {
    file: baseline.file,
    comparisons: against.comparisons,
    ratios: phaseRatios(baseline.run, result),
  };
  result.thresholds.push(...against.verdicts.map((v) => ({ ...v, key: `baseline ${v.key}` })));
}

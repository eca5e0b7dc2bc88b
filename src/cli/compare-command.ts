import { renderComparison } from "../compare/render.js";
import { compareSavedRuns, phaseRatios, renderPhaseRatios } from "../compare/saved-runs.js";
import type { ExitCodeValue } from "../errors.js";
import { exitCodeOf } from "../record/exit-code.js";
import { readRun } from "../record/read-run.js";

export interface CompareCommandOptions {
  baselineTarget?: string;
  candidateTarget?: string;
  alpha?: string;
  maxDrop?: string;
  pairBy?: string;
  json?: boolean;
}

export async function compareCommand(
  oldFile: string,
  newFile: string,
  opts: CompareCommandOptions,
): Promise<ExitCodeValue> {
  const [oldRun, newRun] = [await readRun(oldFile), await readRun(newFile)];
  const { comparisons, verdicts, skipped } = compareSavedRuns(oldRun, newRun, opts, {
    old: oldFile,
    new: newFile,
  });
  const ratios = phaseRatios(oldRun, newRun);
  if (opts.json) {
    process.stdout.write(
      JSON.stringify({ comparisons, thresholds: verdicts, skipped, ratios }, null, 2) + "\n",
    );
  } else {
    const lines = comparisons.map((c) => renderComparison(c));
    if (ratios.length > 0) lines.push(renderPhaseRatios(ratios));
    lines.push(
      verdicts
        .map((v) => `${v.pass ? "PASS" : "FAIL"}  ${v.key} ${v.expression}: ${v.reason}`)
        .concat(skipped.map((k) => `SKIP  ${k}: no such candidate in this comparison`))
        .join("\n"),
    );
    process.stdout.write(lines.join("\n\n") + "\n");
  }
  for (const v of verdicts.filter((v) => !v.pass))
    process.stderr.write(`threshold failed: ${v.key} ${v.expression}: ${v.reason}\n`);
  return exitCodeOf({ status: "completed", verdicts });
}

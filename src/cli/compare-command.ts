import { readFile } from "node:fs/promises";
import { renderComparison } from "../compare/render.js";
import { compareSavedRuns, phaseRatios, renderPhaseRatios } from "../compare/saved-runs.js";
import { ExitCode, UsageError, type ExitCodeValue } from "../errors.js";
import { RUN_SCHEMA_VERSION, type RunResult } from "../run/result.js";

export interface CompareCommandOptions {
  baselineTarget?: string;
  candidateTarget?: string;
  alpha?: string;
  maxDrop?: string;
  json?: boolean;
}

export async function readRun(file: string): Promise<RunResult> {
  let run: RunResult;
  try {
    run = JSON.parse(await readFile(file, "utf8")) as RunResult;
  } catch (err) {
    throw new UsageError(`${file}: cannot read a run (${(err as Error).message})`);
  }
  if (run.schemaVersion !== RUN_SCHEMA_VERSION || !Array.isArray(run.quality?.cases)) {
    throw new UsageError(
      `${file}: not a run.json of schema version ${RUN_SCHEMA_VERSION} (found ${String(run.schemaVersion)})`,
    );
  }
  return run;
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
  return verdicts.some((v) => !v.pass) ? ExitCode.thresholdFailed : ExitCode.ok;
}

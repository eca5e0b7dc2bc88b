import { readFile } from "node:fs/promises";
import { compareVariants, type ComparisonResult } from "../compare/compare.js";
import { renderComparison } from "../compare/render.js";
import { comparisonVerdictHook } from "../compare/thresholds.js";
import { ExitCode, UsageError, type ExitCodeValue } from "../errors.js";
import { RUN_SCHEMA_VERSION, type RunResult } from "../run/result.js";
import { evaluateThresholds } from "../thresholds/evaluate.js";
import { createLookup } from "../thresholds/lookup.js";
import { parseThreshold, ThresholdSyntaxError, type Threshold } from "../thresholds/parse.js";

export interface CompareCommandOptions {
  baselineTarget?: string;
  candidateTarget?: string;
  alpha?: string;
  maxDrop?: string;
  json?: boolean;
}

async function readRun(file: string): Promise<RunResult> {
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

const targetsWithCases = (run: RunResult) => [...new Set(run.quality.cases.map((c) => c.target))];

function parseAlpha(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const alpha = Number(text);
  if (!(alpha > 0 && alpha < 1))
    throw new UsageError(`--alpha expects a number between 0 and 1, got ${text}`);
  return alpha;
}

/** The regression gate for a candidate that no compare.pass_rate_delta threshold covers. */
function defaultGate(candidate: string, maxDrop: string): Threshold {
  if (!/^\d+(\.\d+)?(pp|%)?$/.test(maxDrop.trim()))
    throw new UsageError(`--max-drop expects e.g. 2pp, 2% or 0.02, got ${maxDrop}`);
  try {
    return parseThreshold(`compare.pass_rate_delta{candidate:${candidate}}`, `>= -${maxDrop.trim()}`);
  } catch (err) {
    if (err instanceof ThresholdSyntaxError) throw new UsageError(`--max-drop: ${err.message}`);
    throw err;
  }
}

/**
 * `gauntlet compare OLD.json NEW.json`: pairs OLD's cases of the baseline target with NEW's of the
 * candidate target by case id and prompt version (by default every target name present in both
 * runs, each against itself), prints each comparison and applies NEW's `compare.*` thresholds to it
 * (tagged for that candidate, or untagged), with the significance rule for pass_rate_delta. When
 * NEW has no pass_rate_delta threshold for a candidate, its gate is `compare.pass_rate_delta >=
 * -<max-drop>` (default 0pp: any significant drop fails). Alpha: --alpha, else the alpha NEW's own
 * comparison of that candidate used, else 0.05. Exit 0, 99 when a threshold fails, 2 on bad input.
 */
export async function compareCommand(
  oldFile: string,
  newFile: string,
  opts: CompareCommandOptions,
): Promise<ExitCodeValue> {
  const [oldRun, newRun] = [await readRun(oldFile), await readRun(newFile)];
  const alphaOption = parseAlpha(opts.alpha);
  const oldTargets = targetsWithCases(oldRun);
  const newTargets = targetsWithCases(newRun);
  const pairs: Array<[string, string]> =
    opts.baselineTarget || opts.candidateTarget
      ? [[(opts.baselineTarget ?? opts.candidateTarget)!, (opts.candidateTarget ?? opts.baselineTarget)!]]
      : oldTargets.filter((t) => newTargets.includes(t)).map((t) => [t, t]);
  if (pairs.length === 0) {
    throw new UsageError(
      `no target has quality cases in both runs (${oldFile}: ${oldTargets.join(", ") || "none"}; ${newFile}: ${newTargets.join(", ") || "none"})`,
      "name the pair with --baseline-target and --candidate-target",
    );
  }
  const comparisons: ComparisonResult[] = pairs.map(([baseline, candidate]) => {
    if (!oldTargets.includes(baseline))
      throw new UsageError(
        `${oldFile}: no quality cases for target "${baseline}" (has: ${oldTargets.join(", ") || "none"})`,
      );
    if (!newTargets.includes(candidate))
      throw new UsageError(
        `${newFile}: no quality cases for target "${candidate}" (has: ${newTargets.join(", ") || "none"})`,
      );
    const alpha =
      alphaOption ?? (newRun.comparisons ?? []).find((c) => c.candidate.target === candidate)?.alpha ?? 0.05;
    const result = compareVariants(
      oldRun.quality.cases.filter((c) => c.target === baseline),
      newRun.quality.cases.filter((c) => c.target === candidate),
      alpha,
      { baselineTarget: baseline, candidateTarget: candidate },
    );
    if (result.matched === 0) {
      throw new UsageError(
        `no case of "${baseline}" in ${oldFile} matches one of "${candidate}" in ${newFile} by case id and prompt version`,
      );
    }
    return result;
  });

  const candidates = new Set(comparisons.map((c) => c.candidate.target));
  const defined = newRun.thresholds
    .filter((v) => v.key.startsWith("compare."))
    .map((v) => parseThreshold(v.key, v.expression));
  const applies = (t: Threshold) => !t.tags.candidate || candidates.has(t.tags.candidate);
  const thresholds = defined.filter(applies);
  const skipped = defined.filter((t) => !applies(t)).map((t) => t.key);
  for (const candidate of candidates) {
    const gated = thresholds.some(
      (t) => t.metric === "compare.pass_rate_delta" && (!t.tags.candidate || t.tags.candidate === candidate),
    );
    if (!gated) thresholds.push(defaultGate(candidate, opts.maxDrop ?? "0pp"));
  }
  const verdicts = evaluateThresholds(
    thresholds,
    createLookup([], [], [], comparisons),
    comparisonVerdictHook(comparisons),
  );

  if (opts.json) {
    process.stdout.write(JSON.stringify({ comparisons, thresholds: verdicts, skipped }, null, 2) + "\n");
  } else {
    const lines = comparisons.map((c) => renderComparison(c));
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

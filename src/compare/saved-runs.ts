import { UsageError } from "../errors.js";
import { summarizePhase } from "../metrics/aggregate.js";
import type { ComparisonResult, PhaseRatio } from "../record/comparison.js";
import type { RunResult } from "../record/run-result.js";
import { sourceOf, type Threshold, type Verdict } from "../record/verdict.js";
import { judge } from "../thresholds/judge.js";
import type { MetricName } from "../thresholds/metrics.js";
import { parseThreshold, ThresholdSyntaxError, thresholdOf } from "../thresholds/parse.js";
import { runFigures } from "../thresholds/read.js";
import { compareVariants } from "./compare.js";

export interface SavedRunComparisonOptions {
  baselineTarget?: string;
  candidateTarget?: string;
  alpha?: string;
  maxDrop?: string;
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
function defaultGate(candidate: string, maxDrop: string): Threshold<MetricName> {
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
 * Pairs OLD's cases of the baseline target with NEW's of the candidate target by case id and
 * prompt version (by default every target name present in both runs), and applies NEW's compare.*
 * thresholds with the significance rule; a candidate no pass_rate_delta threshold covers is gated
 * by `compare.pass_rate_delta >= -<maxDrop>` (default 0pp: any significant drop fails). Throws
 * UsageError when nothing can be paired.
 */
export function compareSavedRuns(
  oldRun: RunResult,
  newRun: RunResult,
  opts: SavedRunComparisonOptions,
  names: { old: string; new: string },
): { comparisons: ComparisonResult[]; verdicts: Verdict[]; skipped: string[] } {
  const alphaOption = parseAlpha(opts.alpha);
  const oldTargets = targetsWithCases(oldRun);
  const newTargets = targetsWithCases(newRun);
  const pairs: Array<[string, string]> =
    opts.baselineTarget || opts.candidateTarget
      ? [[(opts.baselineTarget ?? opts.candidateTarget)!, (opts.candidateTarget ?? opts.baselineTarget)!]]
      : oldTargets.filter((t) => newTargets.includes(t)).map((t) => [t, t]);
  if (pairs.length === 0) {
    throw new UsageError(
      `no target has quality cases in both runs (${names.old}: ${oldTargets.join(", ") || "none"}; ${names.new}: ${newTargets.join(", ") || "none"})`,
      "name the pair with --baseline-target and --candidate-target",
    );
  }
  const comparisons: ComparisonResult[] = pairs.map(([baseline, candidate]) => {
    if (!oldTargets.includes(baseline))
      throw new UsageError(
        `${names.old}: no quality cases for target "${baseline}" (has: ${oldTargets.join(", ") || "none"})`,
      );
    if (!newTargets.includes(candidate))
      throw new UsageError(
        `${names.new}: no quality cases for target "${candidate}" (has: ${newTargets.join(", ") || "none"})`,
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
        `no case of "${baseline}" in ${names.old} matches one of "${candidate}" in ${names.new} by case id and prompt version`,
      );
    }
    return result;
  });

  const candidates = new Set(comparisons.map((c) => c.candidate.target));
  // NEW's own compare.* thresholds; the gates of a --baseline it was made with judged another pair.
  let defined: Array<Threshold<MetricName>>;
  try {
    defined = newRun.thresholds
      .filter((v) => sourceOf(v) === "suite")
      .map(thresholdOf)
      .filter((t) => t.metric.startsWith("compare."));
  } catch (err) {
    if (err instanceof ThresholdSyntaxError) throw new UsageError(`${names.new}: ${err.message}`);
    throw err;
  }
  const applies = (t: Threshold) => !t.tags.candidate || candidates.has(t.tags.candidate);
  const thresholds = defined.filter(applies);
  const skipped = defined.filter((t) => !applies(t)).map((t) => t.key);
  for (const candidate of candidates) {
    const gated = thresholds.some(
      (t) => t.metric === "compare.pass_rate_delta" && (!t.tags.candidate || t.tags.candidate === candidate),
    );
    if (!gated) thresholds.push(defaultGate(candidate, opts.maxDrop ?? "0pp"));
  }
  const verdicts = judge(thresholds, runFigures({ comparisons }));

  return { comparisons, verdicts, skipped };
}

/** new / old latency and throughput for every (target, phase) both runs measured. */
export function phaseRatios(oldRun: RunResult, newRun: RunResult): PhaseRatio[] {
  return newRun.phases.flatMap((n) => {
    const o = oldRun.phases.find((p) => p.target === n.target && p.phase === n.phase);
    if (!o || o.successes === 0 || n.successes === 0) return [];
    const [a, b] = [summarizePhase(o), summarizePhase(n)];
    const r = (x: number, y: number) => (x > 0 ? y / x : Number.NaN);
    return [
      {
        target: n.target,
        phase: n.phase,
        ttftP50: r(a.latencyMs.ttft.p50, b.latencyMs.ttft.p50),
        ttftP95: r(a.latencyMs.ttft.p95, b.latencyMs.ttft.p95),
        itlP50: r(a.latencyMs.itl.p50, b.latencyMs.itl.p50),
        e2eP95: r(a.latencyMs.e2e.p95, b.latencyMs.e2e.p95),
        outputThroughput: r(a.outputThroughput, b.outputThroughput),
      },
    ];
  });
}

/** The ratios as an aligned table; "-" where a side had no samples. */
export function renderPhaseRatios(ratios: PhaseRatio[]): string {
  const f = (x: number) => (Number.isNaN(x) ? "-" : `${x.toFixed(2)}x`);
  return [
    "vs baseline (new / old)   ttft p50  ttft p95  itl p50  e2e p95  out tok/s",
    ...ratios.map(
      (r) =>
        `  ${`${r.target}/${r.phase}`.padEnd(24)}${f(r.ttftP50).padStart(8)}${f(r.ttftP95).padStart(10)}${f(r.itlP50).padStart(9)}${f(r.e2eP95).padStart(9)}${f(r.outputThroughput).padStart(11)}`,
    ),
  ].join("\n");
}

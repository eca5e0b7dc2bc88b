import { UsageError } from "../errors.js";
import { summarizePhase } from "../metrics/aggregate.js";
import type { ComparisonResult, PhaseRatio } from "../record/comparison.js";
import type { RunResult } from "../record/run-result.js";
import { sourceOf, type Threshold, type Verdict } from "../record/verdict.js";
import { judge } from "../thresholds/judge.js";
import type { MetricName } from "../thresholds/metrics.js";
import { parseThreshold, ThresholdSyntaxError, thresholdOf } from "../thresholds/parse.js";
import { runFigures } from "../thresholds/read.js";
import { compareVariants, type PairBy } from "./compare.js";
import { pairingProblems } from "./pairing.js";

export interface SavedRunComparisonOptions {
  baselineTarget?: string;
  candidateTarget?: string;
  alpha?: string;
  maxDrop?: string;
  /** `case` or `prompt` (see PairBy); absent: by id and prompt, with a changed prompt an error. */
  pairBy?: string;
}

/** --pair-by as given: `case`, `prompt`, or absent (the default, not chosen). */
export function parsePairBy(text: string | undefined): PairBy | undefined {
  if (text === undefined || text === "case" || text === "prompt") return text;
  throw new UsageError(`--pair-by expects case or prompt, got ${text}`);
}

const targetsWithCases = (run: RunResult) => [...new Set(run.quality.cases.map((c) => c.target))];

function parseAlpha(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const alpha = Number(text);
  if (!(alpha > 0 && alpha < 1))
    throw new UsageError(`--alpha expects a number between 0 and 1, got ${text}`);
  return alpha;
}

/**
 * The gate for a candidate that no compare.pass_rate_delta threshold covers: it fails only when the
 * interval shows a drop of more than `maxDrop` (`>= -2pp`; with 0, `>= 0pp`: any drop shown).
 */
function defaultGate(candidate: string, maxDrop: string): Threshold<MetricName> {
  const text = maxDrop.trim();
  const m = /^(\d+(?:\.\d+)?)(pp|%)?$/.exec(text);
  if (!m) throw new UsageError(`--max-drop expects e.g. 2pp, 2% or 0.02, got ${maxDrop}`);
  try {
    return parseThreshold(
      `compare.pass_rate_delta{candidate:${candidate}}`,
      Number(m[1]) === 0 ? `>= 0${m[2] ?? ""}` : `>= -${text}`,
    );
  } catch (err) {
    if (err instanceof ThresholdSyntaxError) throw new UsageError(`--max-drop: ${err.message}`);
    throw err;
  }
}

/**
 * Pairs OLD's cases of the baseline target with NEW's of the candidate target (by default every
 * target name present in both runs) by case id and prompt, or by case id alone with `pairBy: case`,
 * and applies NEW's compare.* thresholds; a candidate no pass_rate_delta threshold covers is gated
 * by `compare.pass_rate_delta >= -<maxDrop>` (default 0pp: fails when its interval shows a drop).
 * Throws UsageError when the cases do not pair (see pairingProblems).
 */
export function compareSavedRuns(
  oldRun: RunResult,
  newRun: RunResult,
  opts: SavedRunComparisonOptions,
  names: { old: string; new: string },
): { comparisons: ComparisonResult[]; verdicts: Verdict[]; skipped: string[] } {
  const alphaOption = parseAlpha(opts.alpha);
  const pairBy = parsePairBy(opts.pairBy);
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
    const before = oldRun.quality.cases.filter((c) => c.target === baseline);
    const after = newRun.quality.cases.filter((c) => c.target === candidate);
    const problems = pairingProblems(before, after, pairBy);
    if (problems.length > 0)
      throw new UsageError(
        `"${baseline}" in ${names.old} and "${candidate}" in ${names.new}: ${problems.join("; ")}`,
      );
    return compareVariants(before, after, alpha, {
      baselineTarget: baseline,
      candidateTarget: candidate,
      ...(pairBy ? { pairBy } : {}),
    });
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

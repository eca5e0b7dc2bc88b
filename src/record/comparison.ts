/**
 * What a variant comparison records: pass rates with intervals, the paired difference, McNemar,
 * flips, agreement, power, clustered and logprob figures; and the latency ratios of `--baseline`.
 * The statistics that fill these shapes live in src/compare.
 */

/** A candidate against the baseline on the same cases: what run.json's `comparisons` holds. */
export interface ComparisonResult {
  baseline: VariantRate;
  candidate: VariantRate;
  alpha: number;
  /** Cases present on both sides (same id and prompt version); every figure below is over them. */
  matched: number;
  /** Cases on one side only, listed rather than dropped silently. */
  unmatched: { baseline: CaseRef[]; candidate: CaseRef[] };
  table: PairedTable;
  /** candidate pass rate / baseline pass rate; NaN (null in run.json) when the baseline passed none. */
  recovery: number;
  /** candidate - baseline pass rate, Newcombe interval (method 10), with the Wald interval beside it. */
  delta: PairedDifference & { wald: Interval };
  /** McNemar's exact two-sided p-value on the discordant pairs (b = regressions, c = improvements). */
  mcnemar: { b: number; c: number; pValue: number };
  /** regressions: passed on the baseline, failed on the candidate; improvements: the reverse. */
  flips: { regressions: Flip[]; improvements: Flip[] };
  /** Matched cases where both answered and the outputs are byte-identical. */
  agreement: { identical: number; rate: number };
  power: PowerNote;
  /** Cluster-robust interval, when cases were given clusters. */
  clustered?: ClusteredDifference;
  /** Same-top-1 rate and top-k KL lower bound, when both targets returned logprobs. */
  logprobs?: LogprobComparison;
  /** Macro F1 and per-label F1 of each side over the matched labelled cases (`label:`). */
  classification?: ClassificationDelta;
}

/** One variant's pass rate over the matched cases. */
export interface VariantRate {
  target: string;
  cases: number;
  passed: number;
  passRate: number;
  /** Wilson interval at the comparison's 1 - alpha. */
  interval: Interval;
}

/** A case as the comparison identifies it: its id and the version of its prompt. */
export interface CaseRef {
  caseId: string;
  promptVersion: number;
}

/** A case whose verdict differs between the variants, with both outputs. */
export interface Flip extends CaseRef {
  baselineOutput: string;
  candidateOutput: string;
  baselineError?: string;
  candidateError?: string;
}

/** Classification quality of both sides on the same labelled cases. */
export interface ClassificationDelta {
  cases: number;
  baselineMacroF1: number;
  candidateMacroF1: number;
  /** candidate - baseline macro F1. */
  macroF1Delta: number;
  perLabel: Array<{ label: string; baselineF1: number; candidateF1: number }>;
}

/** A two-sided confidence interval at level 1 - alpha. */
export interface Interval {
  lower: number;
  upper: number;
}

/**
 * Paired binary outcomes of the same cases on two variants. The candidate's pass rate minus the
 * baseline's is (candidateOnly - baselineOnly) / n.
 */
export interface PairedTable {
  bothPass: number;
  /** Passed on the baseline, failed on the candidate: regressions (McNemar's b). */
  baselineOnly: number;
  /** Failed on the baseline, passed on the candidate: improvements (McNemar's c). */
  candidateOnly: number;
  bothFail: number;
}

export type PairedMethod = "newcombe" | "wald";

/** The candidate-minus-baseline difference of paired pass rates with its interval. */
export interface PairedDifference extends Interval {
  difference: number;
  method: PairedMethod;
  alpha: number;
}

export interface ClusteredDifference extends Interval {
  difference: number;
  /** Cluster-robust (CR0) standard error of the difference. */
  se: number;
  clusters: number;
  /** CR0 variance / the variance assuming independent cases: how much clustering costs. */
  designEffect: number;
  /** Two-sided z-test of difference = 0 with the cluster-robust error: 2(1 - Φ(|d̄| / se)). */
  pValue: number;
  alpha: number;
}

/** How small a drop the matched cases can detect (Connor 1987; see src/compare/power.ts). */
export interface PowerNote {
  cases: number;
  /** Observed share of discordant cases. */
  discordance: number;
  alpha: number;
  power: number;
  /**
   * The smallest difference (a fraction, positive) the cases detect with `power`; undefined when
   * no difference can be (n <= z²).
   */
  detectableDrop?: number;
  method: "connor-1987";
}

/** Same-top-1 rate and the KL lower bound between two variants over the positions they share. */
export interface LogprobComparison {
  /** Matched cases where both sides returned logprobs. */
  cases: number;
  /** Positions compared: the common prefix of the two answers, plus the first divergent one. */
  positions: number;
  /** Positions whose most likely token agrees / positions. */
  sameTop1Rate: number;
  /** Mean over positions of the lower bound on KL(baseline ‖ candidate), in nats per token. */
  klLowerBound: number;
  /** The largest single-position bound. */
  klMax: number;
  /** The smallest top-k either side returned: the bound is over that many tokens plus "the rest". */
  k: number;
}

/** Latency and throughput of one (target, phase) present in both runs, as new / old. */
export interface PhaseRatio {
  target: string;
  phase: string;
  ttftP50: number;
  ttftP95: number;
  itlP50: number;
  e2eP95: number;
  outputThroughput: number;
}

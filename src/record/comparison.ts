/**
 * What a variant comparison records: pass rates with intervals, the paired difference, McNemar,
 * flips, agreement, power, clustered and logprob figures, the interval every gate decides by; and
 * the latency ratios of `--baseline`. The statistics that fill these shapes live in src/stats and
 * src/compare.
 */

/** A candidate against the baseline on the same cases: what run.json's `comparisons` holds. */
export interface ComparisonResult {
  baseline: VariantRate;
  candidate: VariantRate;
  alpha: number;
  /**
   * What was compared: two targets on the same cases (absent: the default), or two prompts over
   * the same cases on one target (`compare: { by: prompt }`), whose names then fill
   * `baseline.target` and `candidate.target`.
   */
  by?: { kind: "prompt"; target: string };
  /** Set when cases were paired by case id alone (`--pair-by case`), not by id and prompt. */
  pairedBy?: "case";
  /**
   * Pairs present on both sides (same case, prompt and, for repeated cases, the same run); every
   * figure below is over them. With repeats a pair is one run of a case: see `repeats`.
   */
  matched: number;
  /** Set when cases ran more than once: the distinct cases behind the matched runs. */
  repeats?: { cases: number; runs: number };
  /** Cases on one side only, listed rather than dropped silently. */
  unmatched: { baseline: CaseRef[]; candidate: CaseRef[] };
  table: PairedTable;
  /** candidate pass rate / baseline pass rate; NaN (null in run.json) when the baseline passed none. */
  recovery: number;
  /** candidate - baseline pass rate, Newcombe interval (method 10), with the Wald interval beside it. */
  delta: PairedDifference & { wald: Interval };
  /**
   * McNemar's exact two-sided p-value on the discordant pairs (b = regressions, c = improvements):
   * a test of no difference that assumes independent pairs, reported beside the gate; it decides
   * nothing (see `gate`).
   */
  mcnemar: { b: number; c: number; pValue: number };
  /**
   * The interval every gate on the delta decides by, with the p-value of no difference by the same
   * procedure; absent when there are too few clusters to give one (`clustered.tooFewClusters`), and
   * in runs written before it was recorded (see gateOf in src/stats/gate.ts).
   */
  gate?: GateInterval;
  /** regressions: passed on the baseline, failed on the candidate; improvements: the reverse. */
  flips: { regressions: Flip[]; improvements: Flip[] };
  /** Matched cases where both answered and the outputs are byte-identical. */
  agreement: { identical: number; rate: number };
  power: PowerNote;
  /** Cluster-robust figures, when cases were given clusters or ran more than once. */
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

/** A case as the comparison identifies it: its id, its prompt's version and name, and its run. */
export interface CaseRef {
  caseId: string;
  promptVersion: number;
  /** The prompt's name; absent in runs written before it was recorded. */
  prompt?: string;
  /** Which run of a repeated case, from 0; absent when the case ran once. */
  attempt?: number;
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

/**
 * The cluster-robust figures of the paired difference (src/stats/clustered.ts): the CR1 standard
 * error and a t interval on clusters - 1 degrees of freedom, clamped to [-1, 1]. With fewer clusters
 * than the minimum the interval and p are NaN (null in run.json) and `tooFewClusters` is set.
 * Runs written before CR1 hold CR0 with a normal quantile and no `method`.
 */
export interface ClusteredDifference extends Interval {
  difference: number;
  /** Cluster-robust standard error of the difference (CR1: CR0 times G / (G - 1)). */
  se: number;
  clusters: number;
  /** Degrees of freedom of the t quantile and test: clusters - 1. */
  df?: number;
  /** CR0 variance / the variance assuming independent cases: how much clustering costs. */
  designEffect: number;
  /** Two-sided t-test of difference = 0 with the cluster-robust error, on `df` degrees of freedom. */
  pValue: number;
  alpha: number;
  method?: "cr1";
  /** The fewest clusters that give a cluster-robust verdict; set with `tooFewClusters`. */
  minClusters?: number;
  tooFewClusters?: boolean;
}

/**
 * The interval a comparison's gates decide by, at the comparison's 1 - alpha. `newcombe` for
 * independent cases; `cluster-robust` for clustered or repeated ones: the CR1 t interval, never
 * narrower than Newcombe's over the same pairs. `pValue` is the two-sided p of no difference by the
 * same procedure, so it is below alpha exactly when the interval leaves out 0.
 */
export interface GateInterval extends Interval {
  method: "newcombe" | "cluster-robust";
  pValue: number;
}

/** How small a drop the matched cases can detect (Connor 1987; see src/stats/power.ts). */
export interface PowerNote {
  /**
   * The independent cases the note is for: the matched pairs, or with clusters or repeats the
   * pairs divided by the design effect (between the clusters and the pairs).
   */
  cases: number;
  /** Set when the pairs are not independent: the design effect `cases` was divided by. */
  designEffect?: number;
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

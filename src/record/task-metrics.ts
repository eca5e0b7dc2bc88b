/** What run.json's `quality.tasks` holds per target; src/quality computes it from the case outcomes. */

/** Task metrics of one target beyond its pass rate: what run.json's `quality.tasks` holds. */
export interface TargetTaskMetrics {
  target: string;
  /** Present when some case declares `label:`. */
  classification?: ClassificationReport;
  /** Present when some case declares `expected:`. */
  extraction?: SetReport;
  /** Present when some case runs more than once (`repeat:`). */
  repeats?: RepeatReport;
}

/** Classification metrics over the cases of one target that declare a `label:`. */
export interface ClassificationReport {
  /** Labelled outcomes (each repeat counts). */
  cases: number;
  labels: string[];
  perLabel: LabelStats[];
  /** Unweighted means of the per-label figures (sklearn's average="macro"). */
  macro: Averages;
  /** From the pooled counts over the labels (sklearn's average="micro" with labels=...). */
  micro: Averages;
  /** Outputs read as their expected label / labelled cases. */
  accuracy: number;
  /**
   * counts[i][j]: cases expected as labels[i] whose output was read as columns[j]; the last column,
   * NO_LABEL, holds outputs that are none of the labels and requests that failed.
   */
  confusion: { columns: string[]; counts: number[][] };
}

/** Precision, recall and F1 of one label, with the counts they come from. */
export interface LabelStats {
  label: string;
  /** Cases whose expected label is this one. */
  support: number;
  /** Cases whose output was read as this label. */
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

/** Extraction metrics over the cases of one target that declare `expected:`. */
export interface SetReport {
  cases: number;
  /** From the pooled counts: Σ matched / Σ predicted, Σ matched / Σ expected. */
  micro: { precision: number; recall: number; f1: number };
  /** Means of the per-case figures. */
  macro: { precision: number; recall: number; f1: number };
}

/** Repeats of one target's cases: pass@k and pass^k for k = 1..K, averaged over cases. */
export interface RepeatReport {
  /** The largest repeat count among the cases. */
  k: number;
  cases: RepeatedCase[];
  /** Index k-1: mean over cases with at least k runs. */
  passAtK: number[];
  passHatK: number[];
  /** Mean output consistency over cases. */
  consistency: number;
  /** Cases whose runs all agreed on pass or fail / cases. */
  stableRate: number;
}

/** One repeated case on one target. */
export interface RepeatedCase {
  caseId: string;
  runs: number;
  passed: number;
  /** Share of runs that gave the most common output (1 = the same answer every time). */
  consistency: number;
  /** Every run passed or every run failed. */
  stable: boolean;
}

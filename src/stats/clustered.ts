import type { ClusteredDifference } from "../record/comparison.js";
import { tQuantile, tUpperTail } from "./student-t.js";

/**
 * The fewest clusters that give a cluster-robust verdict. A cluster-robust variance from G clusters
 * has about G - 1 degrees of freedom; below 5 it is too unstable to trust even with the t quantile
 * (clustered.test.ts simulates the false alarms: at or under 6% from 5 clusters up with CR1 and t).
 */
export const MIN_CLUSTERS = 5;

/** One case's paired outcome, with the cluster it belongs to (a template, a source document, ...). */
export interface ClusteredPair {
  baselinePass: boolean;
  candidatePass: boolean;
  cluster: string;
}

/** The raw cluster-robust figures, before the minimum and the clamp (see clusteredPairedDifference). */
export interface Cr1 {
  /** The mean of d_i = candidate_i - baseline_i. */
  difference: number;
  /** CR1 standard error: sqrt(G / (G - 1) · V_CR0); NaN with one cluster. */
  se: number;
  clusters: number;
  /** G - 1. */
  df: number;
  /** V_CR0 / the variance assuming independent cases; NaN when the latter is 0. */
  designEffect: number;
}

/**
 * The paired difference's cluster-robust (CR1) standard error: the sandwich of an intercept-only
 * regression of d_i on the clusters, V_CR0 = Σ_g (Σ_{i∈g} (d_i - d̄))² / n², times Stata's small-sample
 * factor G/(G - 1) · (n - 1)/(n - k), which for one regressor (k = 1) is G/(G - 1).
 */
export function cr1(pairs: readonly ClusteredPair[]): Cr1 {
  const n = pairs.length;
  const d = pairs.map((p) => Number(p.candidatePass) - Number(p.baselinePass));
  const mean = n ? d.reduce((s, x) => s + x, 0) / n : Number.NaN;
  const scores = new Map<string, number>();
  pairs.forEach((p, i) => scores.set(p.cluster, (scores.get(p.cluster) ?? 0) + d[i]! - mean));
  const g = scores.size;
  const cr0 = [...scores.values()].reduce((s, u) => s + u * u, 0) / (n * n);
  const independent = d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n * n);
  return {
    difference: mean,
    se: g > 1 ? Math.sqrt((cr0 * g) / (g - 1)) : Number.NaN,
    clusters: g,
    df: g - 1,
    designEffect: independent > 0 ? cr0 / independent : Number.NaN,
  };
}

const clamp = (x: number) => Math.min(1, Math.max(-1, x));

/**
 * The paired difference with a cluster-robust interval, for cases that are not independent
 * (several cases from one template or document, the runs of a repeated case): d̄ ± t(1 - alpha/2;
 * G - 1)·se_CR1, clamped to [-1, 1] (a difference of pass rates cannot leave it), and the two-sided
 * t-test of no difference on the same G - 1 degrees of freedom. With fewer than MIN_CLUSTERS
 * clusters the interval and p are NaN and `tooFewClusters` is set: no clustered verdict is given.
 * The interval can be zero-width (every cluster's differences sum to its share of the mean): the
 * gate never uses it alone (see gate.ts).
 */
export function clusteredPairedDifference(
  pairs: readonly ClusteredPair[],
  alpha = 0.05,
): ClusteredDifference {
  const r = cr1(pairs);
  const base = {
    difference: r.difference,
    se: r.se,
    clusters: r.clusters,
    df: r.df,
    designEffect: r.designEffect,
    alpha,
    method: "cr1" as const,
  };
  if (r.clusters < MIN_CLUSTERS) {
    const nan = Number.NaN;
    return { ...base, lower: nan, upper: nan, pValue: nan, minClusters: MIN_CLUSTERS, tooFewClusters: true };
  }
  const t = tQuantile(1 - alpha / 2, r.df);
  return {
    ...base,
    lower: clamp(r.difference - t * r.se),
    upper: clamp(r.difference + t * r.se),
    pValue: clusteredP(r.difference, r.se, r.df, 0, "two-sided"),
  };
}

/** Which way a margin decision looks: is the difference shown to be below, or above, the limit? */
export type Side = "below" | "above";

/**
 * The p-value of the t interval d̄ ± t·se against `limit`: the alpha at which the (1 - alpha)
 * interval's bound on `side` just reaches the limit (so the interval at a larger alpha leaves the
 * limit out on that side), 1 when d̄ itself is not beyond it. "two-sided" tests difference = limit.
 */
export function clusteredP(
  difference: number,
  se: number,
  df: number,
  limit: number,
  side: Side | "two-sided",
): number {
  if (Number.isNaN(difference) || Number.isNaN(se)) return Number.NaN;
  const gap =
    side === "below"
      ? limit - difference
      : side === "above"
        ? difference - limit
        : Math.abs(difference - limit);
  if (gap <= 0) return 1;
  if (se === 0) return 0;
  return Math.min(1, 2 * tUpperTail(gap / se, df));
}

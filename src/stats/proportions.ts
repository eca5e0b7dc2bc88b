import type { Interval, PairedTable, PairedMethod, PairedDifference } from "../record/comparison.js";
import { zTwoSided } from "./normal.js";

export const pairedTotal = (t: PairedTable): number =>
  t.bothPass + t.baselineOnly + t.candidateOnly + t.bothFail;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const NAN_INTERVAL: Interval = { lower: Number.NaN, upper: Number.NaN };

/**
 * Wilson's score interval for `passed` of `n` (Wilson 1927) at level 1 - alpha: the proportions p
 * with |p̂ - p| <= z sqrt(p(1-p)/n). Never leaves [0, 1], and is sensible at 0 and n passes, unlike
 * the Wald interval. NaN bounds when n is 0.
 */
export function wilsonInterval(passed: number, n: number, alpha = 0.05): Interval {
  return wilsonAtZ(passed, n, zTwoSided(alpha));
}

/** Wilson's interval with the critical value z given (see wilsonInterval). */
function wilsonAtZ(passed: number, n: number, z: number): Interval {
  if (n <= 0) return NAN_INTERVAL;
  const p = passed / n;
  const z2n = (z * z) / n;
  const center = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return {
    lower: passed === 0 ? 0 : clamp(center - half, 0, 1),
    upper: passed === n ? 1 : clamp(center + half, 0, 1),
  };
}

/**
 * P(X <= k) for X ~ Binomial(m, 1/2), summed in log space from the largest term (k <= m/2), so it
 * neither underflows nor loses precision for any m.
 */
function binomialHalfLowerTail(k: number, m: number): { tail: number; atK: number } {
  const logTerms: number[] = [-m * Math.LN2];
  for (let i = 1; i <= k; i++) logTerms.push(logTerms[i - 1]! + Math.log((m - i + 1) / i));
  const top = logTerms[k]!;
  const scaled = logTerms.reduce((sum, t) => sum + Math.exp(t - top), 0);
  return { tail: Math.exp(top) * scaled, atK: Math.exp(top) };
}

/**
 * McNemar's exact test: the two-sided binomial p-value of the discordant pairs, b regressions
 * against c improvements, under H0 that each discordant pair goes either way with probability 1/2:
 * p = min(1, 2 P[X <= min(b, c)]), X ~ Bin(b + c, 1/2). `midP` subtracts half the probability of the
 * observed split (less conservative; not the default). p = 1 when there are no discordant pairs.
 */
export function mcnemarExact(b: number, c: number, options: { midP?: boolean } = {}): number {
  const m = b + c;
  if (m === 0) return 1;
  const { tail, atK } = binomialHalfLowerTail(Math.min(b, c), m);
  return Math.min(1, 2 * (options.midP ? tail - atK / 2 : tail));
}

/**
 * The paired difference of proportions, candidate - baseline = (c - b) / n, with a 1 - alpha interval.
 *
 * `newcombe` (default): Newcombe's (1998) method 10, the square-and-add combination of the two
 * margins' Wilson intervals, corrected for their correlation φ. φ is the phi coefficient with
 * Newcombe's adjustment (as in Fagerland, Lydersen & Laake 2014): (AD - BC - n/2) when AD - BC > n/2,
 * 0 when 0 <= AD - BC <= n/2, unchanged when negative, and 0 when any margin is empty. It keeps its
 * coverage near nominal for small n and rates near 0 or 1, where `wald` (the difference ± z times
 * the standard error sqrt(((b + c)/n - d²)/n)) collapses to a point or overshoots.
 */
export function pairedDifference(
  t: PairedTable,
  options: { alpha?: number; method?: PairedMethod } = {},
): PairedDifference {
  const alpha = options.alpha ?? 0.05;
  const method = options.method ?? "newcombe";
  const n = pairedTotal(t);
  const difference = n > 0 ? (t.candidateOnly - t.baselineOnly) / n : Number.NaN;
  if (n === 0) return { difference, ...NAN_INTERVAL, method, alpha };
  if (method === "wald") {
    const se = pairedWaldSe(t);
    const z = zTwoSided(alpha);
    return {
      difference,
      lower: clamp(difference - z * se, -1, 1),
      upper: clamp(difference + z * se, -1, 1),
      method,
      alpha,
    };
  }
  const { lower, upper } = newcombeAtZ(t, zTwoSided(alpha));
  return { difference, lower, upper, method, alpha };
}

/**
 * Newcombe's method 10 interval (see pairedDifference) with the critical value z given: the
 * margin decisions in gate.ts search z for the level at which a bound reaches a limit. Its bounds
 * widen as z grows.
 */
export function newcombeAtZ(t: PairedTable, z: number): Interval {
  const n = pairedTotal(t);
  if (n === 0) return NAN_INTERVAL;
  const difference = (t.candidateOnly - t.baselineOnly) / n;
  // Newcombe's notation: proportion 1 is the candidate's, 2 the baseline's; θ = p1 - p2.
  const candidatePassed = t.bothPass + t.candidateOnly;
  const baselinePassed = t.bothPass + t.baselineOnly;
  const p1 = candidatePassed / n;
  const p2 = baselinePassed / n;
  const w1 = wilsonAtZ(candidatePassed, n, z);
  const w2 = wilsonAtZ(baselinePassed, n, z);
  const phi = newcombePhi(t, n);
  const [d1lo, d1hi, d2lo, d2hi] = [p1 - w1.lower, w1.upper - p1, p2 - w2.lower, w2.upper - p2];
  const below = Math.sqrt(Math.max(0, d1lo * d1lo - 2 * phi * d1lo * d2hi + d2hi * d2hi));
  const above = Math.sqrt(Math.max(0, d1hi * d1hi - 2 * phi * d1hi * d2lo + d2lo * d2lo));
  return { lower: clamp(difference - below, -1, 1), upper: clamp(difference + above, -1, 1) };
}

/** The Wald standard error of the paired difference: sqrt(((b + c)/n - d²) / n). */
export function pairedWaldSe(t: PairedTable): number {
  const n = pairedTotal(t);
  if (n === 0) return Number.NaN;
  const d = (t.candidateOnly - t.baselineOnly) / n;
  return Math.sqrt(Math.max(0, (t.baselineOnly + t.candidateOnly) / n - d * d) / n);
}

function newcombePhi(t: PairedTable, n: number): number {
  const margins =
    (t.bothPass + t.candidateOnly) *
    (t.baselineOnly + t.bothFail) *
    (t.bothPass + t.baselineOnly) *
    (t.candidateOnly + t.bothFail);
  if (margins === 0) return 0;
  const ad_bc = t.bothPass * t.bothFail - t.baselineOnly * t.candidateOnly;
  const adjusted = ad_bc > n / 2 ? ad_bc - n / 2 : ad_bc >= 0 ? 0 : ad_bc;
  return adjusted / Math.sqrt(margins);
}

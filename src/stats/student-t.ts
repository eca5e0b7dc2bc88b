// Student's t distribution, for the cluster-robust interval: with G clusters its standard error
// has about G - 1 degrees of freedom, and a normal quantile in its place rejects too often when G
// is small (at 5 clusters the t quantile is 2.78, not 1.96).

import { normalQuantile } from "./normal.js";

// Lanczos approximation (g = 7, 9 terms): ln Γ(x) to ~1e-15 relative for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The continued fraction of the incomplete beta function (modified Lentz), for x < (a+1)/(a+b+2). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? tiny : d;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    for (const coefficient of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + coefficient * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + coefficient / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      f *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-16) break;
  }
  return f;
}

/** The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 <= x <= 1. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The fraction converges fast on the side of the mean; the symmetry I_x(a,b) = 1 - I_{1-x}(b,a)
  // covers the other side.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(a, b, x)) / a
    : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/**
 * P(T > t) for T ~ t(df), df > 0: I_{df/(df+t²)}(df/2, 1/2) / 2 for t >= 0, which keeps its
 * relative precision far into the upper tail.
 */
export function tUpperTail(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 0;
  if (t === Number.NEGATIVE_INFINITY) return 1;
  const tail = incompleteBeta(df / (df + t * t), df / 2, 0.5) / 2;
  return t >= 0 ? tail : 1 - tail;
}

/** P(T <= t) for T ~ t(df). */
export function tCdf(t: number, df: number): number {
  return tUpperTail(-t, df);
}

/** The t density, for Newton steps on the quantile. */
function tDensity(t: number, df: number): number {
  return Math.exp(
    logGamma((df + 1) / 2) -
      logGamma(df / 2) -
      0.5 * Math.log(df * Math.PI) -
      ((df + 1) / 2) * Math.log1p((t * t) / df),
  );
}

/**
 * The t quantile t_p(df) for 0 < p < 1, df > 0 (±Infinity at 0 and 1, NaN outside), to ~1e-12
 * relative: Newton's method on the upper tail from the normal quantile, kept inside a bracket that
 * bisection narrows whenever a step would leave it.
 */
export function tQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  // Solve in the upper half with q = P(T > t) < 1/2, which keeps its precision for small q.
  const q = p < 0.5 ? p : 1 - p;
  let lo = 0;
  let hi = 1;
  while (tUpperTail(hi, df) > q) hi *= 2;
  let t = Math.min(Math.max(-normalQuantile(q), lo), hi);
  for (let i = 0; i < 200; i++) {
    const excess = tUpperTail(t, df) - q;
    if (excess > 0) lo = t;
    else hi = t;
    const next = t + excess / tDensity(t, df);
    const step = next > lo && next < hi ? next : (lo + hi) / 2;
    if (Math.abs(step - t) <= 1e-14 * Math.max(1, Math.abs(t))) {
      t = step;
      break;
    }
    t = step;
  }
  return p < 0.5 ? -t : t;
}

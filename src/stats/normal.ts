// The standard normal distribution, to double precision in the tails too: the confidence
// intervals and power notes of a comparison need z values for any alpha a suite may set.

const SQRT_PI = Math.sqrt(Math.PI);

/** erfc(x) for x >= 0: the Maclaurin series of erf below 2, a Lentz continued fraction above. */
function erfcNonNegative(x: number): number {
  if (x < 2) {
    // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)); terms stay below ~3 for x < 2.
    let term = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / SQRT_PI) * sum;
  }
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))).
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** The complementary error function, accurate to ~1e-15 relative over the whole line. */
export function erfc(x: number): number {
  return x >= 0 ? erfcNonNegative(x) : 2 - erfcNonNegative(-x);
}

/** P(Z <= x) for a standard normal Z; keeps relative precision far into the lower tail. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// Acklam's rational approximation (relative error 1.15e-9), then refined with Halley's method.
const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716];
const A5 = 2.506628277459239;
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
];
const C5 = 2.938163982698783;
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

const horner = (coefficients: number[], x: number, last: number) =>
  coefficients.reduce((acc, k) => acc * x + k, 0) * x + last;

function acklam(p: number): number {
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const x = horner(C, q, C5) / (horner(D, q, 0) + 1);
    return p < P_LOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (horner(A, r, A5) * q) / (horner(B, r, 0) + 1);
}

/**
 * The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (±Infinity at 0 and 1, NaN outside), accurate
 * to ~1e-14: Acklam's approximation and two Halley steps on `normalCdf`.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  let x = acklam(p);
  for (let i = 0; i < 2; i++) {
    // Refine in the tail nearer to p so the error e keeps its relative precision.
    const e = p < 0.5 ? normalCdf(x) - p : 1 - p - normalCdf(-x);
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    x -= u / (1 + (x * u) / 2);
  }
  return x;
}

/**
 * The two-sided critical value z(1 - alpha/2): 1.96 for alpha 0.05. Read from the lower tail,
 * -Φ⁻¹(alpha/2): 1 - alpha/2 rounds to 1 once alpha is below ~1e-16, and loses digits well before.
 */
export function zTwoSided(alpha: number): number {
  return -normalQuantile(alpha / 2);
}

import type { PowerNote } from "../record/comparison.js";
import { normalQuantile, zTwoSided } from "./normal.js";

/**
 * Power of a paired comparison by Connor's (1987) approximation for McNemar's test: n paired cases
 * detect a difference δ at two-sided level alpha with the given power when
 *   √n·δ >= z(1 - alpha/2)·√ψ + z(power)·√(ψ - δ²),
 * ψ being the discordance rate (share of cases whose verdict differs between the variants). ψ is
 * taken as max(observed ψ, δ), since a drop of δ needs at least δ discordant cases: with no flips
 * observed, the note assumes every flip would be a regression (the most favourable case).
 * Connor's formula is for the asymptotic test; the exact test the verdicts use is a little more
 * conservative, so read the figures as optimistic by a few percent.
 */
function margin(n: number, psiObserved: number, delta: number, za: number, zb: number): number {
  const psi = Math.max(psiObserved, delta);
  return Math.sqrt(n) * delta - za * Math.sqrt(psi) - zb * Math.sqrt(Math.max(0, psi - delta * delta));
}

/** The smallest detectable difference for n cases; see margin(). */
export function detectableDrop(
  n: number,
  discordance: number,
  alpha = 0.05,
  power = 0.8,
): number | undefined {
  const za = zTwoSided(alpha);
  const zb = normalQuantile(power);
  // The margin changes sign once on (0, 1] (increasing while δ <= ψ; beyond, its sign is that of an
  // increasing function), so bisection finds the root.
  if (!(n > 0) || margin(n, discordance, 1, za, zb) < 0) return undefined;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (margin(n, discordance, mid, za, zb) < 0) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Paired cases needed to detect a difference `drop` (a positive fraction); see margin(). */
export function casesNeeded(drop: number, discordance: number, alpha = 0.05, power = 0.8): number {
  const za = zTwoSided(alpha);
  const zb = normalQuantile(power);
  const psi = Math.max(discordance, drop);
  const root = za * Math.sqrt(psi) + zb * Math.sqrt(Math.max(0, psi - drop * drop));
  // A hair below an integer is rounding, not a need for one more case.
  return Math.ceil((root * root) / (drop * drop) - 1e-9);
}

/** The power note for a comparison of n matched cases with `discordant` of them flipped. */
export function powerNote(n: number, discordant: number, alpha = 0.05, power = 0.8): PowerNote {
  const discordance = n > 0 ? discordant / n : 0;
  const drop = detectableDrop(n, discordance, alpha, power);
  return {
    cases: n,
    discordance,
    alpha,
    power,
    ...(drop !== undefined ? { detectableDrop: drop } : {}),
    method: "connor-1987",
  };
}

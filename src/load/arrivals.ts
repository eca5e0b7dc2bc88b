import { createRng } from "../util/rng.js";

export type ArrivalKind = "constant" | "poisson" | "gamma";

/**
 * Inter-arrival gaps (seconds per request at rate 1) for an open-loop schedule, seeded.
 * `gamma` follows vLLM's convention: shape = burstiness (1 = Poisson, < 1 burstier, > 1 smoother),
 * mean gap 1/rate either way.
 */
export function createGapSampler(kind: ArrivalKind, seed: number, burstiness = 1): () => number {
  const rng = createRng(seed);
  const uniform = () => {
    let u = rng();
    while (u === 0) u = rng();
    return u;
  };
  switch (kind) {
    case "constant":
      return () => 1;
    case "poisson":
      return () => -Math.log(uniform());
    case "gamma": {
      const shape = burstiness;
      return () => sampleGamma(shape, uniform) / shape;
    }
  }
}

/** Standard normal by Box-Muller. */
function normal(uniform: () => number): number {
  return Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Gamma(shape, 1) by Marsaglia-Tsang, with the shape < 1 boost. */
export function sampleGamma(shape: number, uniform: () => number): number {
  if (shape < 1) return sampleGamma(shape + 1, uniform) * Math.pow(uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(uniform);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniform();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A rate that may change over time: constant, or piecewise-linear stages. */
export interface RateProfile {
  /** Requests per second at `tS` seconds after the phase start. */
  rateAt(tS: number): number;
  /** When the profile ends (Infinity when it is constant); its last rate holds after that. */
  endS: number;
  /** The corners of the rate: linear between consecutive points, constant after the last. */
  points: ReadonlyArray<{ tS: number; rate: number }>;
}

export function constantRate(rate: number): RateProfile {
  return { rateAt: () => rate, endS: Number.POSITIVE_INFINITY, points: [{ tS: 0, rate }] };
}

/** Linear ramps `{to, overS}` from `start`, like k6's ramping-arrival-rate stages. */
export function stagedRate(start: number, stages: Array<{ to: number; overS: number }>): RateProfile {
  const points: Array<{ tS: number; rate: number }> = [{ tS: 0, rate: start }];
  for (const s of stages) points.push({ tS: points[points.length - 1]!.tS + s.overS, rate: s.to });
  return {
    endS: points[points.length - 1]!.tS,
    points,
    rateAt(tS) {
      for (let i = 1; i < points.length; i++) {
        const a = points[i - 1]!;
        const b = points[i]!;
        if (tS <= b.tS)
          return b.tS === a.tS ? b.rate : a.rate + ((b.rate - a.rate) * (tS - a.tS)) / (b.tS - a.tS);
      }
      return points[points.length - 1]!.rate;
    },
  };
}

/**
 * How long after a point with rate `r0`, rising by `slope` per second, the integrated rate grows by
 * `need`: the root of r0·dt + slope·dt²/2 = need, in the form that stays exact as slope nears 0.
 * Infinity when the rate never gets there (it is 0 and falling or flat).
 */
function timeToIntegrate(r0: number, slope: number, need: number): number {
  if (need <= 0) return 0;
  const disc = r0 * r0 + 2 * slope * need;
  if (disc < 0) return Number.POSITIVE_INFINITY;
  const denominator = r0 + Math.sqrt(disc);
  return denominator > 0 ? (2 * need) / denominator : Number.POSITIVE_INFINITY;
}

/**
 * The absolute scheduled times (µs from the phase origin) of every arrival before `untilS` seconds,
 * up to `maxCount`, computed ahead so timer drift cannot accumulate. The first arrival is at 0.
 * Arrivals are a unit-rate process mapped through the integrated rate Λ(t) = ∫ rate: arrival k is at
 * Λ⁻¹(E_k), which keeps Poisson arrivals Poisson under a ramp. Λ is integrated exactly over each
 * linear piece, so the cost per arrival does not grow with quiet stretches. A rate that is not a
 * number, or negative, counts as 0; a schedule that stops advancing in time (an infinite rate) is
 * the caller's to end at the phase's duration.
 */
export function* scheduleArrivals(
  profile: RateProfile,
  gap: () => number,
  untilS: number,
  maxCount = Number.POSITIVE_INFINITY,
): Generator<number> {
  const points = profile.points.map((p) => ({ tS: p.tS, rate: p.rate >= 0 ? p.rate : 0 }));
  // Λ at each point; piece i runs from point i to point i + 1, the last piece for ever.
  const integratedAt = [0];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    integratedAt.push(integratedAt[i - 1]! + ((a.rate + b.rate) / 2) * (b.tS - a.tS));
  }
  let piece = 0;
  let target = 0; // E_k
  for (let n = 0; n < maxCount; n++) {
    if (n > 0) target += gap();
    while (piece + 1 < points.length && integratedAt[piece + 1]! < target) piece++;
    const a = points[piece]!;
    const b = points[piece + 1];
    const slope = b && b.tS > a.tS ? (b.rate - a.rate) / (b.tS - a.tS) : 0;
    const tS = a.tS + timeToIntegrate(a.rate, slope, target - integratedAt[piece]!);
    // Also ends a schedule whose time is not a number.
    if (!(tS < untilS)) return;
    yield tS * 1e6;
  }
}

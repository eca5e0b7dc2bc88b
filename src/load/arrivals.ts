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
  /** When the profile ends (Infinity when it is constant). */
  endS: number;
}

export function constantRate(rate: number): RateProfile {
  return { rateAt: () => rate, endS: Number.POSITIVE_INFINITY };
}

/** Linear ramps `{to, overS}` from `start`, like k6's ramping-arrival-rate stages. */
export function stagedRate(start: number, stages: Array<{ to: number; overS: number }>): RateProfile {
  const points: Array<{ t: number; r: number }> = [{ t: 0, r: start }];
  for (const s of stages) points.push({ t: points[points.length - 1]!.t + s.overS, r: s.to });
  return {
    endS: points[points.length - 1]!.t,
    rateAt(tS) {
      for (let i = 1; i < points.length; i++) {
        const a = points[i - 1]!;
        const b = points[i]!;
        if (tS <= b.t) return b.t === a.t ? b.r : a.r + ((b.r - a.r) * (tS - a.t)) / (b.t - a.t);
      }
      return points[points.length - 1]!.r;
    },
  };
}

/**
 * The absolute scheduled times (µs from the phase origin) of every arrival before `untilS` seconds,
 * up to `maxCount`, computed ahead so timer drift cannot accumulate. The first arrival is at 0.
 * Arrivals are a unit-rate process mapped through the integrated rate Λ(t) = ∫ rate: arrival k is at
 * Λ⁻¹(E_k), which keeps Poisson arrivals Poisson under a ramp.
 */
export function* scheduleArrivals(
  profile: RateProfile,
  gap: () => number,
  untilS: number,
  maxCount = Number.POSITIVE_INFINITY,
): Generator<number> {
  const constant = !Number.isFinite(profile.endS);
  const STEP_S = 0.001;
  let tS = 0;
  let integrated = 0; // Λ(tS)
  let target = 0; // E_k
  for (let n = 0; n < maxCount; n++) {
    if (n > 0) target += gap();
    if (constant) {
      tS = target / profile.rateAt(0);
    } else {
      // Advance Λ in 1 ms trapezoid steps, interpolating inside the step that crosses the target.
      while (integrated < target && tS < untilS) {
        const inc = ((profile.rateAt(tS) + profile.rateAt(tS + STEP_S)) / 2) * STEP_S;
        if (integrated + inc >= target) {
          tS += (inc > 0 ? (target - integrated) / inc : 1) * STEP_S;
          integrated = target;
          break;
        }
        integrated += inc;
        tS += STEP_S;
      }
    }
    if (tS >= untilS) return;
    yield tS * 1e6;
  }
}

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
 * The absolute scheduled times (µs from `originUs`) of every arrival up to `untilS` seconds or
 * `maxCount` arrivals, computed ahead so timer drift cannot accumulate. Under a changing rate, each
 * unit gap is stretched by the rate at the current time (time-rescaling of a unit-rate process).
 */
export function* scheduleArrivals(
  profile: RateProfile,
  gap: () => number,
  untilS: number,
  maxCount = Number.POSITIVE_INFINITY,
): Generator<number> {
  let tS = 0;
  for (let n = 0; n < maxCount; n++) {
    let rate = profile.rateAt(tS);
    // A zero rate (a stage ramping from 0) waits in small steps until requests are due.
    while (rate <= 0 && tS < untilS) {
      tS += 0.01;
      rate = profile.rateAt(tS);
    }
    tS += gap() / rate;
    if (tS > untilS) return;
    yield tS * 1e6;
  }
}

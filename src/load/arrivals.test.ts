import { describe, expect, it } from "vitest";
import { constantRate, createGapSampler, scheduleArrivals, stagedRate } from "./arrivals.js";

/** Gaps between consecutive arrivals, in seconds (the first arrival is at 0). */
const gapsOf = (times: number[]) => times.slice(1).map((t, i) => (t - times[i]!) / 1e6);

describe("arrival schedules", () => {
  it("constant arrivals are exactly 1/rate apart", () => {
    const times = [...scheduleArrivals(constantRate(50), createGapSampler("constant", 1), 2)];
    expect(times).toHaveLength(100);
    expect(times[0]).toBe(0);
    for (const g of gapsOf(times)) expect(g).toBeCloseTo(0.02, 9);
  });

  it.each([1, 2, 3])(
    "Poisson inter-arrival times pass a Kolmogorov-Smirnov test for Exp(rate) (seed %i)",
    (seed) => {
      const rate = 200;
      const gaps = gapsOf([...scheduleArrivals(constantRate(rate), createGapSampler("poisson", seed), 50)]);
      expect(gaps.length).toBeGreaterThan(9_000);
      const sorted = [...gaps].sort((a, b) => a - b);
      const n = sorted.length;
      let d = 0;
      sorted.forEach((x, i) => {
        const cdf = 1 - Math.exp(-rate * x);
        d = Math.max(d, Math.abs(cdf - i / n), Math.abs(cdf - (i + 1) / n));
      });
      // Critical value at alpha = 0.01 is 1.628 / sqrt(n).
      expect(d).toBeLessThan(1.628 / Math.sqrt(n));
      const mean = gaps.reduce((a, b) => a + b, 0) / n;
      expect(mean).toBeCloseTo(1 / rate, 3);
    },
  );

  it.each([0.5, 1, 4])(
    "gamma arrivals keep the mean rate; burstiness %f sets the variance (CV^2 = 1/shape)",
    (b) => {
      const gaps = gapsOf([...scheduleArrivals(constantRate(100), createGapSampler("gamma", 9, b), 200)]);
      const mean = gaps.reduce((a, x) => a + x, 0) / gaps.length;
      const variance = gaps.reduce((a, x) => a + (x - mean) ** 2, 0) / gaps.length;
      expect(mean).toBeCloseTo(0.01, 3);
      expect(variance / mean ** 2).toBeCloseTo(1 / b, 1);
    },
  );

  it("is deterministic for a seed and differs across seeds", () => {
    const a = [...scheduleArrivals(constantRate(10), createGapSampler("poisson", 5), 10)];
    const b = [...scheduleArrivals(constantRate(10), createGapSampler("poisson", 5), 10)];
    const c = [...scheduleArrivals(constantRate(10), createGapSampler("poisson", 6), 10)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("a linear ramp from 0 to 100/s over 10 s sends about 500 requests, denser at the end", () => {
    const times = [
      ...scheduleArrivals(stagedRate(0, [{ to: 100, overS: 10 }]), createGapSampler("constant", 1), 10),
    ];
    expect(times.length).toBeGreaterThan(490);
    expect(times.length).toBeLessThan(510);
    expect(times.filter((t) => t > 5e6).length).toBeGreaterThan(
      3 * times.filter((t) => t <= 5e6).length - 30,
    );
  });

  it("stops at maxCount", () => {
    expect([...scheduleArrivals(constantRate(1000), createGapSampler("constant", 1), 100, 7)]).toHaveLength(
      7,
    );
  });

  it("a ramp's arrivals sit exactly where the integrated rate reaches each count", () => {
    // Rate 0 -> 100/s over 10 s is 10t/s, so Λ(t) = 5t² and arrival k is at sqrt(k / 5).
    const times = [
      ...scheduleArrivals(stagedRate(0, [{ to: 100, overS: 10 }]), createGapSampler("constant", 1), 10),
    ];
    expect(times).toHaveLength(500);
    times.forEach((t, k) => expect(t / 1e6).toBeCloseTo(Math.sqrt(k / 5), 9));
  });

  it("a zero-length stage is a step in the rate, and a rate that falls to 0 ends the schedule", () => {
    const profile = stagedRate(10, [
      { to: 1000, overS: 0 },
      { to: 1000, overS: 1 },
      { to: 0, overS: 0 },
    ]);
    const times = [...scheduleArrivals(profile, createGapSampler("constant", 1), 3600)];
    // At 1000/s from 0 to 1 s inclusive (the 1000th is where Λ reaches 1000), then nothing for an hour.
    expect(times).toHaveLength(1001);
    expect(times[1000]).toBeCloseTo(1e6, 3);
    for (const g of gapsOf(times)) expect(g).toBeCloseTo(0.001, 9);
  });

  it.each([
    ["NaN", Number.NaN],
    ["a negative rate", -5],
  ])("%s counts as no arrivals after the first, never as a schedule stuck in time", (_name, rate) => {
    expect([...scheduleArrivals(constantRate(rate), createGapSampler("poisson", 1), 10)]).toEqual([0]);
    expect([
      ...scheduleArrivals(stagedRate(rate, [{ to: rate, overS: 5 }]), createGapSampler("poisson", 1), 10),
    ]).toEqual([0]);
  });
});

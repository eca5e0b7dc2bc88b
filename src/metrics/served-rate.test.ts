import { describe, expect, it } from "vitest";
import { createRng } from "../util/rng.js";
import { servedRate, settling, type Completion } from "./served-rate.js";

/**
 * A server of `slots` requests at a time, each taking `serviceS` (±jitter), first come first
 * served, offered `rate` requests/s for `durationS` (constant or Poisson arrivals). Its capacity is
 * slots / serviceS; past it, requests queue and complete at that capacity.
 */
function simulate(o: {
  rate: number;
  durationS: number;
  slots: number;
  serviceS: number;
  jitter?: number;
  poisson?: boolean;
  seed?: number;
  /** Service time multiplier from this second on (a server that degrades mid-step). */
  slowAfterS?: { atS: number; factor: number };
}): Completion[] {
  const rng = createRng(o.seed ?? 1);
  const free = Array.from({ length: o.slots }, () => 0);
  const out: Completion[] = [];
  for (let t = 0; t < o.durationS;) {
    const slot = free.indexOf(Math.min(...free));
    const begin = Math.max(t, free[slot]!);
    const slow = o.slowAfterS && begin >= o.slowAfterS.atS ? o.slowAfterS.factor : 1;
    const service = o.serviceS * slow * (1 + (o.jitter ?? 0.2) * (2 * rng() - 1));
    free[slot] = begin + service;
    out.push({ startUs: t * 1e6, endUs: (begin + service) * 1e6, ok: true });
    t += o.poisson ? -Math.log(1 - rng()) / o.rate : 1 / o.rate;
  }
  return out;
}

// load-demo's simulator: 16 at a time, about 220 ms each: 72.7 requests/s.
const server = { slots: 16, serviceS: 0.22 };
const CAPACITY = 16 / 0.22;

describe("servedRate", () => {
  it("reads the offered rate when the server keeps up, for short steps and Poisson arrivals too", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      for (const poisson of [false, true]) {
        const r = servedRate(simulate({ ...server, rate: 50, durationS: 3, poisson, seed }))!;
        expect(r.ratio).toBeGreaterThan(0.97);
        expect(r.ratio).toBeLessThan(1.03);
        expect(r.servedRps).toBeGreaterThan(poisson ? 40 : 48);
      }
    }
  });

  it("reads the server's capacity past it, never the offered rate", () => {
    for (const rate of [80, 100, 150]) {
      const r = servedRate(simulate({ ...server, rate, durationS: 3 }))!;
      expect(r.servedRps).toBeGreaterThan(CAPACITY * 0.95);
      expect(r.servedRps).toBeLessThan(CAPACITY * 1.05);
      expect(r.ratio).toBeCloseTo(CAPACITY / rate, 1);
    }
  });

  it("counts failures against the served share", () => {
    const requests = simulate({ ...server, rate: 40, durationS: 3 }).map((r, i) => ({
      ...r,
      ok: i % 10 !== 0,
    }));
    expect(servedRate(requests)!.ratio).toBeCloseTo(0.9, 1);
  });

  it.each([
    ["no requests", []],
    ["one request", [{ startUs: 0, endUs: 10, ok: true }]],
    [
      "one success",
      [
        { startUs: 0, endUs: 10, ok: true },
        { startUs: 5, endUs: 12, ok: false },
      ],
    ],
    [
      "all at once",
      [
        { startUs: 0, endUs: 10, ok: true },
        { startUs: 0, endUs: 10, ok: true },
      ],
    ],
  ])("reads nothing from %s", (_name, requests: Completion[]) => {
    expect(servedRate(requests)).toBeUndefined();
  });
});

describe("settling", () => {
  it("is settled on constant arrivals below capacity and past it", () => {
    for (const rate of [30, 60, 100]) {
      for (const seed of [1, 2, 3]) {
        expect(settling(simulate({ ...server, rate, durationS: 3, seed }), 0.95).settled).toBe(true);
      }
    }
  });

  it("is settled when both halves fall on the same side of the line", () => {
    // Poisson arrivals at 83% of capacity: bursts make the halves differ, but both keep up.
    const s = settling(simulate({ ...server, rate: 60, durationS: 5, poisson: true, seed: 2 }), 0.95);
    expect(Math.abs(s.first! - s.second!)).toBeGreaterThan(0.05);
    expect(s.settled).toBe(true);
  });

  it("is not settled while the server degrades during the step", () => {
    const s = settling(
      simulate({ ...server, rate: 60, durationS: 4, slowAfterS: { atS: 2, factor: 1.6 } }),
      0.95,
    );
    expect(s.settled).toBe(false);
    expect(s.first!).toBeGreaterThan(0.95);
    expect(s.second!).toBeLessThan(0.9);
  });
});

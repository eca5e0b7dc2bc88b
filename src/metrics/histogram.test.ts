import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng } from "../util/rng.js";
import type { HistogramKind } from "../record/aggregate.js";
import { Recorder, summarize } from "./histogram.js";

const PERCENTILES = [1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99];

/** Nearest-rank percentile of sorted values (the definition HDR histograms implement). */
function exactPercentile(sorted: number[], p: number): number {
  // p in hundredths of a percent keeps the rank free of floating-point error.
  const rank = Math.max(1, Math.ceil((Math.round(p * 100) * sorted.length) / 10_000));
  return sorted[rank - 1]!;
}

/** Integer latencies in µs, log-normal-ish with a long tail (100 µs .. ~30 s). */
function latencies(seed: number, n: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const u = Math.max(rng(), 1e-12);
    const v = rng();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.min(30_000_000, Math.round(Math.exp(11 + 1.5 * normal)) + 100);
  });
}

function recorderOf(values: number[], kind: HistogramKind = "latency"): Recorder {
  const r = new Recorder(kind);
  for (const v of values) r.record(v);
  return r;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Percentiles, count, min, max, sum: everything a merged or decoded recorder must reproduce. */
const fingerprint = (r: Recorder) => ({
  percentiles: PERCENTILES.map((p) => r.percentile(p)),
  count: r.count,
  min: r.min,
  max: r.max,
  sum: r.sum,
});

describe("Recorder", () => {
  it.each([
    ["latency, seed 1", "latency" as const, latencies(1, 20_000)],
    ["latency, seed 2", "latency" as const, latencies(2, 5_000)],
    ["uniform 0..2000 (unit-width buckets)", "latency" as const, latencies(3, 3_000).map((v) => v % 2001)],
    ["tokens", "tokens" as const, latencies(4, 4_000).map((v) => Math.ceil(v / 1000))],
    ["beyond the 1 h bound (auto-resize)", "latency" as const, [1, 50, 7_200_000_000, 9_000_000_000]],
  ])("%s: percentiles within 0.1%% of sorting, exact min/max/mean/count", (_name, kind, values) => {
    const r = recorderOf(values, kind);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of PERCENTILES) {
      const exact = exactPercentile(sorted, p);
      const got = r.percentile(p);
      expect(Math.abs(got - exact), `p${p}: got ${got}, exact ${exact}`).toBeLessThanOrEqual(exact * 0.001);
    }
    expect(r.count).toBe(values.length);
    expect(r.min).toBe(sorted[0]);
    expect(r.max).toBe(sorted.at(-1));
    expect(r.mean).toBe(sum(values) / values.length);
    expect(r.percentile(0)).toBe(sorted[0]);
    expect(r.percentile(100)).toBe(sorted.at(-1));
  });

  it("percentiles stay within 0.1% for arbitrary integer data (fast-check, seeded)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 1, maxLength: 500 }),
        fc.constantFrom(...PERCENTILES),
        (values, p) => {
          const r = recorderOf(values);
          const exact = exactPercentile(
            [...values].sort((a, b) => a - b),
            p,
          );
          return Math.abs(r.percentile(p) - exact) <= exact * 0.001;
        },
      ),
      { seed: 20_240_601, numRuns: 200 },
    );
  });

  it.each([
    // Values are recorded to the integer (µs), as the HDR buckets are.
    ["one fractional value", [1234.567], 1235],
    ["equal values", [42, 42, 42], 42],
  ])("%s: every percentile is clamped to the exact min/max", (_name, values, expected) => {
    const r = recorderOf(values);
    for (const p of PERCENTILES) expect(r.percentile(p)).toBe(expected);
    expect(r.mean).toBe(expected);
  });

  it.each([
    ["latency, 20k values", latencies(5, 20_000)],
    ["a single value", [777]],
    ["fractional values", [0.4, 10.6, 99.5, 1_000.25]],
  ])("encode → JSON → decode keeps %s identical", (_name, values) => {
    const r = recorderOf(values);
    const decoded = Recorder.decode(JSON.parse(JSON.stringify(r.encode())));
    expect(fingerprint(decoded)).toEqual(fingerprint(r));
    expect(decoded.mean).toBe(r.mean);
    expect(summarize(decoded, 1000)).toEqual(summarize(r, 1000));
  });

  it.each([
    ["two latency sets", latencies(6, 8_000), latencies(7, 12_000)],
    ["disjoint ranges", latencies(8, 1_000).map((v) => v % 1000), latencies(9, 1_000).map((v) => v + 5e6)],
    ["one side empty", latencies(10, 3_000), []],
    ["other side empty", [], latencies(11, 3_000)],
  ])("merging %s equals one recorder that saw every value", (_name, a, b) => {
    const all = recorderOf([...a, ...b]);

    const merged = recorderOf(a);
    merged.merge(recorderOf(b));
    expect(fingerprint(merged)).toEqual(fingerprint(all));

    // The shard-merge path: each side saved and read back, then merged.
    const fromShards = Recorder.decode(JSON.parse(JSON.stringify(recorderOf(a).encode())));
    fromShards.merge(Recorder.decode(JSON.parse(JSON.stringify(recorderOf(b).encode()))));
    expect(fingerprint(fromShards)).toEqual(fingerprint(all));
    expect(fromShards.encode()).toEqual(all.encode());
  });

  it.each([0, 1, 50, 99.9, 100])("an empty recorder gives NaN at p%s and count 0", (p) => {
    const r = new Recorder("latency");
    expect(r.percentile(p)).toBeNaN();
    expect(r.mean).toBeNaN();
    expect(r.count).toBe(0);
    const decoded = Recorder.decode(r.encode());
    expect(decoded.percentile(p)).toBeNaN();
    expect(decoded.count).toBe(0);
  });

  it("summarize of an empty recorder is NaN everywhere but count", () => {
    expect(summarize(new Recorder("latency"), 1000)).toEqual({
      p50: NaN,
      p90: NaN,
      p95: NaN,
      p99: NaN,
      "p99.9": NaN,
      min: NaN,
      mean: NaN,
      max: NaN,
      count: 0,
    });
  });

  it.each([
    ["-5", [-5], { min: 0, max: 0, sum: 0, p50: 0 }],
    ["-1000 beside 10", [-1000, 10], { min: 0, max: 10, sum: 10, p50: 0 }],
    ["-0.5, 3, 4", [-0.5, 3, 4], { min: 0, max: 4, sum: 7, p50: 3 }],
  ])("negative values clamp to 0: %s", (_name, values, expected) => {
    const r = recorderOf(values);
    expect({ min: r.min, max: r.max, sum: r.sum, p50: r.percentile(50) }).toEqual(expected);
    expect(r.count).toBe(values.length);
  });

  it("summarize scales µs to ms", () => {
    const r = recorderOf([1_000, 2_000, 3_000, 4_000]);
    expect(summarize(r, 1000)).toMatchObject({ min: 1, max: 4, mean: 2.5, count: 4, p50: 2 });
  });
});

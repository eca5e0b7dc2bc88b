import { describe, expect, it } from "vitest";
import { expectedArrivals } from "./phase-sense.js";

describe("expectedArrivals", () => {
  it.each<[string, number, Array<{ to: number; overMs: number }>, number, number, number]>([
    ["a constant rate", 10, [], 0, 5_000, 50],
    ["a constant rate after a warmup", 10, [], 1_000, 5_000, 40],
    ["a ramp from 0 to 10 over 10s", 0, [{ to: 10, overMs: 10_000 }], 0, 10_000, 50],
    ["the second half of that ramp", 0, [{ to: 10, overMs: 10_000 }], 5_000, 10_000, 37.5],
    ["past the ramp, the last rate holds", 0, [{ to: 10, overMs: 10_000 }], 10_000, 12_000, 20],
    ["a step (a stage of no length)", 1, [{ to: 100, overMs: 0 }], 0, 1_000, 100],
    ["a rate of 1e-9 for 5s", 1e-9, [], 0, 5_000, 5e-9],
  ])("%s", (_what, start, stages, fromMs, toMs, expected) => {
    expect(expectedArrivals(start, stages, fromMs, toMs)).toBeCloseTo(expected, 9);
  });
});

import { describe, expect, it } from "vitest";
import type { PlanCase } from "../config/plan.js";
import { createRng } from "../util/rng.js";
import { createTokenCount, createWorkload } from "./workload.js";

const draw = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("workloads", () => {
  it.each([
    ["fixed", 128, (xs: number[]) => expect(new Set(xs)).toEqual(new Set([128]))],
    [
      "uniform",
      { min: 10, max: 20 },
      (xs: number[]) => {
        expect(Math.min(...xs)).toBe(10);
        expect(Math.max(...xs)).toBe(20);
        expect(mean(xs)).toBeCloseTo(15, 0);
      },
    ],
    [
      "normal",
      { mean: 100, stddev: 10 },
      (xs: number[]) => {
        expect(mean(xs)).toBeCloseTo(100, 0);
        const sd = Math.sqrt(mean(xs.map((x) => (x - 100) ** 2)));
        expect(sd).toBeGreaterThan(9);
        expect(sd).toBeLessThan(11);
      },
    ],
  ])("%s token counts", (_name, spec, check) => {
    check(draw(5000, createTokenCount(spec, createRng(3))));
  });

  it("synthetic requests ask for a fixed output length with max_tokens and ignore_eos", () => {
    const next = createWorkload({
      cases: [],
      params: { temperature: 0 },
      stream: true,
      seed: 1,
      synthetic: { input_tokens: 50, output_tokens: 64 },
    });
    const r = next();
    expect(r.messages[0]!.content.split(" ")).toHaveLength(50);
    expect(r.params).toEqual({ temperature: 0, max_tokens: 64, ignore_eos: true });
  });

  it("cycles the suite's cases in an order shuffled by the seed", () => {
    const cases = ["a", "b", "c", "d"].map((id) => ({
      id,
      messages: [{ role: "user", content: id }],
    })) as PlanCase[];
    const order = (seed: number) => {
      const next = createWorkload({ cases, params: {}, stream: true, seed });
      return draw(8, () => next().messages[0]!.content);
    };
    expect(order(1)).toEqual(order(1));
    expect(new Set(order(1).slice(0, 4))).toEqual(new Set(["a", "b", "c", "d"]));
    expect(order(1).slice(0, 4)).toEqual(order(1).slice(4));
    expect([1, 2, 3, 4, 5].map((s) => order(s).join("")).some((o) => o !== order(1).join(""))).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { formatSpanMs } from "../util/duration.js";
import { parseSuiteText } from "./load-suite.js";
import { estimateLoadDuration } from "./plan-duration.js";
import { buildPlan } from "./plan.js";

const planOf = (load: string[], targets = "{ a: { provider: sim }, b: { provider: sim } }") =>
  buildPlan(
    parseSuiteText(
      "suite.yaml",
      [
        "version: 1",
        "name: d",
        `targets: ${targets}`,
        'prompts: { p: "hi" }',
        "cases: [{ prompt: p }]",
        "load:",
        ...load.map((l) => `  - ${l}`),
      ].join("\n") + "\n",
      {},
    ),
  );

describe("estimateLoadDuration", () => {
  it("sums each phase once per target it runs on, with time limits as the most", async () => {
    const plan = await planOf([
      "{ name: s, concurrency: 2, duration: 30s }",
      "{ name: o, rate: 5, duration: 1m, targets: [a] }",
      "{ name: r, stages: [{ to: 4, over: 10s }, { to: 0, over: 5s }] }",
    ]);
    const e = estimateLoadDuration(plan);
    expect(e.phaseRuns).toBe(5);
    expect(e.plannedMs).toBe(2 * 30_000 + 60_000 + 2 * 15_000);
    // Each phase's default time limit is its length plus at least 30 s.
    expect(e.maxMs).toBe(2 * 60_000 + 120_000 + 2 * 45_000);
    expect(e.requestBounded).toBe(0);
    expect(estimateLoadDuration(plan, ["b"]).plannedMs).toBe(30_000 + 15_000);
  });

  it("counts every step of a sweep and sets apart phases bounded by a request count", async () => {
    const plan = await planOf(
      [
        '{ name: cap, sweep: { slo: { "ttft.p95": "< 100ms" }, rates: [1, 2, 3], refine: 1 }, duration: 4s }',
        "{ name: n, concurrency: 2, requests: 50 }",
      ],
      "{ a: { provider: sim } }",
    );
    const e = estimateLoadDuration(plan);
    // synchronous + saturation + 3 rates + 1 bisection step, 4 s each.
    expect(e.plannedMs).toBe(6 * 4_000);
    expect(e.requestBounded).toBe(1);
    expect(e.maxMs).toBeGreaterThan(e.plannedMs);
  });
});

describe("formatSpanMs", () => {
  it.each([
    [45_000, "45s"],
    [190_000, "3m 10s"],
    [120_000, "2m"],
    [3_720_000, "1h 2m"],
    [7_200_000, "2h"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatSpanMs(ms)).toBe(text);
  });
});

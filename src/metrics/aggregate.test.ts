import { describe, expect, it } from "vitest";
import type { FailureKind } from "../record/failure.js";
import { PhaseAggregator, summarizePhase } from "./aggregate.js";
import { type PhaseAggregate } from "../record/aggregate.js";
import type { RequestSample } from "../record/request-sample.js";

/** A successful request: starts at `startS` seconds, ttft/e2e in ms, `out` tokens from the server. */
function ok(startS: number, ttftMs: number, e2eMs: number, out: number, extra: Partial<RequestSample> = {}) {
  const startUs = startS * 1e6;
  const gaps = out > 1 ? Array.from({ length: out - 1 }, () => ((e2eMs - ttftMs) * 1000) / (out - 1)) : [];
  const sample: RequestSample = {
    target: "t",
    phase: "steady",
    startUs,
    dispatchDelayUs: 100,
    ttftUs: ttftMs * 1000,
    e2eUs: e2eMs * 1000,
    itlGapsUs: gaps,
    tpotUs: out > 1 ? ((e2eMs - ttftMs) * 1000) / (out - 1) : undefined,
    outputTokens: out,
    outputTokensEstimated: false,
    inputTokens: 10,
    chunks: out,
    ok: true,
    endUs: startUs + e2eMs * 1000 + 500,
    ...extra,
  };
  return sample;
}

function failed(startS: number, kind: FailureKind, endS: number): RequestSample {
  return {
    target: "t",
    phase: "steady",
    startUs: startS * 1e6,
    dispatchDelayUs: 2_000,
    itlGapsUs: [],
    outputTokens: 0,
    outputTokensEstimated: true,
    chunks: 0,
    ok: false,
    failure: { kind, message: kind },
    endUs: endS * 1e6,
  };
}

function aggregate(
  samples: RequestSample[],
  slos: Array<(s: RequestSample) => boolean> = [],
): PhaseAggregate {
  const agg = new PhaseAggregator("t", "steady", slos);
  for (const s of samples) agg.add(s);
  return agg.toAggregate();
}

/** Within 0.1% (the HDR histograms' 3 significant digits). */
const near = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    Math.abs(expected) * 0.001,
  );

describe("PhaseAggregator + summarizePhase", () => {
  it.each<
    [string, RequestSample[], { windowS: number; requestThroughput: number; outputThroughput: number }]
  >([
    // Window: first start (10 s) → last completion (12 s + 900 ms + 0.5 ms).
    [
      "two successes",
      [ok(10, 100, 400, 4), ok(12, 200, 900, 8)],
      { windowS: 2.9005, requestThroughput: 2 / 2.9005, outputThroughput: 12 / 2.9005 },
    ],
    // A failure's start and end widen the window but add no success.
    [
      "a failure that ends last",
      [ok(10, 100, 400, 4), failed(9, "timeout", 15)],
      { windowS: 6, requestThroughput: 1 / 6, outputThroughput: 4 / 6 },
    ],
    // Samples arriving out of order do not matter.
    [
      "out of order",
      [ok(20, 50, 100, 2), ok(18, 50, 100, 2), ok(19, 50, 2_100, 2)],
      { windowS: 3.1005, requestThroughput: 3 / 3.1005, outputThroughput: 6 / 3.1005 },
    ],
  ])("window and throughputs: %s", (_name, samples, expected) => {
    const s = summarizePhase(aggregate(samples));
    expect(s.windowS).toBeCloseTo(expected.windowS, 9);
    expect(s.requestThroughput).toBeCloseTo(expected.requestThroughput, 9);
    expect(s.outputThroughput).toBeCloseTo(expected.outputThroughput, 9);
    const successes = samples.filter((x) => x.ok).length;
    expect(s.totalThroughput).toBeCloseTo(
      (samples.filter((x) => x.ok).reduce((n, x) => n + x.outputTokens, 0) + 10 * successes) /
        expected.windowS,
      9,
    );
  });

  it.each<
    [string, RequestSample[], { errorRate: number; errorsByKind: Partial<Record<FailureKind, number>> }]
  >([
    ["no failures", [ok(0, 10, 20, 2), ok(1, 10, 20, 2)], { errorRate: 0, errorsByKind: {} }],
    [
      "mixed kinds",
      [
        ok(0, 10, 20, 2),
        failed(0, "http_429", 1),
        failed(0, "http_429", 1),
        failed(0, "http_5xx", 1),
        failed(0, "stream_dropped", 1),
        ok(1, 10, 20, 2),
        ok(2, 10, 20, 2),
        ok(3, 10, 20, 2),
      ],
      { errorRate: 4 / 8, errorsByKind: { http_429: 2, http_5xx: 1, stream_dropped: 1 } },
    ],
    [
      "all failed",
      [failed(0, "connect", 1), failed(1, "timeout", 3)],
      { errorRate: 1, errorsByKind: { connect: 1, timeout: 1 } },
    ],
  ])("error rate and errorsByKind: %s", (_name, samples, expected) => {
    const a = aggregate(samples);
    const s = summarizePhase(a);
    expect(s.errorRate).toBe(expected.errorRate);
    expect(s.errorsByKind).toEqual(expected.errorsByKind);
    expect(a.failures).toBe(samples.filter((x) => !x.ok).length);
    expect(a.successes).toBe(samples.filter((x) => x.ok).length);
    // The saved aggregate lists every kind, zeros included, so runs merge by key.
    expect(Object.values(a.errorsByKind).reduce((n, v) => n + v, 0)).toBe(a.failures);
    expect(a.errorsByKind.malformed).toBe(expected.errorsByKind.malformed ?? 0);
  });

  it("reports latencies in ms: ttft, e2e, tpot per request, itl pooled, dispatch delay over all requests", () => {
    const samples = [
      ok(0, 100, 400, 4), // tpot 100 ms, gaps 3 × 100 ms
      ok(1, 200, 300, 3), // tpot 50 ms, gaps 2 × 50 ms
      ok(2, 300, 300, 1), // no tpot, no gaps
      failed(3, "http_5xx", 4), // only its dispatch delay counts
    ];
    const s = summarizePhase(aggregate(samples));
    const { ttft, e2e, tpot, itl, dispatch_delay } = s.latencyMs;
    expect([ttft.min, ttft.max, ttft.count]).toEqual([100, 300, 3]);
    expect(ttft.mean).toBeCloseTo(200, 9);
    near(ttft.p50, 200);
    expect([e2e.min, e2e.max, e2e.count]).toEqual([300, 400, 3]);
    near(e2e.p50, 300);
    expect([tpot.min, tpot.max, tpot.count]).toEqual([50, 100, 2]);
    expect(tpot.mean).toBeCloseTo(75, 9);
    expect([itl.min, itl.max, itl.count]).toEqual([50, 100, 5]);
    expect(itl.mean).toBeCloseTo((3 * 100 + 2 * 50) / 5, 9);
    near(itl.p50, 100);
    expect([dispatch_delay.min, dispatch_delay.max, dispatch_delay.count]).toEqual([0.1, 2, 4]);
    expect(s.outputTokens).toMatchObject({ min: 1, max: 4, count: 3, p50: 3 });
  });

  it.each([
    ["every success meets the SLO", 300, 3],
    ["one success misses it", 150, 2],
    ["none meet it", 50, 0],
  ])("goodput counts successes meeting every SLO: %s", (_name, ttftLimitMs, good) => {
    const samples = [ok(0, 100, 200, 2), ok(0, 120, 200, 2), ok(0, 200, 400, 2), failed(0, "timeout", 1)];
    const slos = [(s: RequestSample) => s.ttftUs! / 1000 < ttftLimitMs, (s: RequestSample) => s.e2eUs! < 1e6];
    const a = aggregate(samples, slos);
    expect(a.goodRequests).toBe(good);
    const s = summarizePhase(a);
    expect(s.goodput).toBeCloseTo(good / s.windowS, 9);
  });

  it("counts dropped arrivals, tokens and estimated-token requests", () => {
    const agg = new PhaseAggregator("t", "steady");
    agg.add(ok(0, 10, 20, 5));
    agg.add(ok(1, 10, 20, 7, { outputTokensEstimated: true, inputTokens: undefined }));
    agg.addDropped(3);
    agg.addDropped(2);
    const a = agg.toAggregate();
    expect(a).toMatchObject({
      requests: 2,
      dropped: 5,
      outputTokens: 12,
      inputTokens: 10,
      estimatedTokenRequests: 1,
    });
    const s = summarizePhase(a);
    expect(s.dropped).toBe(5);
    expect(s.outputTokensEstimated).toBe(true);
  });

  it("an empty phase has a zero window, zero rates and NaN latencies", () => {
    const s = summarizePhase(new PhaseAggregator("t", "idle").toAggregate());
    expect(s).toMatchObject({
      requests: 0,
      windowS: 0,
      errorRate: 0,
      requestThroughput: 0,
      outputThroughput: 0,
      goodput: 0,
      outputTokensEstimated: false,
    });
    expect(s.latencyMs.ttft.p95).toBeNaN();
    expect(s.latencyMs.ttft.count).toBe(0);
  });

  it.each([
    // 4 requests over 10 s, 3 successes; 1000 input + 2000 output tokens.
    ["token prices", { inputPerMtok: 1, outputPerMtok: 3 }, (1000 * 1 + 2000 * 3) / 1e6],
    ["GPU-hours", { gpuHourUsd: 3.6, gpus: 2 }, (10 / 3600) * 3.6 * 2],
  ])("cost from %s: total, per request, per 1k, per success", (_name, economics, total) => {
    const samples = [
      ok(0, 10, 20, 500, { inputTokens: 250, endUs: 10e6 }),
      ok(0, 10, 20, 500, { inputTokens: 250 }),
      ok(0, 10, 20, 1000, { inputTokens: 500 }),
      failed(0, "timeout", 1),
    ];
    const s = summarizePhase(aggregate(samples), economics);
    expect(s.windowS).toBe(10);
    expect(s.cost!.total).toBeCloseTo(total, 12);
    expect(s.cost!.perRequest).toBeCloseTo(total / 4, 12);
    expect(s.cost!.per1k).toBeCloseTo((total / 4) * 1000, 12);
    expect(s.cost!.perSuccess).toBeCloseTo(total / 3, 12);
  });
});

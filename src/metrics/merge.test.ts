import { describe, expect, it } from "vitest";
import type { PhaseAggregate } from "../record/aggregate.js";
import type { RequestSample } from "../record/request-sample.js";
import { PhaseAggregator, summarizePhase } from "./aggregate.js";
import { mergeAggregates } from "./merge.js";

/** A shard of phase "load": `rate` requests/s for `seconds` from `startS`, every one a success of 10 tokens. */
function shard(startS: number, rate: number, seconds: number): PhaseAggregate {
  const agg = new PhaseAggregator("t", "load");
  for (let i = 0; i < rate * seconds; i++) {
    const startUs = (startS + i / rate) * 1e6;
    const sample: RequestSample = {
      target: "t",
      phase: "load",
      startUs,
      dispatchDelayUs: 0,
      ttftUs: 50_000,
      e2eUs: 100_000,
      itlGapsUs: [],
      outputTokens: 10,
      outputTokensEstimated: false,
      inputTokens: 5,
      chunks: 10,
      ok: true,
      // The last request ends 1/rate after its start, so each window is exactly `seconds` long.
      endUs: startUs + 1e6 / rate,
    };
    agg.add(sample);
  }
  return agg.toAggregate();
}

const PRICE = { gpuHourUsd: 3.6, gpus: 2 };

describe("mergeAggregates of shards that started at different times", () => {
  // Two shards of 12 requests/s for 5 s, the second started 7.5 s after the first.
  const [merged] = mergeAggregates([shard(0, 12, 5), shard(7.5, 12, 5)]);
  const s = summarizePhase(merged!, PRICE);

  it("sums each shard's own rates, never the span's", () => {
    expect(merged!.requests).toBe(120);
    expect(s.requestThroughput).toBeCloseTo(24, 9);
    expect(s.goodput).toBeCloseTo(24, 9);
    expect(s.outputThroughput).toBeCloseTo(240, 9);
    expect(s.totalThroughput).toBeCloseTo(360, 9);
    // The span is 12.5 s: 120 / 12.5 = 9.6 requests/s is what one window would have read.
    expect((merged!.windowEndUs - merged!.windowStartUs) / 1e6).toBeCloseTo(12.5, 9);
  });

  it("charges GPU-hours over the time one process takes at the summed rate", () => {
    expect(s.windowS).toBeCloseTo(5, 9);
    // $3.60 per GPU-hour x 2 GPUs = $0.002 per second, at 24 requests/s.
    expect(s.cost!.perRequest).toBeCloseTo(0.002 / 24, 12);
  });

  it("keeps every shard's window when a merged run is merged again", () => {
    const [again] = mergeAggregates([merged!, shard(20, 6, 5)]);
    expect(again!.shardWindows).toHaveLength(3);
    expect(summarizePhase(again!).requestThroughput).toBeCloseTo(30, 9);
  });

  it("reads the same as one process when the shards ran together", () => {
    const [together] = mergeAggregates([shard(0, 12, 5), shard(0, 12, 5)]);
    const one = summarizePhase(shard(0, 24, 5));
    expect(summarizePhase(together!).requestThroughput).toBeCloseTo(one.requestThroughput, 9);
    expect(summarizePhase(together!, PRICE).cost!.perRequest).toBeCloseTo(
      summarizePhase(shard(0, 24, 5), PRICE).cost!.perRequest,
      12,
    );
  });
});

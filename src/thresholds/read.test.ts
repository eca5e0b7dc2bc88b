import { describe, expect, it } from "vitest";
import { PhaseAggregator } from "../metrics/aggregate.js";
import { type PhaseAggregate } from "../record/aggregate.js";
import { Recorder } from "../metrics/histogram.js";
import type { RequestSample } from "../record/request-sample.js";
import type { FailureKind } from "../record/failure.js";
import type { QualityTotals } from "../record/run-result.js";
import type { ComparisonResult } from "../record/comparison.js";
import type { TargetInfo } from "../record/run-result.js";
import type { TargetTaskMetrics } from "../record/task-metrics.js";
import { readMetric } from "./judge.js";
import { runFigures } from "./read.js";
import { parseThreshold } from "./parse.js";

/** A successful request: ttft in ms, 2 output tokens, 5 input tokens, 1 s long from `startS`. */
function ok(startS: number, ttftMs: number): RequestSample {
  return {
    target: "",
    phase: "",
    startUs: startS * 1e6,
    dispatchDelayUs: 0,
    ttftUs: ttftMs * 1000,
    e2eUs: ttftMs * 1000 + 10_000,
    itlGapsUs: [10_000],
    tpotUs: 10_000,
    outputTokens: 2,
    outputTokensEstimated: false,
    inputTokens: 5,
    chunks: 2,
    ok: true,
    endUs: (startS + 1) * 1e6,
  };
}

function failed(startS: number, kind: FailureKind): RequestSample {
  return {
    ...ok(startS, 0),
    ttftUs: undefined,
    e2eUs: undefined,
    ok: false,
    failure: { kind, message: kind },
  };
}

function phase(target: string, name: string, samples: RequestSample[], dropped = 0): PhaseAggregate {
  const agg = new PhaseAggregator(target, name);
  for (const s of samples) agg.add({ ...s, target, phase: name });
  agg.addDropped(dropped);
  return agg.toAggregate();
}

const repeat = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

// Target a: "warmup" is 900 fast requests (10 ms) over 0..10 s; "steady" is 100 slow ones (1000 ms)
// plus 25 failures over 10..20 s. Target b: 50 requests at 50 ms over 0..5 s.
const WARMUP = phase("a", "warmup", [...repeat(900, (i) => ok(i / 100, 10))]);
const STEADY = phase(
  "a",
  "steady",
  [...repeat(100, (i) => ok(10 + i / 10.1, 1000)), ...repeat(25, () => failed(15, "http_5xx"))],
  7,
);
const B = phase(
  "b",
  "steady",
  repeat(50, (i) => ok(i / 12.5, 50)),
);
const PHASES = [WARMUP, STEADY, B];

/** Reads thresholds from these figures, as the registry's entries do. */
const createLookup =
  (
    phases: PhaseAggregate[],
    quality: QualityTotals[],
    targets: Array<Pick<TargetInfo, "name" | "economics">> = [],
    comparisons: ComparisonResult[] = [],
    tasks: TargetTaskMetrics[] = [],
  ) =>
  (t: ReturnType<typeof parseThreshold>) =>
    readMetric(runFigures({ phases, quality, targets, comparisons, tasks }), t);

const lookup = createLookup(PHASES, []);
const value = (key: string, expression = "< 1") => lookup(parseThreshold(key, expression));

describe("the registry reads PhaseAggregates", () => {
  it.each<[string, number]>([
    ["requests", 900 + 125 + 50],
    ["requests{target:a}", 1025],
    ["requests{target:b}", 50],
    ["requests{phase:steady}", 175],
    ["requests{target:a,phase:steady}", 125],
    ["requests{target:a,phase:warmup}", 900],
    ["dropped", 7],
    ["dropped{target:b}", 0],
    ["error_rate{target:a,phase:steady}", 25 / 125],
    ["error_rate{target:a}", 25 / 1025],
    ["error_rate{target:b}", 0],
    ["ttft.max{target:b}", 50],
    ["ttft.min{phase:steady}", 50],
    ["ttft.max{target:a,phase:warmup}", 10],
    ["ttft.count{target:a}", 1000],
    ["output_tokens.max", 2],
  ])("%s is %f", (key, expected) => {
    expect(value(key)).toBeCloseTo(expected, 12);
  });

  it.each(["requests{target:c}", "ttft.p95{phase:cooldown}", "error_rate{target:b,phase:warmup}"])(
    "%s matches no phase: no samples",
    (key) => {
      expect(value(key)).toBeUndefined();
    },
  );

  describe("a sweep's steps", () => {
    // A sweep "cap" on target a: a synchronous step at 20 ms and a saturation step at 7,770 ms.
    const steps = [
      phase(
        "a",
        "cap:synchronous",
        repeat(20, (i) => ok(30 + i / 10, 20)),
      ),
      phase(
        "a",
        "cap:saturation",
        repeat(20, (i) => ok(40 + i / 10, 7770)),
      ),
    ];
    const withSweep = createLookup([...PHASES, ...steps], []);
    const read = (key: string) => withSweep(parseThreshold(key, "< 1"));

    it.each<[string, number]>([
      // Untagged thresholds read the phases the suite meant to judge, not the sweep's probes.
      ["ttft.max", 1000],
      ["requests", 900 + 125 + 50],
      ["ttft.max{target:a}", 1000],
      // A phase tag naming the sweep selects all of its steps.
      ["ttft.max{phase:cap}", 7770],
      ["ttft.min{phase:cap}", 20],
      ["requests{phase:cap}", 40],
      ["requests{target:a,phase:cap}", 40],
    ])("%s is %f", (key, expected) => {
      expect(read(key)).toBeCloseTo(expected, 9);
    });
  });

  it("a latency with no recorded values is no samples, not 0", () => {
    const onlyFailures = createLookup([phase("c", "steady", [failed(0, "connect")])], []);
    expect(onlyFailures(parseThreshold("ttft.p95", "< 1"))).toBeUndefined();
    expect(onlyFailures(parseThreshold("error_rate", "< 1"))).toBe(1);
  });

  it.each<[string, number]>([
    // 900 values at 10 ms, 100 at 1000 ms: the merged p90 is 10 ms, p95 and p99 1000 ms.
    // Averaging the two phases' p95s would give (10 + 1000) / 2 = 505 ms instead.
    ["ttft.p50{target:a}", 10],
    ["ttft.p90{target:a}", 10],
    ["ttft.p95{target:a}", 1000],
    ["ttft.p99{target:a}", 1000],
  ])("%s over two phases is the merged histogram's percentile (%f ms)", (key, ms) => {
    const got = value(key)!;
    expect(Math.abs(got - ms)).toBeLessThanOrEqual(ms * 0.001);
    const stat = Number(key.slice("ttft.p".length, key.indexOf("{")));
    const merged = Recorder.decode(WARMUP.histograms.ttft);
    merged.merge(Recorder.decode(STEADY.histograms.ttft));
    expect(got).toBe(merged.percentile(stat) / 1000);
  });

  it("ttft.mean over two phases weighs every request, not every phase", () => {
    expect(value("ttft.mean{target:a}")).toBeCloseTo((900 * 10 + 100 * 1000) / 1000, 9);
  });

  it.each<[string, number]>([
    // warmup: last start 8.99 s, so its window is 0 → 9.99 s; steady: 10 s → 10 + 99/10.1 + 1 s.
    ["request_throughput{target:a,phase:warmup}", 900 / 9.99],
    ["request_throughput{target:a}", 1000 / (9.99 + (99 / 10.1 + 1))],
    ["output_throughput{target:b}", (50 * 2) / (49 / 12.5 + 1)],
    ["total_throughput{target:b}", (50 * 7) / (49 / 12.5 + 1)],
    ["goodput{target:b}", 50 / (49 / 12.5 + 1)],
  ])("%s is successes or tokens over the summed windows", (key, expected) => {
    expect(value(key, "> 0")).toBeCloseTo(expected, 9);
  });

  describe("quality.pass_rate", () => {
    const totals = (target: string, scored: number, passed: number, errored: number): QualityTotals => ({
      target,
      cases: scored + errored,
      scored,
      passed,
      errored,
      passRate: passed / (scored + errored),
    });
    const quality = [totals("a", 8, 6, 2), totals("b", 10, 10, 0), totals("c", 0, 0, 0)];
    const q = createLookup([], quality);

    it.each<[string, number | undefined]>([
      // Errored cases count as attempted and not passed: 6 / (8 + 2), not 6 / 8.
      ["quality.pass_rate{target:a}", 0.6],
      ["quality.pass_rate{target:b}", 1],
      ["quality.pass_rate", 16 / 20],
      ["quality.pass_rate{target:c}", undefined],
      ["quality.pass_rate{target:z}", undefined],
    ])("%s is %s", (key, expected) => {
      const got = q(parseThreshold(key, ">= 0.9"));
      if (expected === undefined) expect(got).toBeUndefined();
      else expect(got).toBeCloseTo(expected, 12);
    });

    it("with every case errored, the pass rate is 0", () => {
      expect(createLookup([], [totals("a", 0, 0, 4)])(parseThreshold("quality.pass_rate", ">= 0.9"))).toBe(0);
    });
  });

  it.each<[string, number]>([
    // Target b: 50 requests, 100 output and 250 input tokens at $1 / $2 per Mtok.
    ["cost.per_request{target:b}", (250 * 1 + 100 * 2) / 1e6 / 50],
    ["cost.per_1k{target:b}", ((250 * 1 + 100 * 2) / 1e6 / 50) * 1000],
    ["cost.per_success{target:b}", (250 * 1 + 100 * 2) / 1e6 / 50],
  ])("%s from the target's economics", (key, expected) => {
    const withPrices = createLookup(
      PHASES,
      [],
      [{ name: "b", economics: { inputPerMtok: 1, outputPerMtok: 2 } }],
    );
    expect(withPrices(parseThreshold(key, "< 1"))).toBeCloseTo(expected, 15);
    // Without prices, cost has no samples.
    expect(lookup(parseThreshold(key, "< 1"))).toBeUndefined();
  });
});

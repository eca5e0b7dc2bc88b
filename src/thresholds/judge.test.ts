import { describe, expect, it } from "vitest";
import type { MetricUnit, Threshold, Verdict } from "../record/verdict.js";
import { formatValue, judge, verdictOf } from "./judge.js";
import type { MetricName } from "./metrics.js";
import { parseThreshold, thresholdOf, ThresholdSyntaxError } from "./parse.js";
import { runFigures } from "./read.js";

/** Judges each threshold on the value `observed` gives it (the run's figures are not under test here). */
const evaluateThresholds = (
  thresholds: Array<Threshold<MetricName>>,
  observed: (t: Threshold<MetricName>) => number | undefined,
) => thresholds.map((t) => verdictOf(t, observed(t), runFigures({})));

/** One value for every threshold. */
const always = (value: number | undefined) => () => value;

describe("verdictOf", () => {
  it.each<[string, number, boolean]>([
    ["< 200ms", 199.9, true],
    ["< 200ms", 200, false],
    ["<= 200ms", 200, true],
    ["<= 200ms", 200.1, false],
    ["> 200ms", 200.1, true],
    ["> 200ms", 200, false],
    [">= 200ms", 200, true],
    [">= 200ms", 199.9, false],
    ["== 200ms", 200, true],
    ["== 200ms", 200.001, false],
    ["!= 200ms", 199, true],
    ["!= 200ms", 200, false],
    ["< 1s", 999, true],
    ["< 1s", 1000, false],
    ["p(95) < 500", 499, true],
    ["p(95) < 500", 501, false],
  ])("ttft.p95 %s with %f ms observed passes: %s", (expression, observed, pass) => {
    const [v] = evaluateThresholds([parseThreshold("ttft.p95", expression)], always(observed));
    expect(v).toMatchObject({ key: "ttft.p95", expression, pass, observed, unit: "ms" });
  });

  it.each<[string, string, number, boolean]>([
    ["error_rate", "< 1%", 0.009, true],
    ["error_rate", "< 1%", 0.01, false],
    ["error_rate", "rate <= 0.05", 0.05, true],
    ["quality.pass_rate", ">= 0.9", 0.9, true],
    ["quality.pass_rate", ">= 90%", 0.89, false],
    ["requests", "== 100", 100, true],
    ["dropped", "== 0", 1, false],
    ["request_throughput", "> 50", 50.5, true],
    ["cost.per_1k", "< 2", 2.5, false],
  ])("%s %s with %f observed passes: %s", (key, expression, observed, pass) => {
    const [v] = evaluateThresholds([parseThreshold(key, expression)], always(observed));
    expect(v!.pass).toBe(pass);
    expect(v!.observed).toBe(observed);
  });

  it.each<[string, number | undefined]>([
    ["undefined", undefined],
    ["NaN", Number.NaN],
  ])("a metric with no samples (%s) fails, naming the key", (_name, observed) => {
    const key = "ttft.p95{phase:steady}";
    const [v] = evaluateThresholds([parseThreshold(key, "< 200ms")], always(observed));
    expect(v).toEqual({
      key,
      expression: "< 200ms",
      pass: false,
      limit: 200,
      unit: "ms",
      reason: `no samples for ${key}`,
      threshold: {
        metric: "ttft",
        stat: "p95",
        tags: { phase: "steady" },
        op: "<",
        limit: 200,
        abortOnFail: false,
      },
      source: "suite",
    });
    expect(v!.observed).toBeUndefined();
  });

  it("evaluates each threshold against its own lookup, in order", () => {
    const thresholds = [
      parseThreshold("ttft.p95{phase:steady}", "< 300ms"),
      parseThreshold("error_rate", "< 1%"),
      parseThreshold("e2e.p99", "< 2s"),
    ];
    const values: Record<string, number | undefined> = {
      "ttft.p95{phase:steady}": 250,
      error_rate: 0.02,
      "e2e.p99": undefined,
    };
    const verdicts = evaluateThresholds(thresholds, (t) => values[t.key]);
    expect(verdicts.map((v) => [v.key, v.pass, v.reason])).toEqual([
      ["ttft.p95{phase:steady}", true, "observed 250ms, limit < 300ms"],
      ["error_rate", false, "observed 2.00%, limit < 1.00%"],
      ["e2e.p99", false, "no samples for e2e.p99"],
    ]);
    expect(verdicts[2]!.limit).toBe(2000);
  });

  it("formats the reason in the metric's unit", () => {
    const [v] = evaluateThresholds([parseThreshold("cost.per_request", "<= 0.002")], always(0.00126));
    expect(v!.reason).toBe("observed $0.0013, limit <= $0.0020");
  });
});

describe("formatValue", () => {
  it.each([
    [12.3456, "ms", "12.35ms"],
    [0.5, "ms", "0.50ms"],
    [100, "ms", "100ms"],
    [1234.56, "ms", "1235ms"],
    [0.0123, "fraction", "1.23%"],
    [1, "fraction", "100.00%"],
    [0, "fraction", "0.00%"],
    [0.00012, "usd", "$0.0001"],
    [12.5, "usd", "$12.5000"],
    [12.3456, "per_second", "12.35/s"],
    [1234, "count", "1234"],
    [12.34567, "tokens", "12.346"],
    [2, "tokens", "2"],
  ] satisfies Array<[number, MetricUnit, string]>)("%f %s → %s", (value, unit: MetricUnit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });
});

describe("judge", () => {
  const steady = parseThreshold("ttft.p95{phase:steady}", "< 200ms", {
    abortOnFail: true,
    delayAbortEvalMs: 5000,
  });

  it("keeps each threshold's definition and source in its verdict, so nothing parses the key again", () => {
    const [v] = judge([steady], runFigures({}), "baseline");
    expect(v).toMatchObject({ key: steady.key, source: "baseline", pass: false });
    expect(v!.threshold).toEqual({
      metric: "ttft",
      stat: "p95",
      tags: { phase: "steady" },
      op: "<",
      limit: 200,
      abortOnFail: true,
      delayAbortEvalMs: 5000,
    });
    // Through run.json and back: the same threshold, ready to be judged again.
    expect(thresholdOf(JSON.parse(JSON.stringify(v)) as Verdict)).toEqual(steady);
  });

  it("judges the suite's thresholds unless told the source", () => {
    expect(judge([steady], runFigures({}))[0]!.source).toBe("suite");
  });
});

describe("thresholdOf", () => {
  it("parses the key and expression of a verdict written before verdicts kept their definition", () => {
    const legacy: Verdict = {
      key: "error_rate{target:a}",
      expression: "< 1%",
      pass: true,
      observed: 0,
      limit: 0.01,
      unit: "fraction",
      reason: "observed 0.00%, limit < 1.00%",
    };
    expect(thresholdOf(legacy)).toEqual(parseThreshold("error_rate{target:a}", "< 1%"));
  });

  it("refuses a definition naming a metric this version does not know", () => {
    const [v] = judge([parseThreshold("requests", "> 0")], runFigures({}));
    const future = { ...v!, threshold: { ...v!.threshold!, metric: "requests.per_gpu" } };
    expect(() => thresholdOf(future)).toThrow(ThresholdSyntaxError);
  });
});

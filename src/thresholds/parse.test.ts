import { describe, expect, it } from "vitest";
import { holds, OPERATORS, type Operator } from "../record/verdict.js";
import { parseThreshold, parseThresholdKey, ThresholdSyntaxError } from "./parse.js";

describe("parseThresholdKey", () => {
  it.each<[string, { metric: string; stat?: string; tags: Record<string, string> }]>([
    ["ttft.p95", { metric: "ttft", stat: "p95", tags: {} }],
    ["itl.p99.9", { metric: "itl", stat: "p99.9", tags: {} }],
    ["e2e.avg", { metric: "e2e", stat: "mean", tags: {} }],
    ["e2e.med", { metric: "e2e", stat: "p50", tags: {} }],
    ["tpot.max", { metric: "tpot", stat: "max", tags: {} }],
    ["output_tokens.count", { metric: "output_tokens", stat: "count", tags: {} }],
    ["ttft", { metric: "ttft", tags: {} }],
    ["error_rate", { metric: "error_rate", tags: {} }],
    ["quality.pass_rate", { metric: "quality.pass_rate", tags: {} }],
    ["cost.per_1k", { metric: "cost.per_1k", tags: {} }],
    ["ttft.p95{phase:steady}", { metric: "ttft", stat: "p95", tags: { phase: "steady" } }],
    [
      "ttft.p95{ phase: steady , target: int4 }",
      { metric: "ttft", stat: "p95", tags: { phase: "steady", target: "int4" } },
    ],
    ["ttft.p95 {phase:steady}", { metric: "ttft", stat: "p95", tags: { phase: "steady" } }],
    ["ttft.p95{}", { metric: "ttft", stat: "p95", tags: {} }],
    ["quality.f1{label:refund}", { metric: "quality.f1", tags: { label: "refund" } }],
    ["compare.flips{candidate:int4}", { metric: "compare.flips", tags: { candidate: "int4" } }],
  ])("%s", (key, expected) => {
    expect(parseThresholdKey(key)).toEqual(expected);
  });
});

describe("parseThreshold", () => {
  it.each(OPERATORS.map((op) => [op] as [Operator]))("reads the operator %s", (op) => {
    expect(parseThreshold("ttft.p95", `${op} 200ms`)).toMatchObject({ op, limit: 200 });
    expect(parseThreshold("ttft.p95", `${op}200`)).toMatchObject({ op, limit: 200 });
    expect(parseThreshold("ttft", `p(95) ${op} 200`)).toMatchObject({ op, limit: 200, stat: "p95" });
  });

  it.each<[string, string, number]>([
    ["ttft.p95", "< 200ms", 200],
    ["ttft.p95", "< 200 ms", 200],
    ["ttft.p95", "< 200", 200],
    ["ttft.p95", "< 1.5s", 1500],
    ["ttft.p95", "< 250us", 0.25],
    ["ttft.p95", "< 250µs", 0.25],
    ["ttft.p95", "> -5ms", -5],
    ["error_rate", "< 1%", 0.01],
    ["error_rate", "< 0.5 %", 0.005],
    ["error_rate", "< 0.01", 0.01],
    ["quality.pass_rate", ">= 0.95", 0.95],
    ["quality.pass_rate", ">= 95%", 0.95],
    ["compare.pass_rate_delta{candidate:int4}", "> -2pp", -0.02],
    ["compare.flips", "<= 3%", 0.03],
    ["requests", ">= 100", 100],
    ["request_throughput", "> 12.5", 12.5],
    ["cost.per_request", "<= 0.002", 0.002],
    ["output_tokens.p50", "> 100", 100],
  ])("%s %s has the limit %f in the metric's unit", (key, expression, limit) => {
    const t = parseThreshold(key, expression);
    expect(t.limit).toBeCloseTo(limit, 12);
    expect(t).toMatchObject({ key, expression, abortOnFail: false });
  });

  it.each<[string, string, string | undefined, number]>([
    ["ttft", "p(95) < 200", "p95", 200],
    ["ttft", "p(99.9)<1s", "p99.9", 1000],
    ["ttft", "p(50) < 80ms", "p50", 80],
    ["e2e", "avg < 2s", "mean", 2000],
    ["e2e", "mean < 2s", "mean", 2000],
    ["e2e", "med < 1s", "p50", 1000],
    ["itl", "min >= 1", "min", 1],
    ["itl", "max < 100ms", "max", 100],
    ["itl", "count > 10", "count", 10],
    ["ttft.p95", "p(95) < 200", "p95", 200],
    ["error_rate", "rate < 0.01", undefined, 0.01],
    ["error_rate", "rate < 1%", undefined, 0.01],
    ["quality.pass_rate", "value >= 0.9", undefined, 0.9],
    ["requests", "count >= 100", undefined, 100],
    ["dropped", "value == 0", undefined, 0],
  ])("reads the k6 form: %s %s", (key, expression, stat, limit) => {
    const t = parseThreshold(key, expression);
    expect(t.stat).toBe(stat);
    expect(t.limit).toBeCloseTo(limit, 12);
  });

  it("keeps tags and the abort options", () => {
    expect(
      parseThreshold("ttft.p95{phase:steady,target:a}", "< 300ms", {
        abortOnFail: true,
        delayAbortEvalMs: 10_000,
      }),
    ).toEqual({
      key: "ttft.p95{phase:steady,target:a}",
      expression: "< 300ms",
      metric: "ttft",
      stat: "p95",
      tags: { phase: "steady", target: "a" },
      op: "<",
      limit: 300,
      abortOnFail: true,
      delayAbortEvalMs: 10_000,
    });
  });

  it.each<[string, string, string]>([
    ["TTFT.p95", "< 200ms", "is not a metric name such as ttft.p95"],
    ["ttft.p95{phase:steady", "< 200ms", "is not a metric name"],
    ["ttfb.p95", "< 200ms", 'unknown metric "ttfb"'],
    ["quality.passrate", ">= 0.9", 'unknown metric "quality.passrate"'],
    ["ttft.p42", "< 200ms", 'unknown statistic "p42"'],
    ["error_rate.p95", "< 1%", 'error_rate has a single value, so no statistic "p95"'],
    ["ttft.p95{phase}", "< 200ms", 'tag "phase" should read name:value'],
    ["ttft.p95{phase:a:b}", "< 200ms", 'tag "phase:a:b" should read name:value'],
    ["ttft.p95{candidate:int4}", "< 200ms", 'ttft has no tag "candidate" (it has: target, phase)'],
    ["compare.flips{phase:steady}", "< 3%", 'compare.flips has no tag "phase"'],
    ["ttft", "< 200ms", "say which statistic, e.g. ttft.p95"],
    ["ttft", "rate < 0.1", '"rate" does not apply to ttft'],
    ["ttft", "value < 200", '"value" does not apply to ttft'],
    ["ttft", "p(97) < 200", 'unknown statistic "p(97)"'],
    ["error_rate", "p(95) < 1%", 'error_rate has a single value; write "value < 1%" or "< 1%"'],
    ["error_rate", "avg < 1%", "error_rate has a single value"],
    ["quality.pass_rate", "count > 3", "quality.pass_rate has a single value"],
    ["ttft.p95", "under 200ms", 'cannot read "under 200ms"'],
    ["ttft.p95", "200ms", 'cannot read "200ms"'],
    ["ttft.p95", "< ", 'cannot read "< "'],
    ["ttft.p95", "=< 200", 'cannot read "=< 200"'],
    ["ttft.p95", "< 200 ms ms", "cannot read"],
    ["ttft.p95", "< 2m", 'unit "m" does not fit a metric measured in ms'],
    ["ttft.p95", "< 5%", 'unit "%" does not fit a metric measured in ms'],
    ["error_rate", "< 200ms", 'unit "ms" does not fit a metric measured in fraction'],
    ["request_throughput", "> 5%", 'unit "%" does not fit a metric measured in per_second'],
    ["output_tokens.p95", "< 1s", 'unit "s" does not fit a metric measured in tokens'],
  ])("rejects %s: %s, naming the key", (key, expression, message) => {
    const parse = () => parseThreshold(key, expression);
    expect(parse).toThrow(ThresholdSyntaxError);
    expect(parse).toThrow(message);
    expect(parse).toThrow(key);
  });
});

describe("compare", () => {
  it.each<[number, Operator, number, boolean]>([
    [1, "<", 2, true],
    [2, "<", 2, false],
    [2, "<=", 2, true],
    [3, "<=", 2, false],
    [3, ">", 2, true],
    [2, ">", 2, false],
    [2, ">=", 2, true],
    [1, ">=", 2, false],
    [2, "==", 2, true],
    [2.5, "==", 2, false],
    [1, "!=", 2, true],
    [2, "!=", 2, false],
  ])("%f %s %f is %s", (observed, op, limit, pass) => {
    expect(holds(observed, op, limit)).toBe(pass);
  });
});

import { describe, expect, it } from "vitest";
import { compareVariants } from "../compare/compare.js";
import { PhaseAggregator, summarizePhase } from "../metrics/aggregate.js";
import { taskMetrics } from "../quality/task-metrics.js";
import type { CaseOutcome } from "../record/case-outcome.js";
import type { RunResult } from "../record/run-result.js";
import { fixtureRun, outcome, sample } from "../../test/helpers/run-fixture.js";
import { figuresOf, readMetric } from "./judge.js";
import { isMetricName, METRICS, type MetricName } from "./metrics.js";
import type { PlannedRun } from "./needs.js";
import { parseThreshold } from "./parse.js";
import { preflightThresholds } from "./preflight.js";
import { runFigures } from "./read.js";

// Target a and b answer the same labelled, listed and repeated cases; b gets two labels wrong.
const labelled = (target: string, id: string, label: string, output: string): CaseOutcome =>
  outcome(target, id, { label, output, pass: output === label, score: output === label ? 1 : 0 });
const cases: CaseOutcome[] = ["a", "b"].flatMap((t) => [
  labelled(t, "l1", "refund", "refund"),
  labelled(t, "l2", "refund", t === "a" ? "refund" : "shipping"),
  labelled(t, "l3", "shipping", t === "a" ? "shipping" : "refund"),
  labelled(t, "l4", "shipping", "shipping"),
  outcome(t, "x1", { expected: ["paris", "rome"], output: "paris, lyon" }),
  outcome(t, "r1", { attempt: 0, pass: true }),
  outcome(t, "r1", { attempt: 1, pass: t === "a", output: t === "a" ? "Paris" : "Lyon" }),
]);

/** fixtureRun with task metrics and a comparison of b against a, so every metric has a value. */
function everythingRun(): RunResult {
  const base = fixtureRun();
  return {
    ...base,
    quality: { ...base.quality, cases, tasks: taskMetrics(["a", "b"], cases) },
    comparisons: [
      compareVariants(
        cases.filter((c) => c.target === "a"),
        cases.filter((c) => c.target === "b"),
        0.05,
        { baselineTarget: "a", candidateTarget: "b" },
      ),
    ],
  };
}

/** A key that names every tag the metric needs to have one value: a label, a statistic. */
function keyOf(name: MetricName): string {
  const def = METRICS[name];
  const stat = "stats" in def ? ".p95" : "";
  const tags = (def.tags as readonly string[]).includes("label") ? "{label:refund}" : "";
  return `${name}${stat}${tags}`;
}

const run = everythingRun();
const figures = figuresOf(run);
const read = (key: string) => readMetric(figures, parseThreshold(key, "> 0"));
const summary = (target: string, phase: string) => {
  const p = run.phases.find((x) => x.target === target && x.phase === phase)!;
  return summarizePhase(p, run.targets.find((t) => t.name === target)!.economics);
};
const a = run.quality.tasks!.find((m) => m.target === "a")!;
const b = run.quality.tasks!.find((m) => m.target === "b")!;
const cmp = run.comparisons[0]!;

describe("the metric registry", () => {
  it.each(Object.keys(METRICS).filter(isMetricName))("resolves %s against a fixture run", (name) => {
    const value = read(keyOf(name));
    expect(value, keyOf(name)).toBeTypeOf("number");
    expect(Number.isFinite(value)).toBe(true);
  });

  it.each(Object.keys(METRICS).filter(isMetricName))(
    "%s: preflight finds nothing missing in the run the fixture came from",
    (name) => {
      const planned: PlannedRun = {
        targets: [
          { name: "a", priced: true },
          { name: "b", priced: false },
        ],
        cases: cases.map((c) => ({
          label: c.label,
          expected: c.expected,
          repeat: c.caseId === "r1" ? 2 : 1,
        })),
        phases: [{ name: "steady", targets: ["a"], sweep: false }],
        compare: { by: "target", baseline: "a", candidates: ["b"], alpha: 0.05 },
      };
      // Costs need prices: the fixture prices target a only.
      const key = keyOf(name).replace(/(\{.*)?$/, (tags) => (name.startsWith("cost.") ? "{target:a}" : tags));
      expect(preflightThresholds(planned, [parseThreshold(key, "> 0")])).toEqual([]);
    },
  );

  it.each<[string, () => number | undefined]>([
    // Load figures, as summarizePhase reads the same aggregate.
    ["ttft.p95{phase:steady}", () => summary("a", "steady").latencyMs.ttft.p95],
    ["e2e.max{phase:steady}", () => summary("a", "steady").latencyMs.e2e.max],
    ["itl.mean{phase:steady}", () => summary("a", "steady").latencyMs.itl.mean],
    ["tpot.p50{phase:steady}", () => summary("a", "steady").latencyMs.tpot.p50],
    ["dispatch_delay.max{phase:steady}", () => summary("a", "steady").latencyMs.dispatch_delay.max],
    ["output_tokens.p50{phase:steady}", () => summary("a", "steady").outputTokens.p50],
    ["requests{phase:steady}", () => summary("a", "steady").requests],
    ["error_rate{phase:steady}", () => summary("a", "steady").errorRate],
    ["request_throughput{phase:steady}", () => summary("a", "steady").requestThroughput],
    ["goodput{phase:steady}", () => summary("a", "steady").goodput],
    ["cost.per_request{phase:steady}", () => summary("a", "steady").cost?.perRequest],
    ["cost.per_success{phase:steady}", () => summary("a", "steady").cost?.perSuccess],
    // Quality: a fails c2, errors c3 (fixtureRun's totals: 1 of 3).
    ["quality.pass_rate{target:a}", () => 1 / 3],
    // Task metrics of the tagged target; untagged, the worst target's.
    ["quality.accuracy{target:a}", () => a.classification?.accuracy],
    ["quality.accuracy", () => b.classification?.accuracy],
    ["quality.f1{label:refund,target:b}", () => b.classification?.perLabel[0]?.f1],
    ["quality.set_recall{target:a}", () => a.extraction?.micro.recall],
    ["quality.pass_hat_k{target:b}", () => b.repeats?.passHatK[1]],
    // Comparisons of the candidate b against a.
    ["compare.pass_rate_delta", () => cmp.delta.difference],
    [
      "compare.flips{candidate:b}",
      () => (cmp.flips.regressions.length + cmp.flips.improvements.length) / cmp.matched,
    ],
    ["compare.macro_f1_delta", () => cmp.classification?.macroF1Delta],
  ])("reads %s as the record holds it", (key, expected) => {
    const want = expected();
    expect(want).toBeTypeOf("number");
    expect(read(key)).toBeCloseTo(want!, 12);
  });

  it("a phase whose requests all failed has no latency: the threshold then fails on no samples", () => {
    const agg = new PhaseAggregator("a", "steady");
    for (let i = 0; i < 3; i++) agg.add(sample("a", "steady", i, 10, false));
    const failed = runFigures({ phases: [agg.toAggregate()] });
    expect(readMetric(failed, parseThreshold("ttft.p95", "< 1s"))).toBeUndefined();
    expect(readMetric(failed, parseThreshold("error_rate", "< 1%"))).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { PhaseAggregator } from "../metrics/aggregate.js";
import type { PhaseAggregate } from "../record/aggregate.js";
import type { RequestSample } from "../record/request-sample.js";
import type { QualityTotals } from "../record/run-result.js";
import { judge } from "./judge.js";
import { parseThreshold } from "./parse.js";
import { pooledParts, worstPart } from "./pooled.js";
import { runFigures } from "./read.js";

/** `n` successful requests of one (target, phase), each with this ttft, one per 100 ms. */
function phase(target: string, name: string, ttftMs: number, n = 20): PhaseAggregate {
  const agg = new PhaseAggregator(target, name);
  for (let i = 0; i < n; i++) {
    const startUs = i * 100_000;
    const sample: RequestSample = {
      target,
      phase: name,
      startUs,
      dispatchDelayUs: 0,
      ttftUs: ttftMs * 1000,
      e2eUs: ttftMs * 1000 + 1000,
      itlGapsUs: [],
      outputTokens: 1,
      outputTokensEstimated: false,
      chunks: 1,
      ok: true,
      endUs: startUs + ttftMs * 1000 + 1000,
    };
    agg.add(sample);
  }
  return agg.toAggregate();
}

const PHASES = [
  phase("a", "steady", 40),
  phase("a", "ramp", 310),
  phase("b", "steady", 90),
  // A sweep's saturation step: left out of untagged thresholds.
  phase("a", "cap:saturation", 7770),
];
const figures = runFigures({ phases: PHASES });

describe("a failed pooled threshold says what it pooled", () => {
  it("lists the value per target and phase and names the worst", () => {
    const [v] = judge([parseThreshold("ttft.p95", "< 200ms")], figures);
    expect(v!.pass).toBe(false);
    expect(v!.reason).toBe(
      "observed 310ms, limit < 200ms; by target/phase: a/steady 40.00ms, a/ramp 310ms, b/steady 90.00ms; worst a/ramp (310ms)",
    );
  });

  it("names the lowest as the worst of a floor", () => {
    const [v] = judge(
      [parseThreshold("requests", "> 25")],
      runFigures({ phases: [PHASES[0]!, phase("b", "x", 1, 5)] }),
    );
    expect(v!.reason).toBe("observed 25, limit > 25; by target/phase: a/steady 20, b/x 5; worst b/x (5)");
  });

  it("a tag that selects one aggregate, or a pass, adds nothing", () => {
    const [one, passed] = judge(
      [parseThreshold("ttft.p95{phase:ramp}", "< 200ms"), parseThreshold("ttft.p95", "< 1s")],
      figures,
    );
    expect(one!.reason).toBe("observed 310ms, limit < 200ms");
    expect(passed!.reason).toBe("observed 310ms, limit < 1000ms");
  });

  it("a tag naming a sweep splits by its steps", () => {
    const steps = [phase("a", "cap:synchronous", 20), PHASES[3]!];
    const [v] = judge([parseThreshold("ttft.max{phase:cap}", "< 1s")], runFigures({ phases: steps }));
    expect(v!.reason).toContain("by target/phase: a/cap:synchronous 20.00ms, a/cap:saturation 7770ms");
    expect(v!.reason).toContain("worst a/cap:saturation");
  });

  it("splits a per-target quality metric by target", () => {
    const totals = (target: string, passed: number): QualityTotals => ({
      target,
      cases: 10,
      scored: 10,
      passed,
      errored: 0,
      passRate: passed / 10,
    });
    const [v] = judge(
      [parseThreshold("quality.pass_rate", ">= 90%")],
      runFigures({ quality: [totals("a", 10), totals("b", 6)] }),
    );
    expect(v!.reason).toBe(
      "observed 80.00%, limit >= 90.00%; by target: a 100.00%, b 60.00%; worst b (60.00%)",
    );
  });
});

describe("worstPart", () => {
  const parts = [
    { label: "x", value: 1 },
    { label: "y", value: 3 },
    { label: "z", value: 2 },
  ];
  it.each<[string, string | undefined]>([
    ["< 2", "y"],
    ["<= 2", "y"],
    ["> 2", "x"],
    [">= 2", "x"],
    ["== 2", "x"],
    ["!= 2", "z"],
    ["!= 5", undefined],
  ])("under %s is %s", (expression, label) => {
    expect(worstPart(parseThreshold("requests", expression), parts)?.label).toBe(label);
  });

  it("nothing pooled from one part", () => {
    expect(pooledParts(parseThreshold("ttft.p95{phase:ramp}", "< 1"), figures)).toBeUndefined();
  });
});

import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import type { CaseOutcome } from "../record/case-outcome.js";
import type { RequestSample } from "../record/request-sample.js";
import { createLiveState, liveRate, progressOf, reduceLive } from "./live-state.js";
import { LiveView } from "./live-view.js";

function sample(over: Partial<RequestSample>): RequestSample {
  return {
    target: "t",
    phase: "steady",
    startUs: 0,
    dispatchDelayUs: 0,
    ttftUs: 40_000,
    e2eUs: 200_000,
    itlGapsUs: [10_000, 12_000],
    outputTokens: 3,
    outputTokensEstimated: false,
    chunks: 3,
    ok: true,
    endUs: 200_000,
    ...over,
  };
}

describe("live UI", () => {
  it("shows progress, live rate, rolling percentiles and errors by kind per target/phase", () => {
    const state = createLiveState();
    const t0 = 1_000_000;
    reduceLive(state, { type: "run_started", suite: "demo", targets: ["t"], cases: 0 }, t0);
    reduceLive(state, { type: "target_started", target: "t", phase: "steady", total: 40 }, t0);
    for (let i = 0; i < 10; i++)
      reduceLive(state, { type: "request_finished", sample: sample({}) }, t0 + i * 100);
    const failure = { kind: "http_429" as const, message: "rate limited" };
    reduceLive(
      state,
      { type: "request_finished", sample: sample({ ok: false, failure, ttftUs: undefined }) },
      t0 + 1000,
    );
    const phase = state.phases[0]!;
    expect(progressOf(phase, t0 + 1000)).toBeCloseTo(11 / 40);
    expect(liveRate(phase, t0 + 1000)).toBeCloseTo(11, 0);

    const { lastFrame } = render(<LiveView state={state} nowMs={t0 + 1000} />);
    const frame = lastFrame()!;
    expect(frame).toContain("gauntlet · demo");
    expect(frame).toContain("t/steady");
    expect(frame).toContain("11/40");
    expect(frame).toContain("ttft p50 40.0ms");
    expect(frame).toContain("itl p50 10.0ms");
    expect(frame).toContain("errors 1: http_429:1");
    expect(frame).toMatch(/ETA \d+s/);
  });

  it("shows duration-based progress and warnings", () => {
    const state = createLiveState();
    reduceLive(state, { type: "target_started", target: "t", phase: "soak", durationS: 10 }, 0);
    reduceLive(state, { type: "warning", message: "t/soak: hit its time limit of 20s" }, 0);
    expect(progressOf(state.phases[0]!, 5000)).toBeCloseTo(0.5);
    const frame = render(<LiveView state={state} nowMs={5000} />).lastFrame()!;
    expect(frame).toContain("hit its time limit");
    expect(frame).toContain("ETA 5s");
  });

  it("counts failed assertions and warmup apart, and freezes a finished phase at its final rate", () => {
    const state = createLiveState();
    reduceLive(state, { type: "target_started", target: "t", phase: "quality", total: 2 }, 0);
    const outcome = (pass: boolean) => ({ pass }) as CaseOutcome;
    const q = sample({ phase: "quality" });
    reduceLive(state, { type: "request_finished", sample: q, outcome: outcome(true) }, 100);
    reduceLive(state, { type: "request_finished", sample: q, outcome: outcome(false) }, 200);
    reduceLive(state, { type: "target_finished", target: "t", phase: "quality" }, 200);
    reduceLive(state, { type: "target_started", target: "t", phase: "steady", total: 4 }, 200);
    reduceLive(state, { type: "request_finished", sample: sample({}), warmup: true }, 300);
    reduceLive(state, { type: "request_finished", sample: sample({}) }, 400);
    const [quality, steady] = state.phases;
    // A minute later the finished phase still reads the rate it ended with, not 0.
    expect(liveRate(quality!, 60_000)).toBeCloseTo(liveRate(quality!, 200));
    expect(liveRate(quality!, 60_000)).toBeGreaterThan(0);
    expect(steady!.done).toBe(1);
    const frame = render(<LiveView state={state} nowMs={1000} />).lastFrame()!;
    // "2/2 done … no errors" hid the case that failed its assertion.
    expect(frame).toMatch(/t\/quality.*2\/2 · 1 failed assertions/);
    expect(frame).toMatch(/t\/steady.*1\/4 \(\+1 warmup\)/);
  });
});

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

  it("heads the view with elapsed against planned time and load phases done, and says each phase's shape, offered load and in-flight", () => {
    const state = createLiveState();
    const t0 = 5_000_000;
    reduceLive(
      state,
      { type: "run_started", suite: "demo", targets: ["t"], cases: 0, loadS: 120, phaseRuns: 3 },
      t0,
    );
    reduceLive(
      state,
      {
        type: "target_started",
        target: "t",
        phase: "warm",
        durationS: 5,
        shape: "closed loop, 8 users, for 5s",
      },
      t0,
    );
    reduceLive(
      state,
      { type: "phase_progress", target: "t", phase: "warm", inFlight: 8, sent: 40, offered: { users: 8 } },
      t0 + 4_000,
    );
    reduceLive(state, { type: "target_finished", target: "t", phase: "warm" }, t0 + 5_000);
    const shape = "open loop, 40/s, poisson arrivals, for 1m, at most 64 in flight and a long tail of words";
    reduceLive(
      state,
      { type: "target_started", target: "t", phase: "poisson", durationS: 60, shape },
      t0 + 5_000,
    );
    reduceLive(
      state,
      {
        type: "phase_progress",
        target: "t",
        phase: "poisson",
        inFlight: 12,
        sent: 400,
        offered: { rate: 40 },
      },
      t0 + 15_000,
    );
    for (let i = 0; i < 50; i++)
      reduceLive(
        state,
        { type: "request_finished", sample: sample({ phase: "poisson" }) },
        t0 + 10_000 + i * 100,
      );

    const frame = render(<LiveView state={state} nowMs={t0 + 65_000} />).lastFrame()!;
    expect(frame).toContain(
      "gauntlet · demo · 1m 5s elapsed of ~2m planned load · load phases 1/3 · 12 in flight",
    );
    // A finished phase keeps what it ended with, and nothing in flight.
    expect(frame).toContain("  closed loop, 8 users, for 5s · 8 users, 0.0/s done · 0 in flight");
    // 400 sent in the 10 s to the last progress event: what the open loop put on the server, beside what came back.
    expect(frame).toContain(
      "  open loop, 40/s, poisson arrivals, for 1m, a… · 40.0/s offered, 40.0 sent, 0.0 done · 12 in flight",
    );
    for (const line of frame.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });

  it("keeps a run of three targets, four load phases and a sweep within 100×30 cells, newest phases shown", () => {
    const state = createLiveState();
    const t0 = 9_000_000;
    let now = t0;
    reduceLive(
      state,
      {
        type: "run_started",
        suite: "big",
        targets: ["bf16", "int8", "int4"],
        cases: 40,
        loadS: 300,
        phaseRuns: 24,
      },
      now,
    );
    const phases = [
      "steady",
      "poisson",
      "ramp",
      "users",
      ...Array.from({ length: 4 }, (_, i) => `capacity:step-${i + 1}`),
    ];
    for (const target of ["bf16", "int8", "int4"]) {
      reduceLive(state, { type: "target_started", target, phase: "quality", total: 40 }, now);
      reduceLive(state, { type: "target_finished", target, phase: "quality" }, (now += 1000));
      for (const phase of phases) {
        reduceLive(
          state,
          {
            type: "target_started",
            target,
            phase,
            durationS: 5,
            shape: "open loop, 40/s, poisson arrivals, for 5s, at most 64 in flight, warmup 1s",
          },
          now,
        );
        reduceLive(
          state,
          { type: "phase_progress", target, phase, inFlight: 64, sent: 200, offered: { rate: 40 } },
          (now += 1000),
        );
        const failure = {
          kind: "http_5xx" as const,
          message: "upstream failed with a long message that goes on",
        };
        reduceLive(
          state,
          { type: "request_finished", sample: sample({ target, phase, ok: false, failure }) },
          now,
        );
        reduceLive(state, { type: "target_finished", target, phase }, (now += 4000));
      }
    }
    for (let i = 0; i < 6; i++)
      reduceLive(state, { type: "warning", message: `warning ${i}: ${"x".repeat(120)}` }, now);
    const frame = render(<LiveView state={state} nowMs={now} rows={30} />).lastFrame()!;
    const lines = frame.split("\n");
    expect(lines.length).toBeLessThanOrEqual(30);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(frame).toContain("int4/capacity:step-4");
    expect(frame).toMatch(/… \d+ earlier phase\(s\)/);
    expect(frame).toContain("warning 5:");
  });
});

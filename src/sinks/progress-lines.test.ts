import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RequestSample } from "../record/request-sample.js";
import { createProgressLinesSink } from "./progress-lines.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const finished = (ok: boolean, retried = false, ttftMs?: number) => ({
  type: "request_finished" as const,
  sample: { ok, ...(ttftMs === undefined ? {} : { ttftUs: ttftMs * 1000 }) } as RequestSample,
  ...(retried ? { retried } : {}),
});

describe("createProgressLinesSink", () => {
  it("prints the run's start, each phase's start and end, and a heartbeat with what finished since the last", async () => {
    const lines: string[] = [];
    const sink = createProgressLinesSink((l) => lines.push(l), 5000);
    await sink.start();
    sink.event({ type: "run_started", suite: "s", targets: ["a"], cases: 2 });
    sink.event({ type: "target_started", target: "a", phase: "quality", total: 3 });
    sink.event(finished(true, false, 120));
    sink.event(finished(false));
    vi.advanceTimersByTime(5000);
    sink.event(finished(true, false, 80));
    sink.event({ type: "target_finished", target: "a", phase: "quality" });
    sink.event({ type: "warning", message: "w" });
    // No heartbeat once no phase runs.
    vi.advanceTimersByTime(20_000);
    await sink.close();
    expect(lines).toEqual([
      "gauntlet: s: 1 target(s), 2 case(s)",
      "  a/quality: started (3 requests)",
      "  a/quality: 5s, 2/3 done, 1 failed; 2 in the last 5s (0.4/s, ttft p95 120ms)",
      "  a/quality: finished 3/3, 1 failed",
      "  warning: w",
    ]);
  });

  it("beats while nothing finishes, so a stalled server shows before its timeout", async () => {
    const lines: string[] = [];
    const sink = createProgressLinesSink((l) => lines.push(l), 5000);
    await sink.start();
    sink.event({ type: "target_started", target: "a", phase: "steady" });
    vi.advanceTimersByTime(15_000);
    await sink.close();
    // Closed: no further beats.
    vi.advanceTimersByTime(15_000);
    expect(lines).toEqual([
      "  a/steady: started",
      "  a/steady: 5s, 0 done, 0 failed; none finished in the last 5s: still waiting on the server",
      "  a/steady: 10s, 0 done, 0 failed; none finished in the last 5s: still waiting on the server",
      "  a/steady: 15s, 0 done, 0 failed; none finished in the last 5s: still waiting on the server",
    ]);
  });

  it("counts cases, not attempts: a retried attempt is a retry, and an interrupted run says how many cases it finished", async () => {
    const lines: string[] = [];
    const sink = createProgressLinesSink((l) => lines.push(l), 5000);
    await sink.start();
    sink.event({ type: "target_started", target: "a", phase: "quality", total: 100 });
    // Case 1 failed twice with 5xx and passed on its third attempt; case 2 failed for good.
    sink.event(finished(false, true));
    sink.event(finished(false, true));
    sink.event(finished(true));
    sink.event(finished(false));
    sink.event({ type: "target_finished", target: "a", phase: "quality" });
    await sink.close();
    expect(lines).toEqual([
      "  a/quality: started (100 requests)",
      "  a/quality: finished 2/100, 1 failed, 2 retried",
    ]);
  });

  it("states a load phase's shape when it starts, and beats with what is in flight and offered", async () => {
    const lines: string[] = [];
    const sink = createProgressLinesSink((l) => lines.push(l), 5000);
    await sink.start();
    sink.event({
      type: "target_started",
      target: "a",
      phase: "p",
      durationS: 60,
      shape: "open loop, 40/s, poisson arrivals, for 1m",
    });
    sink.event({
      type: "phase_progress",
      target: "a",
      phase: "p",
      inFlight: 32,
      sent: 32,
      offered: { rate: 40 },
    });
    vi.advanceTimersByTime(5_000);
    sink.event({ type: "request_finished", sample: { ...finished(true).sample, phase: "p" } });
    sink.event({
      type: "phase_progress",
      target: "a",
      phase: "p",
      inFlight: 30,
      sent: 60,
      offered: { rate: 40 },
    });
    vi.advanceTimersByTime(5_000);
    await sink.close();
    expect(lines[0]).toBe("  a/p: started: open loop, 40/s, poisson arrivals, for 1m");
    expect(lines[1]).toBe(
      "  a/p: 5s, 0 done, 0 failed; none finished in the last 5s: 32 in flight, still waiting on the server",
    );
    expect(lines[2]).toMatch(
      /^ {2}a\/p: 10s, 1 done, 0 failed; 1 in the last 5s \(0\.2\/s.*\); offered 40\.0\/s, 30 in flight$/,
    );
  });

  it("skips a beat that falls within a second of a phase's start", async () => {
    const lines: string[] = [];
    const sink = createProgressLinesSink((l) => lines.push(l), 5000);
    await sink.start();
    vi.advanceTimersByTime(4_500);
    sink.event({ type: "target_started", target: "a", phase: "late" });
    vi.advanceTimersByTime(500);
    vi.advanceTimersByTime(5_000);
    await sink.close();
    expect(lines).toEqual([
      "  a/late: started",
      "  a/late: 6s, 0 done, 0 failed; none finished in the last 6s: still waiting on the server",
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RequestSample } from "../record/request-sample.js";
import { createProgressLinesSink } from "./progress-lines.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const finished = (ok: boolean, retried = false) => ({
  type: "request_finished" as const,
  sample: { ok } as RequestSample,
  ...(retried ? { retried } : {}),
});

describe("createProgressLinesSink", () => {
  it("prints the run's start, each phase's start and end, and at most one progress line per interval", async () => {
    const lines: string[] = [];
    const sink = createProgressLinesSink((l) => lines.push(l), 2000);
    await sink.start();
    sink.event({ type: "run_started", suite: "s", targets: ["a"], cases: 2 });
    sink.event({ type: "target_started", target: "a", phase: "quality", total: 3 });
    sink.event(finished(true));
    vi.advanceTimersByTime(2000);
    sink.event(finished(false));
    sink.event(finished(true));
    sink.event({ type: "target_finished", target: "a", phase: "quality" });
    sink.event({ type: "warning", message: "w" });
    await sink.close();
    expect(lines).toEqual([
      "gauntlet: s: 1 target(s), 2 case(s)",
      "  a/quality: started (3 requests)",
      "  a/quality: 2/3 done, 1 failed",
      "  a/quality: finished 3/3, 1 failed",
      "  warning: w",
    ]);
  });

  it("counts cases, not attempts: a retried attempt is a retry, and an interrupted run says how many cases it finished", async () => {
    const lines: string[] = [];
    const sink = createProgressLinesSink((l) => lines.push(l), 2000);
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
});

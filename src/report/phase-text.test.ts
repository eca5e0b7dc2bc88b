import { describe, expect, it } from "vitest";
import type { LoadPhase } from "../config/load-phase.js";
import { describePhase } from "./phase-text.js";

const common = { warmupMs: 0, timeLimitMs: 31_000, slo: [] };

describe("describePhase", () => {
  it.each<[LoadPhase, string]>([
    [
      { ...common, name: "c", kind: "closed", users: 8, durationMs: 5000, thinkTimeMs: 250, warmupMs: 1000 },
      "c: closed loop, 8 users, for 5s, think time 250ms, warmup 1s, time limit 31s",
    ],
    [
      {
        ...common,
        name: "o",
        kind: "open",
        rate: 2.5,
        arrival: "gamma",
        burstiness: 0.5,
        requests: 100,
        durationMs: 60_000,
      },
      "o: open loop, 2.5/s, gamma arrivals (burstiness 0.5), for 1m or 100 requests, at most 1024 in flight, time limit 31s",
    ],
    [
      {
        ...common,
        name: "u",
        kind: "ramp-users",
        startUsers: 0,
        stages: [{ to: 20, overMs: 2000 }],
        durationMs: 2000,
        maxInFlight: 16,
        targets: ["a"],
      },
      "u: ramp of users, 0 → 20 over 2s, for 2s, at most 16 users, time limit 31s, on a",
    ],
    [
      {
        ...common,
        name: "r",
        kind: "ramp-rate",
        startRate: 10,
        stages: [
          { to: 60, overMs: 500 },
          { to: 0, overMs: 3_600_000 },
        ],
        durationMs: 3_600_500,
        arrival: "constant",
        synthetic: { input_tokens: 8, output_tokens: 8 },
        slo: [{ key: "ttft", expression: "< 300ms", metric: "ttft", op: "<", limitMs: 300 }],
      },
      "r: ramp of rate, 10/s → 60/s over 500ms → 0/s over 1h, constant arrivals, for 3600.5s, at most 1024 in flight, time limit 31s, goodput slo ttft < 300ms, synthetic requests",
    ],
    [
      {
        ...common,
        name: "s",
        kind: "sweep",
        capacitySlo: [],
        rates: [5, 10],
        steps: 5,
        refine: 0,
        stepDurationMs: 5000,
        minStepRequests: 100,
        maxStepMs: 20_000,
        arrival: "constant",
      },
      "s: sweep, rates 5/s, 10/s, 0 bisection steps, constant arrivals, 5s and 100 requests per step (up to 20s until served/offered settles), at most 256 in flight, time limit 31s per step",
    ],
    [
      { ...common, name: "off", kind: "closed", users: 2, requests: 10, failFast: false },
      "off: closed loop, 2 users, 10 requests, time limit 31s, fail_fast off",
    ],
    [
      { ...common, name: "five", kind: "closed", users: 2, requests: 10, failFast: 5 },
      "five: closed loop, 2 users, 10 requests, time limit 31s, fail_fast 5",
    ],
    [
      { ...common, name: "default", kind: "closed", users: 2, requests: 10, failFast: 20 },
      "default: closed loop, 2 users, 10 requests, time limit 31s",
    ],
  ])("%#: %s", (phase, line) => {
    expect(describePhase(phase)).toBe(line);
  });
});

import { describe, expect, it } from "vitest";
import type { LoadPhase } from "../config/load-phase.js";
import { offeredLoad } from "./offered-load.js";

const common = { name: "p", warmupMs: 0, timeLimitMs: 30_000, slo: [] };

describe("offeredLoad", () => {
  it.each<[LoadPhase, ReturnType<typeof offeredLoad>]>([
    [
      { ...common, kind: "closed", users: 8, durationMs: 5000 },
      { kind: "closed", users: 8, durationS: 5 },
    ],
    [
      {
        ...common,
        kind: "open",
        rate: 40,
        arrival: "poisson",
        requests: 100,
        maxInFlight: 64,
        warmupMs: 1000,
      },
      { kind: "open", rate: 40, requests: 100, maxInFlight: 64, warmupS: 1 },
    ],
    [
      {
        ...common,
        kind: "ramp-rate",
        startRate: 5,
        stages: [{ to: 40, overMs: 2000 }],
        durationMs: 3000,
        arrival: "constant",
      },
      { kind: "ramp-rate", rate: 5, stages: [{ to: 40, overS: 2 }], durationS: 3 },
    ],
    [
      { ...common, kind: "ramp-users", startUsers: 0, stages: [{ to: 16, overMs: 1500 }], durationMs: 1500 },
      { kind: "ramp-users", users: 0, stages: [{ to: 16, overS: 1.5 }], durationS: 1.5 },
    ],
  ])("records %j as the plan resolved it", (phase, recorded) => {
    expect(offeredLoad(phase)).toEqual(recorded);
  });
});

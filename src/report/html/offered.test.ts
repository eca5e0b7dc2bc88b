import { describe, expect, it } from "vitest";
import { offeredCurve, offeredText } from "./offered.js";

describe("offered load", () => {
  it.each([
    [{ kind: "closed", users: 8, durationS: 5, warmupS: 1 }, "8 users, for 5s, warmup 1s"],
    [{ kind: "open", rate: 40, durationS: 5, maxInFlight: 64 }, "40 req/s, for 5s, at most 64 in flight"],
    [
      {
        kind: "ramp-users",
        users: 0,
        stages: [
          { to: 16, overS: 2 },
          { to: 4, overS: 1 },
        ],
        durationS: 3,
      },
      "0 users → 16 users over 2s → 4 users over 1s, for 3s",
    ],
    [{ kind: "open", rate: 2, requests: 100 }, "2 req/s, 100 requests"],
    [{ kind: "replay", requests: 500, durationS: 12.5 }, "replay of 500 trace rows over 12.5s"],
  ])("%j reads %s", (load, text) => {
    expect(offeredText(load)).toBe(text);
  });

  it("draws a ramp through its corners and holds the last value to the phase's end", () => {
    expect(
      offeredCurve({ kind: "ramp-rate", rate: 5, stages: [{ to: 40, overS: 2 }], durationS: 3 }),
    ).toEqual([
      { x: 0, y: 5 },
      { x: 2, y: 40 },
      { x: 3, y: 40 },
    ]);
    expect(offeredCurve({ kind: "closed", users: 4, durationS: 2 })).toEqual([
      { x: 0, y: 4 },
      { x: 2, y: 4 },
    ]);
    expect(offeredCurve({ kind: "replay" })).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { constantRate, createGapSampler, stagedRate } from "./arrivals.js";
import { runClosedLoop } from "./closed-loop.js";
import type { ExecutorContext } from "./executor.js";
import { createFakeTime } from "./fake-time.js";
import { runOpenLoop } from "./open-loop.js";

/** A fake server: each request takes `serviceMs` of virtual time. Records (start, actual send) pairs. */
function harness(serviceMs: number) {
  const time = createFakeTime();
  const starts: Array<{ startUs: number; sentUs: number }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const ctx: ExecutorContext = {
    clock: time.clock,
    timers: time.timers,
    stop: new AbortController().signal,
    send(startUs) {
      starts.push({ startUs, sentUs: time.clock() });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise((resolve) =>
        time.timers.setTimeout(() => {
          inFlight--;
          resolve();
        }, serviceMs),
      );
    },
  };
  return { time, ctx, starts, maxInFlight: () => maxInFlight };
}

describe("open loop", () => {
  it("starts each request at its scheduled time, whatever the server does", async () => {
    const h = harness(500); // far slower than the 10 ms schedule: requests pile up
    const run = runOpenLoop(h.ctx, {
      profile: constantRate(100),
      gap: createGapSampler("constant", 1),
      durationS: 1,
      maxInFlight: 1000,
    });
    await h.time.run();
    const result = await run;
    expect(result.sent).toBe(100);
    expect(result.dropped).toBe(0);
    h.starts.forEach((s, i) => expect(s.startUs).toBeCloseTo(result.originUs + i * 10_000, 3));
    expect(h.maxInFlight()).toBe(50);
  });

  it("drops arrivals over max_in_flight and counts them", async () => {
    const h = harness(100);
    const run = runOpenLoop(h.ctx, {
      profile: constantRate(100),
      gap: createGapSampler("constant", 1),
      durationS: 1,
      maxInFlight: 5,
    });
    await h.time.run();
    const result = await run;
    expect(h.maxInFlight()).toBe(5);
    expect(result.sent + result.dropped).toBe(100);
    expect(result.dropped).toBeGreaterThan(40);
  });
});

describe("closed loop", () => {
  it("N users each send the next request the moment the previous ends", async () => {
    const h = harness(100);
    const run = runClosedLoop(h.ctx, { usersAt: () => 4, maxUsers: 4, durationS: 1 });
    await h.time.run();
    const result = await run;
    expect(h.maxInFlight()).toBe(4);
    // 4 users x 1 s / 100 ms per request.
    expect(result.sent).toBe(40);
    for (const s of h.starts) expect(s.sentUs).toBe(s.startUs);
  });

  it("ramps users up through stages", async () => {
    const h = harness(100);
    const users = stagedRate(1, [{ to: 10, overS: 2 }]);
    const run = runClosedLoop(h.ctx, { usersAt: (t) => users.rateAt(t), maxUsers: 10, durationS: 2 });
    await h.time.run();
    await run;
    const early = h.starts.filter((s) => s.startUs < 1_000_000 + 500_000).length;
    const late = h.starts.filter((s) => s.startUs >= 1_000_000 + 1_500_000).length;
    expect(h.maxInFlight()).toBeGreaterThanOrEqual(9);
    expect(late).toBeGreaterThan(3 * early);
  });

  it("stops after `requests`", async () => {
    const h = harness(10);
    const run = runClosedLoop(h.ctx, { usersAt: () => 3, maxUsers: 3, durationS: 60, maxRequests: 25 });
    await h.time.run();
    expect((await run).sent).toBe(25);
  });
});

import { describe, expect, it } from "vitest";
import { constantRate, createGapSampler, stagedRate, type RateProfile } from "./arrivals.js";
import { runClosedLoop } from "./closed-loop.js";
import { realTimers, type ExecutorContext } from "./executor.js";
import { createFakeTime } from "../../test/helpers/fake-time.js";
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

/**
 * An executor on a frozen clock and the real event loop, sending to a server that answers at once:
 * nothing it awaits ever needs a timer, so only its own turns let a timer (or a signal) through.
 */
function instant(clock: () => number = () => 1_000_000) {
  const stop = new AbortController();
  let sends = 0;
  const ctx: ExecutorContext = {
    clock,
    timers: realTimers,
    stop: stop.signal,
    send() {
      sends++;
      return Promise.resolve();
    },
  };
  // A real timer: it fires only if the executor lets the event loop turn.
  const stopSoon = () => setTimeout(() => stop.abort(), 20);
  return { ctx, stop, stopSoon, sends: () => sends };
}

const realClock = () => performance.now() * 1000;
const frozenClock = () => 1_000_000;

describe("no schedule starves the event loop", () => {
  // Each schedule holds 5e7 arrivals: sent on microtasks alone, they take seconds, and no timer fires.
  it.each<[string, RateProfile, () => number]>([
    ["5e8/s (the client falls behind at once)", constantRate(5e8), realClock],
    ["a zero-length stage up to 5e8/s", stagedRate(1, [{ to: 5e8, overS: 0 }]), realClock],
    [
      "an infinite rate (every arrival due at the start)",
      constantRate(Number.POSITIVE_INFINITY),
      frozenClock,
    ],
  ])("an open loop at %s stops on a timer set outside it", async (_name, profile, clock) => {
    const h = instant(clock);
    const timer = h.stopSoon();
    const result = await runOpenLoop(h.ctx, {
      profile,
      gap: createGapSampler("constant", 1),
      durationS: 0.1,
      maxRequests: 5e7,
      maxInFlight: 8,
    });
    clearTimeout(timer);
    expect(h.stop.signal.aborted || clock() - result.originUs >= 100_000).toBe(true);
    expect(result.sent + result.dropped).toBeLessThan(5e7);
    expect(result.sent).toBe(h.sends());
  });

  it("an open loop whose arrivals never advance in time ends at its duration on the clock", async () => {
    const h = instant(() => performance.now() * 1000);
    const started = performance.now();
    const result = await runOpenLoop(h.ctx, {
      profile: constantRate(Number.POSITIVE_INFINITY),
      gap: createGapSampler("constant", 1),
      durationS: 0.2,
      maxInFlight: 8,
    });
    expect(h.stop.signal.aborted).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(199);
    expect(result.sent + result.dropped).toBeGreaterThan(0);
  });

  it("a closed loop whose sends settle at once stops on a timer set outside it", async () => {
    const h = instant();
    const timer = h.stopSoon();
    const result = await runClosedLoop(h.ctx, {
      usersAt: () => 4,
      maxUsers: 4,
      durationS: 60,
      maxRequests: 5e6,
    });
    clearTimeout(timer);
    expect(h.stop.signal.aborted).toBe(true);
    expect(result.sent).toBeLessThan(5e6);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])("a closed loop with %s users ends", async (users) => {
    const h = instant();
    const timer = h.stopSoon();
    const run = runClosedLoop(h.ctx, { usersAt: () => users, maxUsers: 4, durationS: 60 });
    const result = await run;
    clearTimeout(timer);
    expect(h.stop.signal.aborted).toBe(true);
    expect(result.sent).toBe(h.sends());
  });

  it("refuses an infinite number of users rather than starting them", async () => {
    const h = instant();
    await expect(
      runClosedLoop(h.ctx, { usersAt: () => 1, maxUsers: Number.POSITIVE_INFINITY, durationS: 1 }),
    ).rejects.toThrow(RangeError);
  });
});

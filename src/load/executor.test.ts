import { describe, expect, it } from "vitest";
import { sleepUntil, type Timers } from "./executor.js";

/**
 * Timers that fire up to `earlyUs` before they are due (at most half their wait early), as Node's do
 * when its cached loop time is stale.
 */
function earlyTimers(clock: { now: number }, earlyUs: number) {
  const fired: number[] = [];
  const timers: Timers = {
    setTimeout(fn, ms) {
      const dueUs = clock.now + ms * 1000;
      return setTimeout(() => {
        clock.now = Math.max(clock.now, dueUs - Math.min(earlyUs, ms * 500));
        fired.push(clock.now);
        fn();
      }, 0);
    },
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    setImmediate(fn) {
      setImmediate(() => {
        clock.now += 50; // each loop turn takes 50 µs
        fn();
      });
    },
  };
  return { timers, fired };
}

describe("sleepUntil", () => {
  it.each([
    { name: "early by 0.5 ms: re-armed as a timer", earlyUs: 500 },
    { name: "early by 0.1 ms: waits out the rest on loop turns", earlyUs: 100 },
    { name: "early by 3 ms", earlyUs: 3000 },
  ])("never resolves before it is due ($name)", async ({ earlyUs }) => {
    const clock = { now: 1_000_000 };
    const { timers, fired } = earlyTimers(clock, earlyUs);
    const stop = new AbortController().signal;
    const dueUs = clock.now + 10_000;
    await sleepUntil({ clock: () => clock.now, timers, stop }, dueUs);
    expect(clock.now).toBeGreaterThanOrEqual(dueUs);
    expect(fired.length).toBeGreaterThanOrEqual(1);
    // Bounded: a handful of re-arms, not a spin of thousands.
    expect(fired.length).toBeLessThan(20);
  });

  it("resolves at once when stop aborts while waiting on loop turns", async () => {
    const clock = { now: 0 };
    const controller = new AbortController();
    const timers: Timers = {
      setTimeout: () => 0,
      clearTimeout: () => {},
      setImmediate: (fn) => void setImmediate(fn), // the clock never moves: only stop ends the wait
    };
    const waiting = sleepUntil({ clock: () => clock.now, timers, stop: controller.signal }, 100);
    setTimeout(() => controller.abort(), 5);
    await expect(waiting).resolves.toBeUndefined();
  });
});

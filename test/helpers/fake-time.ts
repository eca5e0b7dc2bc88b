import type { Timers } from "../../src/load/executor.js";

/**
 * A virtual clock and timers for testing executors: time moves only when `run` fires the next
 * timer, so schedules, ramps and drops can be checked exactly and instantly.
 */
export function createFakeTime(startUs = 1_000_000): {
  clock: () => number;
  timers: Timers;
  /** Fires timers in due order until none are left (or `limit` fired), letting promises settle between. */
  run(limit?: number): Promise<void>;
} {
  let now = startUs;
  let seq = 0;
  const pending = new Map<number, { dueUs: number; fn: () => void }>();
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    clock: () => now,
    timers: {
      setTimeout(fn, ms) {
        const id = ++seq;
        pending.set(id, { dueUs: now + ms * 1000, fn });
        return id;
      },
      clearTimeout(handle) {
        pending.delete(handle as number);
      },
    },
    async run(limit = 1_000_000) {
      await settle();
      for (let fired = 0; fired < limit && pending.size > 0; fired++) {
        let nextId = -1;
        let next: { dueUs: number; fn: () => void } | undefined;
        for (const [id, t] of pending) if (!next || t.dueUs < next.dueUs) [nextId, next] = [id, t];
        pending.delete(nextId);
        now = Math.max(now, next!.dueUs);
        next!.fn();
        await settle();
      }
    },
  };
}

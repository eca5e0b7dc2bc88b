import { describe, expect, it } from "vitest";
import { Batcher } from "./batcher.js";

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("Batcher", () => {
  it.each([
    [1, 10],
    [3, 10],
    [4, 4],
    [8, 50],
  ])("maxBatch %i with %i concurrent requests never has more than maxBatch active", async (max, n) => {
    const b = new Batcher(max);
    let active = 0;
    let peak = 0;
    const work = async (i: number) => {
      await b.acquire();
      active++;
      peak = Math.max(peak, active);
      expect(b.inFlight).toBeLessThanOrEqual(max);
      // Hold the slot for a varying number of turns of the event loop.
      for (let k = 0; k < 1 + (i % 3); k++) await settle();
      active--;
      b.release();
    };
    await Promise.all(Array.from({ length: n }, (_, i) => work(i)));
    expect(peak).toBe(Math.min(max, n));
    expect(b.inFlight).toBe(0);
    expect(b.queued).toBe(0);
  });

  it.each([1, 2, 3])("admits waiters in FIFO order (maxBatch %i)", async (max) => {
    const b = new Batcher(max);
    const admitted: number[] = [];
    const holders = Array.from({ length: max }, () => b.acquire());
    await Promise.all(holders);
    const waiters = Array.from({ length: 6 }, (_, i) => b.acquire().then(() => admitted.push(i)));
    await settle();
    expect(admitted).toEqual([]);
    expect(b.queued).toBe(6);
    for (let i = 0; i < 6; i++) {
      b.release();
      await settle();
      expect(admitted).toEqual(Array.from({ length: i + 1 }, (_, k) => k));
    }
    await Promise.all(waiters);
    expect(b.inFlight).toBe(max);
  });

  it.each([
    ["with a waiter: the slot passes on, in-flight stays at max", 1, { inFlight: 2, queued: 0 }],
    ["without a waiter: the slot frees", 0, { inFlight: 1, queued: 0 }],
  ])("release %s", async (_name, waiting, after) => {
    const b = new Batcher(2);
    await b.acquire();
    await b.acquire();
    let admitted = false;
    if (waiting) void b.acquire().then(() => (admitted = true));
    expect({ inFlight: b.inFlight, queued: b.queued }).toEqual({ inFlight: 2, queued: waiting });
    b.release();
    await settle();
    expect({ inFlight: b.inFlight, queued: b.queued }).toEqual(after);
    expect(admitted).toBe(waiting === 1);
  });

  it("a freed slot admits the next caller at once", async () => {
    const b = new Batcher(1);
    await b.acquire();
    b.release();
    expect(b.inFlight).toBe(0);
    let admitted = false;
    void b.acquire().then(() => (admitted = true));
    await settle();
    expect(admitted).toBe(true);
    expect(b.inFlight).toBe(1);
  });
});

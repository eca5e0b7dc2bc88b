import { describe, expect, it } from "vitest";
import { createFakeTime } from "../../test/helpers/fake-time.js";
import type { ExecutorContext } from "./executor.js";
import { offeredAt, type ExecutablePhase } from "./phase-executor.js";
import { runReplay, validateReplayOptions } from "./replay.js";
import { createReplayWorkload } from "./workload.js";

/** A fake server taking `serviceMs` of virtual time per request; records (slot, start, send time). */
function harness(serviceMs: number, stop = new AbortController().signal) {
  const time = createFakeTime();
  const sends: Array<{ slot: number | undefined; startUs: number; sentUs: number }> = [];
  let inFlight = 0;
  let peak = 0;
  const ctx: ExecutorContext = {
    clock: time.clock,
    timers: time.timers,
    stop,
    send(startUs, slot) {
      sends.push({ slot, startUs, sentUs: time.clock() });
      peak = Math.max(peak, ++inFlight);
      return new Promise((resolve) =>
        time.timers.setTimeout(() => {
          inFlight--;
          resolve();
        }, serviceMs),
      );
    },
  };
  return { time, ctx, sends, peak: () => peak };
}

describe("replay executor", () => {
  it("sends each row at its own offset, with its slot, bursts at once, whatever the server does", async () => {
    const h = harness(400); // slower than the gaps: requests pile up, the schedule never waits
    const offsetsUs = [0, 0, 0, 5_000, 120_000, 120_000, 300_000];
    const run = runReplay(h.ctx, { offsetsUs, durationS: Infinity, maxInFlight: 100 });
    await h.time.run();
    const result = await run;
    expect(result).toMatchObject({ sent: 7, dropped: 0 });
    expect(h.sends.map((s) => s.slot)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    h.sends.forEach((s, i) => {
      expect(s.startUs).toBe(result.originUs + offsetsUs[i]!);
      expect(s.sentUs).toBe(s.startUs); // fake time: never late
    });
    expect(h.peak()).toBe(7);
  });

  it("prepares the row it waits for and those due within 50 ms, each once and before it is sent", async () => {
    const h = harness(1);
    const prepared: Array<{ slot: number; atUs: number }> = [];
    h.ctx.prepare = (slot) => prepared.push({ slot, atUs: h.time.clock() });
    // Row 0 is due at once (nothing to wait for), rows 1-3 within 50 ms of the start, row 4 only
    // later, row 5 past the duration (never sent, never prepared).
    const offsetsUs = [0, 10_000, 10_000, 40_000, 120_000, 900_000];
    const run = runReplay(h.ctx, { offsetsUs, durationS: 0.5, maxInFlight: 10 });
    await h.time.run();
    const result = await run;
    expect(result.sent).toBe(5);
    // Rows 1-3 while waiting for row 1; row 4 (80 ms off then) once its own wait begins.
    expect(prepared.map((p) => ({ slot: p.slot, atUs: p.atUs - result.originUs }))).toEqual([
      { slot: 1, atUs: 0 },
      { slot: 2, atUs: 0 },
      { slot: 3, atUs: 0 },
      { slot: 4, atUs: 40_000 },
    ]);
    for (const p of prepared) {
      const send = h.sends.find((s) => s.slot === p.slot);
      if (!send) throw new Error(`slot ${p.slot} prepared, never sent`);
      expect(p.atUs).toBeLessThan(send.sentUs);
    }
  });

  it("prepares nothing when the time left before the next row would be used up by it", async () => {
    const h = harness(1);
    const prepared: number[] = [];
    h.ctx.prepare = (slot) => prepared.push(slot);
    // 150 µs apart: under the 200 µs kept free before each row, so no row is ever prepared.
    const run = runReplay(h.ctx, { offsetsUs: [0, 150, 300, 450], durationS: Infinity, maxInFlight: 10 });
    await h.time.run();
    expect((await run).sent).toBe(4);
    expect(prepared).toEqual([]);
  });

  it("drops rows due over max_in_flight, counts them, and sends the next rows in time", async () => {
    const h = harness(50);
    const run = runReplay(h.ctx, { offsetsUs: [0, 0, 0, 0, 60_000], durationS: Infinity, maxInFlight: 2 });
    await h.time.run();
    const result = await run;
    expect(result).toMatchObject({ sent: 3, dropped: 2 });
    expect(h.sends.map((s) => s.slot)).toEqual([0, 1, 4]);
  });

  it("sends no row due after its duration", async () => {
    const h = harness(1);
    const run = runReplay(h.ctx, {
      offsetsUs: [0, 500_000, 1_000_000, 1_500_000],
      durationS: 1,
      maxInFlight: 9,
    });
    await h.time.run();
    expect((await run).sent).toBe(3);
  });

  it("stops scheduling when stopped, and waits for what it sent", async () => {
    const stop = new AbortController();
    const h = harness(10, stop.signal);
    const run = runReplay(h.ctx, { offsetsUs: [0, 100_000, 200_000], durationS: Infinity, maxInFlight: 9 });
    h.time.timers.setTimeout(() => stop.abort(), 150);
    await h.time.run();
    expect((await run).sent).toBe(2);
  });

  it("validate lists every problem at once, and a run with one sends nothing", async () => {
    const problems = validateReplayOptions({
      offsetsUs: [0, Number.NaN, 50, 10, -1],
      durationS: 0,
      maxInFlight: 1.5,
    });
    expect(problems).toEqual([
      "request 2: offset NaNµs is not a time",
      "request 4: due at 10µs, before request 3 (50µs)",
      "request 5: offset -1µs is not a time",
      "maxInFlight: expected a whole number above 0, got 1.5",
      "durationS: expected a length above 0, got 0",
    ]);
    const h = harness(1);
    await expect(runReplay(h.ctx, { offsetsUs: [5, 1], durationS: 1, maxInFlight: 1 })).rejects.toThrow(
      /request 2: due at 1µs/,
    );
    expect(h.sends).toHaveLength(0);
    expect(validateReplayOptions({ offsetsUs: [0, 0, 3], durationS: Infinity, maxInFlight: 1 })).toEqual([]);
  });
});

describe("replay workload", () => {
  const rows = [
    { line: 1, atMs: 0, inputTokens: 1, outputTokens: 3 },
    { line: 2, atMs: 0, inputTokens: 50, outputTokens: 7 },
    { line: 3, atMs: 9, messages: [{ role: "user" as const, content: "hello" }] },
  ];
  const next = createReplayWorkload({ rows, params: { temperature: 0 }, stream: true, seed: 3 });

  it.each([
    [0, 1, 3],
    [1, 50, 7],
  ])("slot %i: a prompt of %i words with the row's tag first, max_tokens %i", (slot, words, maxTokens) => {
    const request = next(slot);
    const text = request.messages[0]!.content;
    expect(text.split(/\s+/)).toHaveLength(words);
    expect(text.startsWith(`r${slot + 1}`)).toBe(true);
    expect(request.params).toEqual({ temperature: 0, max_tokens: maxTokens, ignore_eos: true });
  });

  it("sends a row's messages as they are, the target's params unchanged", () => {
    expect(next(2)).toEqual({ messages: rows[2]!.messages, params: { temperature: 0 }, stream: true });
  });

  it("refuses a slot past the trace", () => {
    expect(() => next(3)).toThrow(/no trace row 4/);
  });
});

describe("replay offered load", () => {
  it("is the rows due in the second up to now, (t - 1s, t], at the phase's speed", () => {
    const rows = [0, 100, 200, 900, 1500, 1600, 2500].map((atMs, i) => ({
      line: i + 1,
      atMs,
      inputTokens: 1,
    }));
    const phase: ExecutablePhase = {
      name: "r",
      kind: "replay",
      warmupMs: 0,
      timeLimitMs: 60_000,
      slo: [],
      trace: { file: "t.jsonl", shape: "gauntlet", rows, spanMs: 2500 },
      speed: 1,
    };
    expect([0.5, 1, 1.7, 3].map((t) => offeredAt(phase, t))).toEqual([
      { rate: 3 },
      { rate: 3 },
      { rate: 3 },
      { rate: 1 },
    ]);
    // Twice as fast: by 1 s every row but the last is due, 5 of them in that second.
    expect(offeredAt({ ...phase, speed: 2 }, 1)).toEqual({ rate: 5 });
    // Only the first `requests` rows are ever sent.
    expect(offeredAt({ ...phase, requests: 2 }, 1)).toEqual({ rate: 1 });
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createBatchedLines, FLUSH_CHARS, FLUSH_MS } from "./batched-lines.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createBatchedLines", () => {
  it("keeps the figures requests.ndjson was tuned with: 50 ms, 64 KiB", () => {
    expect([FLUSH_MS, FLUSH_CHARS]).toEqual([50, 65_536]);
  });

  it("writes lines that arrive within flushMs as one chunk, flushMs after the first", () => {
    const writes: string[] = [];
    const lines = createBatchedLines((c) => writes.push(c));
    lines.push("a\n");
    vi.advanceTimersByTime(30);
    lines.push("b\n");
    vi.advanceTimersByTime(19);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual(["a\nb\n"]);
    // The next line starts a new batch with its own timer.
    lines.push("c\n");
    vi.advanceTimersByTime(50);
    expect(writes).toEqual(["a\nb\n", "c\n"]);
  });

  it("writes at once when the batch reaches flushChars, and cancels the pending timer", () => {
    const writes: string[] = [];
    const lines = createBatchedLines((c) => writes.push(c), { flushMs: 50, flushChars: 10 });
    lines.push("12345\n");
    lines.push("6789\n");
    expect(writes).toEqual(["12345\n6789\n"]);
    vi.advanceTimersByTime(100);
    expect(writes).toHaveLength(1);
  });

  it("flush writes what is pending now, and nothing when nothing is", () => {
    const writes: string[] = [];
    const lines = createBatchedLines((c) => writes.push(c));
    lines.flush();
    lines.push("x\n");
    lines.flush();
    vi.advanceTimersByTime(100);
    expect(writes).toEqual(["x\n"]);
  });
});

import { describe, expect, it } from "vitest";
import { retryDelayMs, sendWithRetry, type RetryableFailure } from "./retry.js";

const POLICY = { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000 };
const busy: RetryableFailure = { kind: "http_429" };

describe("retryDelayMs", () => {
  it.each([
    ["no failure", undefined, 0, 0.5, undefined],
    ["a 4xx is the caller's fault", { kind: "http_4xx" } as const, 0, 0.5, undefined],
    ["a timeout is not retried", { kind: "timeout" } as const, 0, 0.5, undefined],
    ["retries used up", busy, 3, 0.5, undefined],
    ["first backoff, least jitter: half of 100 ms", busy, 0, 0, 50],
    ["first backoff, most jitter: all of 100 ms", busy, 0, 1, 100],
    ["doubles per attempt: half of 400 ms at attempt 2", { kind: "http_5xx" } as const, 2, 0, 200],
    ["a broken connection is retried", { kind: "stream_dropped" } as const, 1, 0.5, 150],
    ["Retry-After is a floor", { kind: "http_429", retryAfterMs: 300 } as const, 0, 0, 300],
    ["spread over the tenth after it", { kind: "http_429", retryAfterMs: 300 } as const, 0, 1, 330],
    ["capped at maxDelayMs", { kind: "http_429", retryAfterMs: 60_000 } as const, 0, 0, 1_000],
  ])("%s", (_, failure, attempt, draw, expected) => {
    const delay = retryDelayMs(failure, attempt, POLICY, () => draw);
    if (expected === undefined) expect(delay).toBeUndefined();
    else expect(delay).toBeCloseTo(expected, 9);
  });

  it("draws a different delay each time by default (jitter), within the equal-jitter bounds", () => {
    const delays = Array.from({ length: 50 }, () => retryDelayMs(busy, 1, POLICY)!);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(200);
    }
    expect(new Set(delays).size).toBeGreaterThan(1);
  });
});

describe("sendWithRetry", () => {
  const fast = { retries: 2, baseDelayMs: 1, maxDelayMs: 1 };

  it("returns every attempt, stopping at the first success", async () => {
    const answers = [busy, { kind: "connect" } as const, undefined];
    const attempts = await sendWithRetry(
      async (n) => ({ n, failure: answers[n] }),
      (a) => a.failure,
      fast,
    );
    expect(attempts.map((a) => a.n)).toEqual([0, 1, 2]);
  });

  it("stops when the retries are used up, the last attempt deciding", async () => {
    const attempts = await sendWithRetry(
      async (n) => ({ n, failure: busy }),
      (a) => a.failure,
      fast,
    );
    expect(attempts).toHaveLength(3);
  });

  it("makes no further attempt once the signal has aborted", async () => {
    const controller = new AbortController();
    const attempts = await sendWithRetry(
      async (n) => {
        controller.abort();
        return { n, failure: busy };
      },
      (a) => a.failure,
      POLICY,
      { signal: controller.signal },
    );
    expect(attempts).toHaveLength(1);
  });
});

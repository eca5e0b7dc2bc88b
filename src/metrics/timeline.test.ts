import { describe, expect, it } from "vitest";
import { MAX_TIMELINE_BUCKETS, mergeTimelines, TimelineRecorder } from "./timeline.js";

const S = 1e6; // µs per second
const T0 = 1_796_000_000; // an epoch second

describe("TimelineRecorder", () => {
  it("spreads each request's time in flight over the slices it spans and counts failures by kind", () => {
    const r = new TimelineRecorder();
    r.add((T0 + 0.5) * S, true, 1000, [], { endUs: (T0 + 2.25) * S });
    r.add((T0 + 0.75) * S, false, undefined, [], { endUs: (T0 + 1) * S, failureKind: "http_5xx" });
    r.add((T0 + 1.5) * S, false, undefined, [], { endUs: (T0 + 1.5) * S, failureKind: "timeout" });
    const t = r.toTimeline();
    expect(t.buckets.map((b) => [b.startS - T0, b.requests, b.inFlightUs, b.errors])).toEqual([
      [0, 2, 0.75 * S, { http_5xx: 1 }],
      [1, 1, 1 * S, { timeout: 1 }],
      [2, 0, 0.25 * S, undefined],
    ]);
    // Merging two halves gives the same slices, in-flight time and kinds as one recorder.
    const a = new TimelineRecorder();
    const b = new TimelineRecorder();
    a.add((T0 + 0.5) * S, true, 1000, [], { endUs: (T0 + 2.25) * S });
    b.add((T0 + 0.75) * S, false, undefined, [], { endUs: (T0 + 1) * S, failureKind: "http_5xx" });
    b.add((T0 + 1.5) * S, false, undefined, [], { endUs: (T0 + 1.5) * S, failureKind: "timeout" });
    expect(mergeTimelines([a.toTimeline(), b.toTimeline()])).toEqual(t);
  });

  it("slices by scheduled start into whole seconds, with sums, counts and maxima", () => {
    const r = new TimelineRecorder();
    r.add((T0 + 0.1) * S, true, 40_000, [10_000, 12_000]);
    r.add((T0 + 0.9) * S, true, 60_000, [8_000]);
    r.add((T0 + 1.5) * S, false, undefined, []);
    r.add((T0 + 3.2) * S, true, 50_000, []);
    expect(r.toTimeline()).toEqual({
      widthS: 1,
      buckets: [
        {
          startS: T0,
          requests: 2,
          failures: 0,
          ttftSumUs: 100_000,
          ttftCount: 2,
          ttftMaxUs: 60_000,
          itlSumUs: 30_000,
          itlCount: 3,
          itlMaxUs: 12_000,
        },
        {
          startS: T0 + 1,
          requests: 1,
          failures: 1,
          ttftSumUs: 0,
          ttftCount: 0,
          ttftMaxUs: 0,
          itlSumUs: 0,
          itlCount: 0,
          itlMaxUs: 0,
        },
        {
          startS: T0 + 3,
          requests: 1,
          failures: 0,
          ttftSumUs: 50_000,
          ttftCount: 1,
          ttftMaxUs: 50_000,
          itlSumUs: 0,
          itlCount: 0,
          itlMaxUs: 0,
        },
      ],
    });
  });

  it("doubles its slice width past the cap, so a long run stays bounded, and loses no request", () => {
    const r = new TimelineRecorder();
    const seconds = MAX_TIMELINE_BUCKETS * 3; // 36 minutes of one request a second
    for (let i = 0; i < seconds; i++) r.add((T0 + i) * S, true, 1000 + i, [5]);
    const t = r.toTimeline();
    expect(t.widthS).toBe(4);
    expect(t.buckets.length).toBeLessThanOrEqual(MAX_TIMELINE_BUCKETS);
    expect(t.buckets.every((b) => b.startS % 4 === 0)).toBe(true);
    expect(t.buckets.reduce((n, b) => n + b.requests, 0)).toBe(seconds);
    expect(t.buckets.reduce((n, b) => n + b.ttftSumUs, 0)).toBe(
      Array.from({ length: seconds }, (_, i) => 1000 + i).reduce((a, b) => a + b, 0),
    );
    expect(Math.max(...t.buckets.map((b) => b.ttftMaxUs))).toBe(1000 + seconds - 1);
  });
});

describe("mergeTimelines", () => {
  it("adds shards exactly: the same as one recorder that saw every request, at the widest width", () => {
    const one = new TimelineRecorder();
    const a = new TimelineRecorder();
    const b = new TimelineRecorder();
    // b runs long enough to coarsen to width 2; a stays at width 1.
    for (let i = 0; i < MAX_TIMELINE_BUCKETS + 30; i++) {
      const startUs = (T0 + i) * S + 250_000;
      const shard = i % 3 === 0 && i < 40 ? a : b;
      shard.add(startUs, i % 7 !== 0, 20_000 + i, [1000 + (i % 5)]);
      one.add(startUs, i % 7 !== 0, 20_000 + i, [1000 + (i % 5)]);
    }
    expect(a.toTimeline().widthS).toBe(1);
    expect(b.toTimeline().widthS).toBe(2);
    expect(mergeTimelines([a.toTimeline(), b.toTimeline()])).toEqual(one.toTimeline());
  });

  it("of nothing is an empty one-second timeline", () => {
    expect(mergeTimelines([])).toEqual({ widthS: 1, buckets: [] });
  });
});

import { describe, expect, it } from "vitest";
import type { ServerTelemetry } from "../record/server-telemetry.js";
import {
  MAX_TIMELINE_SERIES,
  mergeServerTelemetry,
  ServerTimelineRecorder,
  seriesValues,
} from "./server-timeline.js";
import { MAX_TIMELINE_BUCKETS } from "./timeline.js";

const T0 = 1_700_000_000;

function telemetry(values: Array<[number, number]>, over: Partial<ServerTelemetry> = {}): ServerTelemetry {
  const r = new ServerTimelineRecorder();
  for (const [s, v] of values) r.add((T0 + s) * 1e6, { requests_waiting: v });
  return {
    url: "http://h/metrics",
    intervalMs: 1000,
    scrapes: values.length,
    failures: 0,
    timeline: r.toTimeline(),
    ...over,
  };
}

describe("server timelines", () => {
  it("fold scrapes into one-second slices on the epoch clock: mean and largest per slice", () => {
    const t = telemetry([
      [0.1, 2],
      [0.6, 4],
      [1.2, 8],
    ]);
    expect(t.timeline.slices).toEqual([
      { startS: T0, series: { requests_waiting: { n: 2, sum: 6, max: 4 } } },
      { startS: T0 + 1, series: { requests_waiting: { n: 1, sum: 8, max: 8 } } },
    ]);
    expect(seriesValues(t, "requests_waiting")).toEqual({ means: [3, 8], max: 8 });
    expect(seriesValues(t, "kv_cache_usage")).toEqual({ means: [], max: Number.NEGATIVE_INFINITY });
  });

  it("stay bounded however long the phase and however many series the server has", () => {
    const r = new ServerTimelineRecorder();
    const values = Object.fromEntries(
      Array.from({ length: MAX_TIMELINE_SERIES + 50 }, (_, i) => [`raw:s${i}`, i]),
    );
    for (let s = 0; s < 10_000; s++) r.add((T0 + s) * 1e6, s === 0 ? values : { requests_running: 1 });
    const t = r.toTimeline();
    expect(t.slices.length).toBeLessThanOrEqual(MAX_TIMELINE_BUCKETS);
    expect(t.widthS).toBeGreaterThan(1);
    expect(Object.keys(t.slices[0]!.series).filter((k) => k.startsWith("raw:"))).toHaveLength(
      MAX_TIMELINE_SERIES,
    );
    // The vocabulary is kept whatever the raw series; re-slicing keeps every scrape.
    expect(t.slices.reduce((n, s) => n + (s.series.requests_running?.n ?? 0), 0)).toBe(9_999);
  });

  it("merge shards slice by slice: scrapes of the same second pool, counts add", () => {
    const merged = mergeServerTelemetry([
      telemetry([[0.1, 2]], { engine: "vllm" }),
      telemetry(
        [
          [0.5, 6],
          [1.5, 1],
        ],
        { failures: 2, lastFailure: "HTTP 503" },
      ),
    ])!;
    expect(merged).toMatchObject({ engine: "vllm", scrapes: 3, failures: 2, lastFailure: "HTTP 503" });
    expect(seriesValues(merged, "requests_waiting")).toEqual({ means: [4, 1], max: 6 });
    expect(mergeServerTelemetry([])).toBeUndefined();
  });
});

import {
  RAW_PREFIX,
  type SeriesSlice,
  type ServerSlice,
  type ServerTelemetry,
  type ServerTimeline,
} from "../record/server-telemetry.js";
import { MAX_TIMELINE_BUCKETS } from "./timeline.js";

/** Raw series (the engine's own names) one timeline holds at most; the vocabulary is always kept. */
export const MAX_TIMELINE_SERIES = 96;

function addSeries(into: Record<string, SeriesSlice>, name: string, s: SeriesSlice): void {
  const t = into[name];
  if (t) {
    t.n += s.n;
    t.sum += s.sum;
    t.max = Math.max(t.max, s.max);
  } else into[name] = { ...s };
}

/** Re-slices at `widthS` (a multiple of each slice's width): exact, since slices nest. */
function rebucket(slices: Iterable<ServerSlice>, widthS: number): Map<number, ServerSlice> {
  const out = new Map<number, ServerSlice>();
  for (const s of slices) {
    const key = Math.floor(s.startS / widthS) * widthS;
    let into = out.get(key);
    if (!into) out.set(key, (into = { startS: key, series: {} }));
    for (const [name, v] of Object.entries(s.series)) addSeries(into.series, name, v);
  }
  return out;
}

/**
 * Folds scrapes into one-second slices on the run's epoch clock, the latency timeline's slices, so
 * the two line up. Memory stays flat: past MAX_TIMELINE_BUCKETS slices the width doubles, and past
 * MAX_TIMELINE_SERIES raw names a new raw series is not kept.
 */
export class ServerTimelineRecorder {
  private widthS = 1;
  private slices = new Map<number, ServerSlice>();
  private readonly names = new Set<string>();

  add(timeUs: number, values: Readonly<Record<string, number>>): void {
    const key = Math.floor(timeUs / 1e6 / this.widthS) * this.widthS;
    let slice = this.slices.get(key);
    if (!slice) {
      if (this.slices.size >= MAX_TIMELINE_BUCKETS) {
        this.widthS *= 2;
        this.slices = rebucket(this.slices.values(), this.widthS);
        return this.add(timeUs, values);
      }
      this.slices.set(key, (slice = { startS: key, series: {} }));
    }
    for (const [name, v] of Object.entries(values)) {
      if (!Number.isFinite(v)) continue;
      if (name.startsWith(RAW_PREFIX) && !this.names.has(name)) {
        if (this.names.size >= MAX_TIMELINE_SERIES) continue;
        this.names.add(name);
      }
      addSeries(slice.series, name, { n: 1, sum: v, max: v });
    }
  }

  toTimeline(): ServerTimeline {
    return { widthS: this.widthS, slices: [...this.slices.values()].sort((a, b) => a.startS - b.startS) };
  }
}

/** Timelines of shards (or runs) as one: slices at the widest width, series added slice by slice. */
export function mergeServerTimelines(all: readonly ServerTimeline[]): ServerTimeline {
  let widthS = Math.max(1, ...all.map((t) => t.widthS));
  let merged = rebucket(
    all.flatMap((t) => t.slices),
    widthS,
  );
  while (merged.size > MAX_TIMELINE_BUCKETS) {
    widthS *= 2;
    merged = rebucket(merged.values(), widthS);
  }
  return { widthS, slices: [...merged.values()].sort((a, b) => a.startS - b.startS) };
}

/**
 * Shards' telemetry of one phase as one. Each shard scraped the same server, so a slice's value is
 * the mean of every shard's scrapes in it (the client's in-flight count is then a shard's, not
 * their sum); scrape and failure counts add.
 */
export function mergeServerTelemetry(all: readonly ServerTelemetry[]): ServerTelemetry | undefined {
  const [first] = all;
  if (!first) return undefined;
  const failed = all.find((t) => t.lastFailure);
  return {
    url: first.url,
    ...(all.find((t) => t.engine)?.engine ? { engine: all.find((t) => t.engine)?.engine } : {}),
    intervalMs: first.intervalMs,
    scrapes: all.reduce((n, t) => n + t.scrapes, 0),
    failures: all.reduce((n, t) => n + t.failures, 0),
    ...(failed?.lastFailure ? { lastFailure: failed.lastFailure } : {}),
    timeline: mergeServerTimelines(all.map((t) => t.timeline)),
  };
}

/** A series over a phase: each slice's mean (oldest first) and the largest single scrape. */
export function seriesValues(t: ServerTelemetry, name: string): { means: number[]; max: number } {
  const means: number[] = [];
  let max = Number.NEGATIVE_INFINITY;
  for (const s of t.timeline.slices) {
    const v = s.series[name];
    if (!v || v.n === 0) continue;
    means.push(v.sum / v.n);
    max = Math.max(max, v.max);
  }
  return { means, max };
}

import type { TimelineBucket, Timeline } from "../record/aggregate.js";
import type { FailureKind } from "../record/failure.js";

/** Past this many slices the width doubles, so memory stays flat however long the run. */
export const MAX_TIMELINE_BUCKETS = 720;

const empty = (startS: number): TimelineBucket => ({
  startS,
  requests: 0,
  failures: 0,
  ttftSumUs: 0,
  ttftCount: 0,
  ttftMaxUs: 0,
  itlSumUs: 0,
  itlCount: 0,
  itlMaxUs: 0,
});

function addInto(into: TimelineBucket, b: TimelineBucket): void {
  into.requests += b.requests;
  into.failures += b.failures;
  into.ttftSumUs += b.ttftSumUs;
  into.ttftCount += b.ttftCount;
  into.ttftMaxUs = Math.max(into.ttftMaxUs, b.ttftMaxUs);
  into.itlSumUs += b.itlSumUs;
  into.itlCount += b.itlCount;
  into.itlMaxUs = Math.max(into.itlMaxUs, b.itlMaxUs);
  if (b.inFlightUs !== undefined) into.inFlightUs = (into.inFlightUs ?? 0) + b.inFlightUs;
  for (const [kind, n] of Object.entries(b.errors ?? {}) as Array<[FailureKind, number]>) {
    into.errors = { ...into.errors, [kind]: (into.errors?.[kind] ?? 0) + n };
  }
}

/** Re-slices buckets at `widthS` (a multiple of each one's width): exact, since slices nest. */
function rebucket(buckets: Iterable<TimelineBucket>, widthS: number): Map<number, TimelineBucket> {
  const out = new Map<number, TimelineBucket>();
  for (const b of buckets) {
    const key = Math.floor(b.startS / widthS) * widthS;
    let into = out.get(key);
    if (!into) out.set(key, (into = empty(key)));
    addInto(into, b);
  }
  return out;
}

/** Folds each request into its one-second (or, on long runs, wider) slice. Never grows past the cap. */
export class TimelineRecorder {
  private widthS = 1;
  private buckets = new Map<number, TimelineBucket>();

  /**
   * Folds one request in by its start. With `end` it also adds the time the request was in flight
   * to each slice it overlaps (so a slice's mean in-flight count is its `inFlightUs` over its width)
   * and, for a failure, counts its kind in the slice it started in.
   */
  add(
    startUs: number,
    ok: boolean,
    ttftUs: number | undefined,
    itlGapsUs: readonly number[],
    end?: { endUs: number; failureKind?: FailureKind },
  ): void {
    const b = this.bucketAt(startUs);
    b.requests++;
    if (!ok) b.failures++;
    if (ttftUs !== undefined) {
      b.ttftSumUs += ttftUs;
      b.ttftCount++;
      if (ttftUs > b.ttftMaxUs) b.ttftMaxUs = ttftUs;
    }
    for (const gap of itlGapsUs) {
      b.itlSumUs += gap;
      if (gap > b.itlMaxUs) b.itlMaxUs = gap;
    }
    b.itlCount += itlGapsUs.length;
    if (!end) return;
    if (!ok && end.failureKind)
      b.errors = { ...b.errors, [end.failureKind]: (b.errors?.[end.failureKind] ?? 0) + 1 };
    // Slice by slice, re-reading the width each time: a slice made here may double it.
    for (let t = startUs; t < end.endUs;) {
      const slice = this.bucketAt(t);
      const until = Math.min(end.endUs, (slice.startS + this.widthS) * 1e6);
      slice.inFlightUs = (slice.inFlightUs ?? 0) + (until - t);
      t = until;
    }
  }

  /** The slice holding `us`, made (and the width doubled first when at the cap) if missing. */
  private bucketAt(us: number): TimelineBucket {
    const key = Math.floor(us / 1e6 / this.widthS) * this.widthS;
    const b = this.buckets.get(key);
    if (b) return b;
    if (this.buckets.size >= MAX_TIMELINE_BUCKETS) {
      this.widthS *= 2;
      this.buckets = rebucket(this.buckets.values(), this.widthS);
      return this.bucketAt(us);
    }
    const made = empty(key);
    this.buckets.set(key, made);
    return made;
  }

  toTimeline(): Timeline {
    return { widthS: this.widthS, buckets: sorted(this.buckets) };
  }
}

const sorted = (m: Map<number, TimelineBucket>) =>
  [...m.values()]
    .sort((a, b) => a.startS - b.startS)
    .map((b) => ({ ...b, ...(b.errors ? { errors: { ...b.errors } } : {}) }));

/** Adds the timelines of shards exactly, at the widest width among them. */
export function mergeTimelines(all: readonly Timeline[]): Timeline {
  const widthS = Math.max(1, ...all.map((t) => t.widthS));
  return {
    widthS,
    buckets: sorted(
      rebucket(
        all.flatMap((t) => t.buckets),
        widthS,
      ),
    ),
  };
}

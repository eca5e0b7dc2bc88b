import * as hdr from "hdr-histogram-js";
import type { Histogram } from "hdr-histogram-js";
import type { EncodedHistogram, HistogramKind, LatencyStat } from "../record/aggregate.js";

/** Bounds per kind: microseconds for times (1 µs .. 1 h), plain counts for tokens. */
const BOUNDS = {
  latency: { lowest: 1, highest: 3_600_000_000 },
  tokens: { lowest: 1, highest: 10_000_000 },
} as const satisfies Record<HistogramKind, { lowest: number; highest: number }>;

/**
 * Records values into an HDR histogram (3 significant digits, memory flat however many values)
 * and keeps exact min, max and sum so those statistics carry no bucket error.
 */
export class Recorder {
  private readonly histogram: Histogram;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  sum = 0;

  constructor(readonly kind: HistogramKind) {
    const b = BOUNDS[kind];
    this.histogram = hdr.build({
      lowestDiscernibleValue: b.lowest,
      highestTrackableValue: b.highest,
      numberOfSignificantValueDigits: 3,
      bitBucketSize: 32,
      autoResize: true,
      useWebAssembly: false,
    });
  }

  /**
   * Records one value (µs for latencies), rounded to an integer as the HDR buckets are, so exact
   * min/max/mean agree with a histogram rebuilt from requests.ndjson. Negatives clamp to 0.
   */
  record(value: number): void {
    const v = value > 0 ? Math.round(value) : 0;
    this.histogram.recordValue(v);
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  /** Value at a percentile (0..100); exact for p0/p100, within 0.1% otherwise. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    if (p <= 0) return this.min;
    if (p >= 100) return this.max;
    return Math.min(this.max, Math.max(this.min, this.histogram.getValueAtPercentile(p)));
  }

  get mean(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }

  merge(other: Recorder): void {
    this.histogram.add(other.histogram);
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  encode(): EncodedHistogram {
    return {
      kind: this.kind,
      count: this.count,
      min: this.count ? this.min : 0,
      max: this.count ? this.max : 0,
      sum: this.sum,
      hdr: hdr.encodeIntoCompressedBase64(this.histogram),
    };
  }

  static decode(e: EncodedHistogram): Recorder {
    const r = new Recorder(e.kind);
    if (e.count > 0) {
      const decoded = hdr.decodeFromCompressedBase64(e.hdr, 32, false);
      r.histogram.add(decoded);
      decoded.destroy();
      r.count = e.count;
      r.sum = e.sum;
      r.min = e.min;
      r.max = e.max;
    }
    return r;
  }
}

export function createRecorder(kind: HistogramKind): Recorder {
  return new Recorder(kind);
}

/** The statistics of one distribution (LATENCY_STATS), in the recorder's unit divided by `scale`. */
export type DistributionSummary = Record<LatencyStat, number>;

export function summarize(r: Recorder, scale = 1): DistributionSummary {
  const at = (p: number) => r.percentile(p) / scale;
  return {
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    "p99.9": at(99.9),
    min: r.count ? r.min / scale : Number.NaN,
    mean: r.mean / scale,
    max: r.count ? r.max / scale : Number.NaN,
    count: r.count,
  };
}

// Small numeric helpers shared by the scenarios.

/** Nearest-rank percentile of an unsorted array (copied and sorted). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Cumulative CPU µs at epoch-µs `t`, interpolated between the probe's samples. */
function cpuAt(samples, t) {
  let prev = samples[0];
  for (const s of samples) {
    if (s[0] >= t) {
      if (s[0] === prev[0]) return s[1];
      return prev[1] + ((s[1] - prev[1]) * (t - prev[0])) / (s[0] - prev[0]);
    }
    prev = s;
  }
  return prev[1];
}

/** CPU seconds the probed process spent between two epoch-µs instants. */
export function cpuSecondsBetween(probe, fromUs, toUs) {
  return (cpuAt(probe.samples, toUs) - cpuAt(probe.samples, fromUs)) / 1e6;
}

/** The most intervals [from, to] open at one instant. */
export function peakOverlap(intervals) {
  const edges = [];
  for (const [from, to] of intervals) edges.push([from, 1], [to, -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, d] of edges) peak = Math.max(peak, (open += d));
  return peak;
}

/**
 * The RSS curve in MB: at 5% and 50% of the run, the peak of each half, and the OS's peak. A heap
 * breathes (GC sawtooth), so "flat" compares the two halves' peaks rather than two instants.
 */
export function rssCurve(probe) {
  const rss = probe.samples.map((s) => s[2] / 2 ** 20);
  const at = (f) => rss[Math.min(rss.length - 1, Math.floor(rss.length * f))] ?? NaN;
  const half = Math.floor(rss.length / 2);
  return {
    startMb: at(0.05),
    midMb: at(0.5),
    firstHalfPeakMb: Math.max(...rss.slice(0, half)),
    secondHalfPeakMb: Math.max(...rss.slice(half)),
    peakOsMb: probe.maxRssKb / 1024,
  };
}

export const fmt = (n, digits = 2) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "n/a";

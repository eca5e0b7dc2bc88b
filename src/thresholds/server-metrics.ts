import { seriesValues } from "../metrics/server-timeline.js";
import type { LatencyStat } from "../record/aggregate.js";
import type { ServerSeries } from "../record/server-telemetry.js";
import { MEASURED, type Need } from "./needs.js";
import { matching, type Reader } from "./read.js";

/** The statistics a server series is read by: over its one-second slices, and its largest scrape. */
export const SERVER_STATS = [
  "p50",
  "p90",
  "p95",
  "p99",
  "min",
  "mean",
  "max",
] as const satisfies readonly LatencyStat[];

/**
 * A server series over the phases a threshold selects: `max` is the largest single scrape, the
 * other statistics are read over each slice's mean (one scrape per slice at the default 1 s),
 * nearest rank. Undefined when no selected phase has the series (no endpoint, or the engine does
 * not expose it): a threshold on it then fails with "no samples", never passes silently.
 */
export function serverSeries(name: ServerSeries): Reader {
  return (figures, t) => {
    const means: number[] = [];
    let max = Number.NEGATIVE_INFINITY;
    for (const p of matching(figures, t)) {
      if (!p.server) continue;
      const v = seriesValues(p.server, name);
      means.push(...v.means);
      max = Math.max(max, v.max);
    }
    if (means.length === 0 || t.stat === undefined) return undefined;
    if (t.stat === "max") return max;
    const sorted = means.sort((a, b) => a - b);
    if (t.stat === "mean") return sorted.reduce((a, b) => a + b, 0) / sorted.length;
    if (t.stat === "min") return sorted[0];
    if (t.stat === "count") return sorted.length;
    const q = Number(t.stat.slice(1)) / 100;
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  };
}

/** Server series need a load phase; whether the server answers its endpoint is known only then. */
export const SERVER_NEEDS: readonly Need[] = [MEASURED];

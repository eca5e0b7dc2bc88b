import type { PhaseAggregate } from "../../record/aggregate.js";
import { CLIENT_IN_FLIGHT } from "../../record/server-telemetry.js";
import type { Palette } from "./palette.js";
import { slug } from "./series.js";
import { xyChart, type XySeries } from "./xy-chart.js";

/** The server series drawn, each in its own line style beside the target's colour. */
const DRAWN: ReadonlyArray<[string, string, string]> = [
  ["requests_running", "server running", ""],
  ["requests_waiting", "server waiting", "6 4"],
  [CLIENT_IN_FLIGHT, "client in flight", "2 3"],
];

/**
 * A phase's server telemetry, for the targets that had it scraped: the server's running and
 * waiting requests beside the client's own requests in flight, on the phase's time axis (seconds
 * from the first slice of either timeline). Empty when no target was scraped.
 */
export function serverCharts(aggregates: readonly PhaseAggregate[], palette: Palette): string[] {
  const series: XySeries[] = aggregates.flatMap((a) => {
    const server = a.server;
    if (!server) return [];
    const starts = [
      ...server.timeline.slices.map((s) => s.startS),
      ...(a.timeline?.buckets ?? []).map((b) => b.startS),
    ];
    if (starts.length === 0) return [];
    const t0 = Math.min(...starts);
    const half = server.timeline.widthS / 2;
    return DRAWN.map(([name, label, dash]) => ({
      key: a.target,
      label: `${a.target} ${label}`,
      colour: palette(a.target),
      dash,
      points: server.timeline.slices.flatMap((s) => {
        const v = s.series[name];
        return v && v.n > 0 ? [{ x: s.startS - t0 + half, y: v.sum / v.n }] : [];
      }),
    }));
  });
  const phase = aggregates[0]?.phase ?? "";
  const chart = xyChart(series, {
    id: `server-${slug(phase)}`,
    title: `${phase}: server running and waiting requests`,
    xLabel: "time into the phase (s)",
    yLabel: "requests, mean per slice (requests)",
  });
  return chart ? [chart] : [];
}

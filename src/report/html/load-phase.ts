import type { DistributionName, PhaseAggregate } from "../../record/aggregate.js";
import { FAILURE_KINDS } from "../../record/failure.js";
import type { RunResult } from "../../record/run-result.js";
import { xmlText } from "../xml.js";
import { serverCharts } from "./server-charts.js";
import { loadUnit, offeredCurve, offeredText } from "./offered.js";
import { DASHES, MARKER_COLOUR, type Palette } from "./palette.js";
import { cdfPoints, loadPhases, slug, timelinePoints } from "./series.js";
import { chartGrid, section } from "./status.js";
import { xyChart, type XySeries } from "./xy-chart.js";

const LATENCY: ReadonlyArray<[DistributionName, string]> = [
  ["ttft", "TTFT"],
  ["itl", "ITL"],
  ["e2e", "e2e latency"],
];

/**
 * The CDF of one latency per target over a set of aggregates, on a log axis when it spans decades.
 * `scope` names where the requests came from (a load phase, or quality) in the title and id.
 */
export function distributionChart(
  aggregates: readonly PhaseAggregate[],
  metric: DistributionName,
  label: string,
  scope: string,
  palette: Palette,
): string {
  const series: XySeries[] = aggregates.map((a) => ({
    key: a.target,
    label: a.target,
    colour: palette(a.target),
    points: cdfPoints(a, metric),
  }));
  return xyChart(series, {
    id: `cdf-${slug(scope)}-${metric}`,
    title: `${scope}: ${label} distribution`,
    xLabel: `${label} (ms)`,
    yLabel: `${metric === "itl" ? "gaps" : "requests"} at or below (%)`,
    xScale: "auto",
    yRange: [0, 100],
  });
}

/** Mean TTFT (solid) and ITL (dashed) per slice by start, per target. */
function latencyOverTime(name: string, aggregates: readonly PhaseAggregate[], palette: Palette): string {
  const series: XySeries[] = aggregates.flatMap((a) => {
    const t = a.timeline;
    if (!t) return [];
    const line = (
      label: string,
      dash: string,
      sum: "ttftSumUs" | "itlSumUs",
      n: "ttftCount" | "itlCount",
    ) => ({
      key: a.target,
      label: `${a.target} ${label}`,
      colour: palette(a.target),
      dash,
      points: timelinePoints(t, (b) => (b[n] > 0 ? b[sum] / b[n] / 1000 : undefined)),
    });
    return [line("TTFT mean", "", "ttftSumUs", "ttftCount"), line("ITL mean", "6 4", "itlSumUs", "itlCount")];
  });
  return xyChart(series, {
    id: `latency-time-${slug(name)}`,
    title: `${name}: TTFT and ITL over time`,
    xLabel: "time into the phase (s)",
    yLabel: "mean per slice by start (ms)",
    yScale: "auto",
  });
}

const widthOf = (a: PhaseAggregate) => a.timeline?.widthS ?? 1;

/** Successes per second by start, per target, with the offered rate where the phase has one. */
function rateChart(name: string, aggregates: readonly PhaseAggregate[], palette: Palette): string {
  const series: XySeries[] = aggregates.flatMap((a) =>
    a.timeline
      ? [
          {
            key: a.target,
            label: `${a.target} achieved`,
            colour: palette(a.target),
            points: timelinePoints(a.timeline, (b) => (b.requests - b.failures) / widthOf(a)),
          },
        ]
      : [],
  );
  const load = aggregates.find((a) => a.load)?.load;
  const offered = load && loadUnit(load) === "req/s" ? offeredCurve(load) : undefined;
  if (offered)
    series.push({ key: "offered", label: "offered", colour: MARKER_COLOUR, dash: "5 3", points: offered });
  return xyChart(series, {
    id: `rate-${slug(name)}`,
    title: `${name}: ${offered ? "achieved against offered rate" : "achieved rate"} over time`,
    xLabel: "time into the phase (s)",
    yLabel: "successes by start (req/s)",
  });
}

/** Mean requests in flight per slice, per target, with the offered users where the phase has them. */
function inFlightChart(name: string, aggregates: readonly PhaseAggregate[], palette: Palette): string {
  const series: XySeries[] = aggregates.flatMap((a) => {
    const t = a.timeline;
    if (!t || !t.buckets.some((b) => b.inFlightUs !== undefined)) return [];
    return [
      {
        key: a.target,
        label: `${a.target} in flight`,
        colour: palette(a.target),
        points: timelinePoints(t, (b) => (b.inFlightUs ?? 0) / (t.widthS * 1e6)),
      },
    ];
  });
  if (series.length === 0) return "";
  const load = aggregates.find((a) => a.load)?.load;
  const users = load && loadUnit(load) === "users" ? offeredCurve(load) : undefined;
  if (users)
    series.push({
      key: "offered",
      label: "offered users",
      colour: MARKER_COLOUR,
      dash: "5 3",
      points: users,
    });
  return xyChart(series, {
    id: `inflight-${slug(name)}`,
    title: `${name}: requests in flight over time`,
    xLabel: "time into the phase (s)",
    yLabel: "in flight, mean per slice (requests)",
  });
}

/** Failed requests per second by kind and target; empty when nothing failed. */
function errorsChart(name: string, aggregates: readonly PhaseAggregate[], palette: Palette): string {
  const kinds = FAILURE_KINDS.filter((k) => aggregates.some((a) => a.errorsByKind[k] > 0));
  const series: XySeries[] = aggregates.flatMap((a) => {
    const t = a.timeline;
    if (!t) return [];
    return kinds
      .filter((k) => a.errorsByKind[k] > 0)
      .map((k) => ({
        key: a.target,
        label: `${a.target} ${k}`,
        colour: palette(a.target),
        dash: DASHES[kinds.indexOf(k) % DASHES.length] as string,
        dots: true,
        points: timelinePoints(t, (b) => (b.errors?.[k] ?? 0) / t.widthS),
      }));
  });
  return xyChart(series, {
    id: `errors-${slug(name)}`,
    title: `${name}: failures by kind over time`,
    xLabel: "time into the phase (s)",
    yLabel: "failed requests by start (req/s)",
  });
}

/**
 * One section per load phase: the load it offered, then TTFT, ITL and e2e distributions per target,
 * achieved (and offered) rate, requests in flight and failures by kind over time, and the server's
 * telemetry where it was scraped. Quality requests are never mixed in (see qualitySection).
 */
export function loadPhaseSections(run: RunResult, palette: Palette): string[] {
  return loadPhases(run).map(({ name, aggregates }) => {
    const load = aggregates.find((a) => a.load)?.load;
    return section(`phase-${slug(name)}`, `Load phase ${name}`, [
      load ? `<p class="offered">offered: ${xmlText(offeredText(load))}</p>` : "",
      chartGrid([
        ...LATENCY.map(([metric, label]) => distributionChart(aggregates, metric, label, name, palette)),
        latencyOverTime(name, aggregates, palette),
        rateChart(name, aggregates, palette),
        inFlightChart(name, aggregates, palette),
        errorsChart(name, aggregates, palette),
        ...serverCharts(aggregates, palette),
      ]),
    ]);
  });
}

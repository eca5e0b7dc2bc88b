import type { DistributionName } from "../record/aggregate.js";
import { Recorder } from "../metrics/histogram.js";
import type { RunResult } from "../record/run-result.js";
import { renderMarkdown } from "./markdown.js";
import { markdownToHtml } from "./md-to-html.js";
import { lineChart, type Series } from "./svg-chart.js";
import { num } from "./verdict-line.js";
import { xmlText } from "./xml.js";
import { serverCharts } from "./server-text.js";

const PERCENTS = [...Array.from({ length: 100 }, (_, i) => i), 99.5, 99.9, 100];

/** The latency CDF of each (target, phase), read from its histogram: x in ms, y as a fraction. */
function cdfSeries(run: RunResult, metric: DistributionName): Series[] {
  return run.phases
    .filter((p) => !p.phase.includes(":") && p.histograms[metric].count > 0)
    .map((p) => {
      const r = Recorder.decode(p.histograms[metric]);
      return {
        name: `${p.target}/${p.phase}`,
        points: PERCENTS.map((q): [number, number] => [r.percentile(q) / 1000, q / 100]),
      };
    });
}

/**
 * Mean TTFT or ITL per time slice of each (target, phase), by scheduled start: x in seconds since
 * the phase's first slice, y in ms. Slices with no sample of the metric are left out.
 */
function timelineSeries(run: RunResult, metric: "ttft" | "itl"): Series[] {
  return run.phases
    .filter((p) => !p.phase.includes(":") && p.timeline && p.timeline.buckets.length > 1)
    .map((p) => {
      const { widthS, buckets } = p.timeline!;
      const t0 = buckets[0]!.startS;
      return {
        name: `${p.target}/${p.phase}`,
        points: buckets
          .filter((b) => (metric === "ttft" ? b.ttftCount : b.itlCount) > 0)
          .map((b): [number, number] => [
            b.startS - t0 + widthS / 2,
            metric === "ttft" ? b.ttftSumUs / b.ttftCount / 1000 : b.itlSumUs / b.itlCount / 1000,
          ]),
      };
    });
}

/**
 * Each sweep's tail latency by offered rate, with its synchronous and saturation steps as points
 * at the throughput they measured (they have no offered rate) and the capacity at SLO as a marker.
 */
function sweepCharts(run: RunResult): string[] {
  return run.sweeps.map((sw) => {
    const steps = sw.steps
      .flatMap((s) => (typeof s.rate === "number" ? [{ ...s, rate: s.rate }] : []))
      .sort((a, b) => a.rate - b.rate);
    const line = (name: string, pick: (s: (typeof steps)[number]) => number | null): Series => ({
      name,
      points: steps.map((s) => [s.rate, num(pick(s))]),
    });
    const closed = sw.steps.filter((s) => s.rate === undefined);
    return lineChart(
      [
        line("ttft p95", (s) => s.ttftMs.p95),
        line("e2e p95", (s) => s.e2eMs.p95),
        line("itl p95", (s) => s.itlMs.p95),
      ],
      {
        title: `sweep ${sw.target}/${sw.phase}: latency by offered rate`,
        xLabel: "offered rate (req/s); closed-loop steps at the throughput they measured",
        yLabel: "ms",
        points: closed.map((s) => ({
          x: num(s.achievedRps),
          y: num(s.ttftMs.p95),
          label: `${s.label} ${num(s.achievedRps).toFixed(1)}/s, ttft p95 ${num(s.ttftMs.p95).toFixed(0)}ms`,
        })),
        ...(typeof sw.capacityRps === "number"
          ? { marker: { x: sw.capacityRps, label: `capacity ${sw.capacityRps.toFixed(2)}/s` } }
          : {}),
      },
    );
  });
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:13px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}code{background:#f3f3f3;padding:0 3px}
blockquote{border-left:4px solid #d62728;margin:.5rem 0;padding:.25rem .75rem}
svg{display:block;margin:.5rem 0 1.5rem;max-width:100%;height:auto}svg text{font-size:11px;fill:#333}svg .title{font-size:13px;font-weight:600}
svg .axis{stroke:#333}svg .grid{stroke:#e5e5e5}svg .marker{stroke:#2ca02c;stroke-dasharray:4 3}svg .point{fill:#9467bd}`;

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched): the
 * summary's verdict and tables, then latency CDFs of TTFT, ITL and e2e per target and phase from
 * the histograms, TTFT and ITL over time from the phases' timelines, and each sweep's latency by
 * offered rate with its synchronous and saturation points and its capacity at SLO; for phases with
 * server telemetry, TTFT above the client's in-flight and the server's running and waiting requests
 * on one time axis. Pure.
 */
export function renderHtml(run: RunResult): string {
  const charts = [
    lineChart(cdfSeries(run, "ttft"), {
      title: "TTFT CDF",
      xLabel: "ms",
      yLabel: "fraction of requests",
      yRange: [0, 1],
    }),
    lineChart(cdfSeries(run, "itl"), {
      title: "ITL CDF",
      xLabel: "ms",
      yLabel: "fraction of gaps",
      yRange: [0, 1],
    }),
    lineChart(cdfSeries(run, "e2e"), {
      title: "e2e CDF",
      xLabel: "ms",
      yLabel: "fraction of requests",
      yRange: [0, 1],
    }),
    lineChart(timelineSeries(run, "ttft"), {
      title: "TTFT over time (mean per slice, by scheduled start)",
      xLabel: "seconds into the phase",
      yLabel: "ms",
    }),
    lineChart(timelineSeries(run, "itl"), {
      title: "ITL over time (mean per slice)",
      xLabel: "seconds into the phase",
      yLabel: "ms",
    }),
    ...serverCharts(run),
    ...sweepCharts(run),
  ].filter(Boolean);
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>Gauntlet ${xmlText(run.suite.name)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    markdownToHtml(renderMarkdown(run)),
    ...(charts.length ? ["<h3>Charts</h3>", ...charts] : []),
    "</body></html>",
    "",
  ].join("\n");
}

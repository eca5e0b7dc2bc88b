import { summarizePhase } from "../../metrics/aggregate.js";
import type { RunResult } from "../../record/run-result.js";
import { sweepStepPhase } from "../../record/sweep.js";
import { num } from "../verdict-line.js";
import type { Palette } from "./palette.js";
import { loadPhases } from "./series.js";
import { chartGrid, section } from "./status.js";
import { type Marker, xyChart, type XyPoint, type XySeries } from "./xy-chart.js";

/** One operating point of a target: a load phase or a sweep step, at the throughput it achieved. */
interface OperatingPoint {
  target: string;
  label: string;
  rps: number;
  /** Output tokens per second it achieved (0 when unknown). */
  tps: number;
  ttft: { p50: number; p95: number };
  itl: { p50: number; p95: number };
}

/** Every load phase and sweep step of the run as an operating point (quality left out). */
function operatingPoints(run: RunResult): OperatingPoint[] {
  const phases = loadPhases(run).flatMap(({ name, aggregates }) =>
    aggregates.map((a) => {
      const s = summarizePhase(a);
      return {
        target: a.target,
        label: name,
        rps: s.requestThroughput,
        tps: s.outputThroughput,
        ttft: { p50: s.latencyMs.ttft.p50, p95: s.latencyMs.ttft.p95 },
        itl: { p50: s.latencyMs.itl.p50, p95: s.latencyMs.itl.p95 },
      };
    }),
  );
  // A step's output throughput is its own aggregate's, recorded beside the phases under the step's name.
  const stepTps = (target: string, phase: string) => {
    const a = run.phases.find((x) => x.target === target && x.phase === phase);
    return a ? summarizePhase(a).outputThroughput : 0;
  };
  const steps = run.sweeps.flatMap((sw) =>
    sw.steps.map((st) => ({
      target: sw.target,
      label: `${sw.phase} ${st.label}`,
      rps: num(st.achievedRps),
      tps: stepTps(sw.target, sweepStepPhase(sw.phase, st.label)),
      ttft: { p50: num(st.ttftMs.p50), p95: num(st.ttftMs.p95) },
      itl: { p50: num(st.itlMs.p50), p95: num(st.itlMs.p95) },
    })),
  );
  return [...phases, ...steps].filter((p) => p.rps > 0);
}

/** The capacity at SLO of every sweep, as vertical markers. */
function capacityMarkers(run: RunResult): Marker[] {
  return run.sweeps.flatMap((sw) =>
    typeof sw.capacityRps === "number"
      ? [
          {
            axis: "x" as const,
            value: sw.capacityRps,
            label: `capacity at SLO, ${sw.target} (${sw.phase}): ${sw.capacityRps.toFixed(2)} req/s`,
          },
        ]
      : [],
  );
}

/**
 * Latency against achieved throughput across every load phase and sweep step, one curve per target
 * (p50 solid, p95 dashed), against requests per second with each sweep's capacity at SLO marked,
 * and against output tokens per second: the curves an operating point is picked from. Empty with
 * fewer than two operating points.
 */
export function throughputSection(run: RunResult, palette: Palette): string {
  const all = operatingPoints(run);
  if (all.length < 2) return "";
  const targets = [...new Set(all.map((p) => p.target))];
  const curves = (metric: "ttft" | "itl", x: "rps" | "tps" = "rps"): XySeries[] =>
    targets.flatMap((target) => {
      const mine = all.filter((p) => p.target === target && p[x] > 0).sort((a, b) => a[x] - b[x]);
      const unit = x === "rps" ? "req/s" : "output tok/s";
      const points = (stat: "p50" | "p95"): XyPoint[] =>
        mine.map((p) => ({
          x: p[x],
          y: p[metric][stat],
          title: `${target} ${p.label}: ${p[x].toFixed(2)} ${unit}, ${metric.toUpperCase()} ${stat} ${p[metric][stat].toFixed(1)} ms`,
        }));
      const name = metric.toUpperCase();
      return [
        {
          key: target,
          label: `${target} ${name} p50`,
          colour: palette(target),
          dots: true,
          points: points("p50"),
        },
        {
          key: target,
          label: `${target} ${name} p95`,
          colour: palette(target),
          dash: "6 4",
          dots: true,
          points: points("p95"),
        },
      ];
    });
  const markers = capacityMarkers(run);
  return section("throughput", "Latency against throughput (every load phase and sweep step)", [
    chartGrid([
      xyChart(curves("ttft"), {
        id: "throughput-ttft",
        title: "TTFT against achieved throughput",
        xLabel: "achieved throughput (req/s)",
        yLabel: "TTFT (ms)",
        yScale: "auto",
        markers,
      }),
      xyChart(curves("itl"), {
        id: "throughput-itl",
        title: "ITL against achieved throughput",
        xLabel: "achieved throughput (req/s)",
        yLabel: "ITL (ms)",
        yScale: "auto",
        markers,
      }),
      // The same curves against output tokens per second: what a GPU is bought for.
      ...(all.filter((p) => p.tps > 0).length >= 2
        ? [
            xyChart(curves("ttft", "tps"), {
              id: "throughput-ttft-tokens",
              title: "TTFT against output throughput",
              xLabel: "output throughput (tokens/s)",
              yLabel: "TTFT (ms)",
              yScale: "auto",
            }),
            xyChart(curves("itl", "tps"), {
              id: "throughput-itl-tokens",
              title: "ITL against output throughput",
              xLabel: "output throughput (tokens/s)",
              yLabel: "ITL (ms)",
              yScale: "auto",
            }),
          ]
        : []),
    ]),
  ]);
}

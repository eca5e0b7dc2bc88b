import { Recorder } from "../../metrics/histogram.js";
import type { DistributionName, PhaseAggregate, Timeline } from "../../record/aggregate.js";
import type { RunResult } from "../../record/run-result.js";
import { sweepOfPhase } from "../../record/sweep.js";
import { QUALITY_PHASE } from "../../run/quality-run.js";
import { createPalette, type Palette } from "./palette.js";
import type { XyPoint } from "./xy-chart.js";

/** The percentiles a distribution is drawn through: every whole one, then the tail. */
const PERCENTS = [...Array.from({ length: 100 }, (_, i) => i), 99.5, 99.9, 100];

/** A distribution as a CDF: x the value in ms (µs histograms), y the share at or below it in %. */
export function cdfPoints(a: PhaseAggregate, metric: DistributionName): XyPoint[] {
  if (a.histograms[metric].count === 0) return [];
  const r = Recorder.decode(a.histograms[metric]);
  return PERCENTS.map((q) => ({ x: r.percentile(q) / 1000, y: q }));
}

/** Points of a timeline, x in seconds from its first slice (at each slice's middle). */
export function timelinePoints(
  t: Timeline,
  value: (b: Timeline["buckets"][number]) => number | undefined,
): XyPoint[] {
  const t0 = t.buckets[0]?.startS ?? 0;
  return t.buckets.flatMap((b) => {
    const v = value(b);
    return v === undefined ? [] : [{ x: b.startS - t0 + t.widthS / 2, y: v }];
  });
}

/** The palette of a run: its targets in order, then prompt variants (`target/prompt`). */
export function runPalette(run: RunResult): Palette {
  return createPalette([
    ...run.targets.map((t) => t.name),
    ...run.comparisons.flatMap((c) =>
      c.by ? [variantKey(c.by.target, c.baseline.target), variantKey(c.by.target, c.candidate.target)] : [],
    ),
  ]);
}

/** The colour key of a prompt variant on a target. */
export const variantKey = (target: string, prompt: string) => `${target}/${prompt}`;

/** Load phases by name, in run order: each with its aggregate per target (quality and sweep steps left out). */
export function loadPhases(run: RunResult): Array<{ name: string; aggregates: PhaseAggregate[] }> {
  const out = new Map<string, PhaseAggregate[]>();
  for (const a of run.phases) {
    if (a.phase === QUALITY_PHASE || sweepOfPhase(a.phase) !== undefined) continue;
    out.set(a.phase, [...(out.get(a.phase) ?? []), a]);
  }
  return [...out].map(([name, aggregates]) => ({ name, aggregates }));
}

/** A stable id fragment for a name: lower-case letters, digits and dashes. */
export const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || "x";

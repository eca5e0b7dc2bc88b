import type { ComparisonResult } from "../../record/comparison.js";
import type { QualityTotals, RunResult } from "../../record/run-result.js";
import { QUALITY_PHASE } from "../../run/quality-run.js";
import { gateOf } from "../../stats/gate.js";
import { wilsonInterval } from "../../stats/proportions.js";
import { heatmap } from "./heatmap.js";
import { distributionChart } from "./load-phase.js";
import type { Palette } from "./palette.js";
import { slug, variantKey } from "./series.js";
import { chartGrid, section } from "./status.js";
import { type Marker, xyChart, type XySeries } from "./xy-chart.js";

/** A target's pass rate with its 95% Wilson interval, over every outcome judged (errors count as not passed). */
export function passRateWithInterval(q: QualityTotals): { rate: number; lower: number; upper: number } {
  const n = q.scored + q.errored;
  const i = wilsonInterval(q.passed, n);
  return { rate: n > 0 ? q.passed / n : Number.NaN, lower: i.lower, upper: i.upper };
}

/** Pass rate per target, each a dot with its interval on a 0-100% axis. */
function passRateChart(run: RunResult, palette: Palette): string {
  const totals = run.quality.totals.filter((q) => q.scored + q.errored > 0);
  const series: XySeries[] = totals.map((q, i) => {
    const r = passRateWithInterval(q);
    return {
      key: q.target,
      label: q.target,
      colour: palette(q.target),
      line: false,
      points: [
        {
          x: r.rate * 100,
          y: i,
          xLow: r.lower * 100,
          xHigh: r.upper * 100,
          title: `${q.target}: ${q.passed} of ${q.scored + q.errored} passed (${(r.rate * 100).toFixed(1)}%, 95% interval ${(r.lower * 100).toFixed(1)} to ${(r.upper * 100).toFixed(1)}%)`,
        },
      ],
    };
  });
  return xyChart(series, {
    id: "quality-pass-rate",
    title: "Quality: pass rate per target (95% Wilson interval)",
    xLabel: "pass rate (%)",
    yLabel: "target (name)",
    xRange: [0, 100],
    yCategories: totals.map((q) => q.target),
  });
}

const comparisonKey = (c: ComparisonResult) =>
  c.by ? variantKey(c.by.target, c.candidate.target) : c.candidate.target;

/**
 * Each comparison's candidate-minus-baseline pass rate with the interval its gates decide by,
 * beside 0 and the margins the suite's pp thresholds set.
 */
function deltaChart(run: RunResult, palette: Palette): string {
  if (run.comparisons.length === 0) return "";
  const names = run.comparisons.map(
    (c) => `${c.candidate.target} vs ${c.baseline.target}${c.by ? ` on ${c.by.target}` : ""}`,
  );
  const series: XySeries[] = run.comparisons.map((c, i) => {
    const gate = gateOf(c);
    const d = c.delta.difference * 100;
    return {
      key: comparisonKey(c),
      label: names[i] as string,
      colour: palette(comparisonKey(c)),
      line: false,
      points: [
        {
          x: d,
          y: i,
          ...(gate ? { xLow: gate.lower * 100, xHigh: gate.upper * 100 } : {}),
          title: `${names[i]}: ${d.toFixed(2)} pp${gate ? ` (${(gate.lower * 100).toFixed(2)} to ${(gate.upper * 100).toFixed(2)} pp, ${gate.method})` : ""}`,
        },
      ],
    };
  });
  const margins = new Map<number, string>();
  for (const v of run.thresholds)
    if (v.unit === "pp" && v.key.startsWith("compare.")) margins.set(v.limit * 100, v.key);
  const markers: Marker[] = [
    { axis: "x", value: 0, label: "no difference (0 pp)" },
    ...[...margins].map(([value, key]) => ({
      axis: "x" as const,
      value,
      label: `margin ${value.toFixed(1)} pp (${key})`,
    })),
  ];
  return xyChart(series, {
    id: "comparison-delta",
    title: "Comparison: candidate − baseline pass rate (gate's interval)",
    xLabel: "pass-rate difference (pp)",
    yLabel: "comparison (pair)",
    yCategories: names,
    markers,
  });
}

/** A heat map of each target's confusion matrix (cases that declare a label). */
function confusionCharts(run: RunResult): string[] {
  return (run.quality.tasks ?? []).flatMap((t) => {
    const c = t.classification;
    if (!c) return [];
    return [
      heatmap({
        id: `confusion-${slug(t.target)}`,
        title: `${t.target}: confusion matrix (${c.cases} labelled outcomes)`,
        rows: c.labels,
        columns: c.confusion.columns,
        counts: c.confusion.counts,
      }),
    ];
  });
}

/**
 * Quality on its own (its latencies never mixed with a load phase's): pass rate per target with its
 * interval, each comparison's delta against its margin, confusion matrices, and the TTFT and e2e
 * distributions of the quality requests.
 */
export function qualitySection(run: RunResult, palette: Palette): string {
  const quality = run.phases.filter((p) => p.phase === QUALITY_PHASE);
  return section("quality", "Quality", [
    chartGrid([
      passRateChart(run, palette),
      deltaChart(run, palette),
      ...confusionCharts(run),
      distributionChart(quality, "ttft", "TTFT", "quality requests", palette),
      distributionChart(quality, "e2e", "e2e latency", "quality requests", palette),
    ]),
  ]);
}

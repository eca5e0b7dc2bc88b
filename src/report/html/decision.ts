import { summarizePhase } from "../../metrics/aggregate.js";
import type { RunResult } from "../../record/run-result.js";
import { QUALITY_PHASE } from "../../run/quality-run.js";
import type { Palette } from "./palette.js";
import { passRateWithInterval } from "./quality.js";
import { loadPhases, variantKey } from "./series.js";
import { chartGrid, section } from "./status.js";
import { xyChart, type XySeries } from "./xy-chart.js";

/** Dollars with two significant figures however small: `$0.0034`, `$12`. */
const costText = (usd: number) => `$${usd >= 10 ? usd.toFixed(0) : Number(usd.toPrecision(2)).toString()}`;

/**
 * The load phase the decision chart reads latency from: the one a suite TTFT threshold names,
 * else the first load phase; quality requests only when the run had no load phase.
 */
function decisionPhase(run: RunResult): string {
  const named = run.thresholds.find((v) => v.threshold?.metric === "ttft" && v.threshold.tags.phase)
    ?.threshold?.tags.phase;
  const phases = loadPhases(run).map((p) => p.name);
  if (named && phases.includes(named)) return named;
  return phases[0] ?? QUALITY_PHASE;
}

/**
 * The decision chart: one point per target (and prompt variant), its pass rate with its interval
 * against its TTFT p95 in one load phase, labelled with its cost per successful request where the
 * target has prices. Empty without quality results.
 */
export function decisionSection(run: RunResult, palette: Palette): string {
  const phase = decisionPhase(run);
  const series: XySeries[] = [];
  for (const q of run.quality.totals) {
    const a = run.phases.find((p) => p.target === q.target && p.phase === phase);
    if (!a) continue;
    const s = summarizePhase(a, run.targets.find((t) => t.name === q.target)?.economics);
    const r = passRateWithInterval(q);
    const cost = s.cost ? `, ${costText(s.cost.perSuccess * 1000)} per 1k successes` : "";
    const x = s.latencyMs.ttft.p95;
    series.push({
      key: q.target,
      label: `${q.target}${cost}`,
      colour: palette(q.target),
      line: false,
      points: [
        {
          x,
          y: r.rate * 100,
          yLow: r.lower * 100,
          yHigh: r.upper * 100,
          label: q.target,
          title: `${q.target}: pass rate ${(r.rate * 100).toFixed(1)}% (${(r.lower * 100).toFixed(1)} to ${(r.upper * 100).toFixed(1)}%), TTFT p95 ${x.toFixed(1)} ms${cost}`,
        },
      ],
    });
    // Prompt variants share their target's latency: each its own point at that x.
    for (const c of run.comparisons.filter((c) => c.by?.target === q.target)) {
      for (const v of [c.baseline, c.candidate]) {
        const key = variantKey(q.target, v.target);
        if (series.some((s) => s.key === key)) continue;
        series.push({
          key,
          label: key,
          colour: palette(key),
          line: false,
          points: [
            {
              x,
              y: v.passRate * 100,
              yLow: v.interval.lower * 100,
              yHigh: v.interval.upper * 100,
              label: v.target,
            },
          ],
        });
      }
    }
  }
  if (series.length === 0) return "";
  // From the lowest interval's ten down to 100%: the differences that decide are a few points wide.
  const lowest = Math.min(
    ...series.flatMap((s) => s.points.map((p) => p.yLow ?? p.y)).filter(Number.isFinite),
  );
  const floor = Number.isFinite(lowest) ? Math.max(0, Math.floor(lowest / 10) * 10 - 10) : 0;
  return section("decision", "Which to ship: quality against latency", [
    chartGrid([
      xyChart(series, {
        id: "decision",
        title: `Pass rate (95% interval) against TTFT p95 in ${phase}`,
        xLabel: `TTFT p95 in ${phase} (ms)`,
        yLabel: "quality pass rate (%)",
        yRange: [floor, 100],
      }),
    ]),
  ]);
}

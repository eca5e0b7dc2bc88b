import type { SweepResult } from "../record/sweep.js";
import { num } from "./verdict-line.js";

/** Text Mermaid reads inside quotes: no quotes, no line breaks. */
const quoted = (text: string) => `"${text.replace(/["\r\n]+/g, " ")}"`;

/**
 * A sweep's curve as a Mermaid `xychart-beta` block (GitHub draws it in summary.md): TTFT p95 of each
 * step against the throughput it achieved, lowest first, with the capacity at SLO in the title.
 * Empty with fewer than two steps that have both figures.
 */
export function sweepCurveChart(sw: SweepResult): string[] {
  const steps = sw.steps
    .filter((s) => Number.isFinite(num(s.achievedRps)) && Number.isFinite(num(s.ttftMs.p95)))
    .sort((a, b) => num(a.achievedRps) - num(b.achievedRps));
  if (steps.length < 2) return [];
  const capacity =
    typeof sw.capacityRps === "number"
      ? `capacity at SLO ${sw.capacityRps.toFixed(1)} req/s`
      : "no capacity at SLO";
  return [
    "```mermaid",
    "xychart-beta",
    `  title ${quoted(`Sweep ${sw.target}/${sw.phase}: TTFT p95 by achieved throughput (${capacity})`)}`,
    `  x-axis ${quoted("achieved throughput (req/s)")} [${steps.map((s) => quoted(num(s.achievedRps).toFixed(1))).join(", ")}]`,
    `  y-axis ${quoted("TTFT p95 (ms)")}`,
    `  line [${steps.map((s) => num(s.ttftMs.p95).toFixed(1)).join(", ")}]`,
    "```",
  ];
}

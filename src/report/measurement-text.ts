import { HEALTH_LABELS, unreliableLines } from "../metrics/measurement-health.js";
import type { HealthMetric, PhaseHealth } from "../record/measurement-health.js";
import type { RunResult } from "../record/run-result.js";
import { mdTable } from "./markdown-table.js";

const fixed = (ms: number) => (ms >= 10 ? ms.toFixed(0) : ms.toFixed(1));

/** "event loop 1.2 ms p99, CPU 14% of a core, 0.3% of ITL gaps coalesced" */
export function clientText(h: PhaseHealth): string {
  const c = h.client;
  const gaps = c.itlGaps
    ? `, ${((c.coalescedItlGaps / c.itlGaps) * 100).toFixed(1)}% of ITL gaps coalesced`
    : "";
  return `event loop ${fixed(c.loopDelayP99Ms)} ms p99, CPU ${(c.cpuShare * 100).toFixed(0)}% of a core${gaps}`;
}

function reliableMetrics(h: PhaseHealth): string[] {
  return Object.entries(h.metrics).flatMap(([m, v]) =>
    v?.reliable ? [HEALTH_LABELS[m as HealthMetric]] : [],
  );
}

/**
 * The console's health lines under a phase's latency table: each unreliable metric with its reason
 * and advice, then one line ("  ✓ ...") naming those the client vouches for and what it saw.
 */
export function measurementLines(h: PhaseHealth | undefined): string[] {
  if (!h) return [];
  const reliable = reliableMetrics(h);
  return [
    ...unreliableLines(h).map((l) => `  ${l}`),
    ...(reliable.length ? [`  ✓ ${reliable.join(", ")} reliable (${clientText(h)})`] : []),
  ];
}

/**
 * summary.md's measurement health: per load phase what the client saw of itself, and each metric
 * it cannot vouch for with the reason (report.html shows the same table).
 */
export function measurementSection(run: RunResult): string[] {
  const phases = run.phases.filter((p) => p.measurement && !p.phase.includes(":") && p.requests > 0);
  if (phases.length === 0) return [];
  const rows = phases.map((p) => {
    const h = p.measurement as PhaseHealth;
    const bad = unreliableLines(h);
    return [
      p.target,
      p.phase,
      clientText(h),
      bad.length ? bad.join("; ") : `✓ ${reliableMetrics(h).join(", ")} reliable`,
    ];
  });
  return ["### Measurement health", "", mdTable(["target", "phase", "client", "verdict"], rows)];
}

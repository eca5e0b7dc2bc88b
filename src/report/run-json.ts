import { summarizePhase } from "../metrics/aggregate.js";
import type { RunResult } from "../record/run-result.js";

/**
 * run.json: the whole result, histograms encoded, secrets redacted by the caller's redactor. Beside
 * each phase's aggregate it writes `summaries`: the figures derived from it (percentiles in ms,
 * throughputs, goodput, error rate, cost), so a reader needs no HDR decoder. They are derived, so a
 * reader of run.json (merge, report, compare) recomputes them from the aggregates, never trusts them.
 */
export function renderRunJson(run: RunResult): string {
  const economics = new Map(run.targets.map((t) => [t.name, t.economics]));
  const out = { ...run, summaries: run.phases.map((p) => summarizePhase(p, economics.get(p.target))) };
  return (
    JSON.stringify(out, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) +
    "\n"
  );
}

import type { RunResult } from "../record/run-result.js";
import { allFromCache } from "./cache-line.js";
import { healthSummary } from "./health.js";
import { formatValue } from "../thresholds/judge.js";
import { type Verdict } from "../record/verdict.js";

/**
 * The run's outcome in one line, in the order the exit code decides it (130, 3, 99, 0); a gate
 * whose quality answers all came from the cache says so, since nothing was asked of a server.
 */
export function verdictLine(run: RunResult): { ok: boolean; text: string } {
  const line = outcomeLine(run);
  if (!allFromCache(run) || run.status !== "completed") return line;
  return { ...line, text: `${line.text}; every quality answer was read from the cache, none measured` };
}

function outcomeLine(run: RunResult): { ok: boolean; text: string } {
  const failed = run.thresholds.filter((v) => !v.pass);
  if (run.status === "interrupted") return { ok: false, text: "interrupted: partial results (exit 130)" };
  if (run.status === "aborted")
    return { ok: false, text: `aborted: threshold ${run.abortedBy ?? "?"} failed (abort_on_fail, exit 3)` };
  if (run.status === "unreachable")
    return { ok: false, text: "no target was reachable: nothing was measured (exit 3)" };
  if (run.health && !run.health.ok)
    return { ok: false, text: `could not complete: ${healthSummary(run.health)} (exit 3)` };
  const skipped = run.skippedThresholds?.length ?? 0;
  const skippedNote = skipped ? `, ${skipped} skipped` : "";
  if (failed.length > 0)
    return {
      ok: false,
      text: `${failed.length} of ${run.thresholds.length} thresholds failed${skippedNote} (exit 99)`,
    };
  if (run.thresholds.length > 0)
    return { ok: true, text: `all ${run.thresholds.length} thresholds passed${skippedNote}` };
  return {
    ok: true,
    text: skipped
      ? `completed; every threshold (${skipped}) was skipped: --only or --target left it nothing to measure`
      : "completed; no thresholds were set",
  };
}

/** A verdict's observed value in the metric's unit, or "no samples". */
export function observedText(v: Verdict): string {
  return typeof v.observed === "number" ? formatValue(v.observed, v.unit) : "no samples";
}

/** run.json writes NaN and Infinity as null; read such a field back as NaN. */
export const num = (x: number | null | undefined): number => (typeof x === "number" ? x : Number.NaN);

/** A fraction as a percentage, "-" when not a number. */
export const pct = (x: number | null | undefined, digits = 1): string =>
  Number.isFinite(num(x)) ? `${(num(x) * 100).toFixed(digits)}%` : "-";

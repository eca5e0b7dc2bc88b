import type { RunResult } from "../run/result.js";

/** run.json: the whole result, histograms encoded, secrets redacted by the caller's redactor. */
export function renderRunJson(run: RunResult): string {
  return (
    JSON.stringify(run, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) +
    "\n"
  );
}

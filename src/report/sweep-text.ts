import { SERVED_SHARE_RULE, type SweepResult, type SweepStep } from "../record/sweep.js";

/** The rules a sweep's rate steps are judged by, stated once under each sweep. */
export const SWEEP_RULES =
  `a rate step passes when every sweep.slo holds, no arrival is dropped and it serves ` +
  `${Math.round(SERVED_SHARE_RULE * 100)}% or more of the rate offered; the capacity is what the ` +
  `highest passing rate's step served, never above the saturation throughput`;

/** The capacity at SLO as a line reads it: "58.80 req/s (step ... served ...)" or "none: ...". */
export function capacityText(sw: SweepResult): string {
  if (typeof sw.capacityRps === "number")
    return `${sw.capacityRps.toFixed(2)} req/s${sw.capacityNote ? ` (${sw.capacityNote})` : ""}`;
  // Runs written before the note existed said only this.
  return sw.capacityNote ? `none: ${sw.capacityNote}` : "none (the lowest rate failed)";
}

/** A step's served share of the offered rate, or "" for closed-loop steps and older runs. */
export function servedText(st: SweepStep): string {
  return typeof st.servedShare === "number" ? `${Math.floor(st.servedShare * 100)}%` : "";
}

/** A step's pass or fail for its table: closed-loop steps are not judged for capacity. */
export function verdictText(st: SweepStep): string {
  if (typeof st.rate !== "number") return "";
  return st.sloPass ? "pass" : "fail";
}

/** Each failed rate step and why, one line each: "72.00rps: ttft.p95 observed 180ms, ...". */
export function failedSteps(sw: SweepResult): string[] {
  return sw.steps
    .filter((st) => typeof st.rate === "number" && !st.sloPass)
    .map((st) => `${st.label}: ${st.failures?.length ? st.failures.join("; ") : "failed its SLO"}`);
}

import type { Verdict } from "./verdict.js";

/** What a sweep records: its curve, step by step, and the capacity at SLO. */

/**
 * An open-loop step passes only when the server served at least this share of the rate offered
 * (successes per second against requests started per second): a short step can meet a latency
 * SLO while a backlog builds.
 */
export const SERVED_SHARE_RULE = 0.95;

/** One point of a sweep's curve. */
export interface SweepStep {
  label: string;
  /** Offered open-loop rate (req/s); undefined for the closed-loop synchronous and saturation runs. */
  rate?: number;
  concurrency?: number;
  /**
   * Successes per second the step served: the slope of their completion times (so a short step's
   * lead-in and drain do not move it), or successes over the window when too few completed.
   */
  achievedRps: number;
  /** Served / offered (open-loop steps): what SERVED_SHARE_RULE judges. */
  servedShare?: number;
  /** How long the step sent requests (s), and the requests it measured (warmup left out). */
  durationS?: number;
  requests?: number;
  ttftMs: { p50: number; p95: number; p99: number };
  itlMs: { p50: number; p95: number; p99: number };
  e2eMs: { p50: number; p95: number; p99: number };
  errorRate: number;
  sloPass: boolean;
  slo: Verdict[];
  /** Why the step failed, one line per rule it broke; empty when it passed (absent in older runs). */
  failures?: string[];
}

export interface SweepResult {
  target: string;
  phase: string;
  steps: SweepStep[];
  /**
   * The capacity at SLO (req/s): what the highest passing rate's step served, never above the
   * rate offered there nor the saturation step's throughput; undefined when even the lowest failed.
   */
  capacityRps?: number;
  /** The label of the step the capacity cites. */
  capacityStep?: string;
  /** How the capacity was chosen, or why there is none (which rule failed at the lowest rate). */
  capacityNote?: string;
}

/** The name of a sweep step's aggregate: `<sweep>:<step>` (phase names themselves have no ':'). */
export function sweepStepPhase(sweep: string, step: string): string {
  return `${sweep}:${step}`;
}

/** The sweep whose step a phase aggregate is, or undefined for an ordinary phase (or quality). */
export function sweepOfPhase(phase: string): string | undefined {
  const at = phase.indexOf(":");
  return at < 0 ? undefined : phase.slice(0, at);
}

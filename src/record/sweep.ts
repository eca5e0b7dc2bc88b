import type { Verdict } from "./verdict.js";

/** What a sweep records: its curve, step by step, and the capacity at SLO. */

/** One point of a sweep's curve. */
export interface SweepStep {
  label: string;
  /** Offered open-loop rate (req/s); undefined for the closed-loop synchronous and saturation runs. */
  rate?: number;
  concurrency?: number;
  achievedRps: number;
  ttftMs: { p50: number; p95: number; p99: number };
  itlMs: { p50: number; p95: number; p99: number };
  e2eMs: { p50: number; p95: number; p99: number };
  errorRate: number;
  sloPass: boolean;
  slo: Verdict[];
}

export interface SweepResult {
  target: string;
  phase: string;
  steps: SweepStep[];
  /** Highest offered rate whose step met every SLO; undefined when even the lowest failed. */
  capacityRps?: number;
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

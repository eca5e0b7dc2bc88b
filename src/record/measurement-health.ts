/**
 * Measurement health as run.json holds it: what the client saw of itself during a phase, and the
 * verdict on each metric it read. A load tool's own figures can be distorted by the client (a
 * busy event loop reads many chunks at once, a late send adds to TTFT), so each phase says which
 * of its figures it can vouch for.
 */

/** The metrics a phase gives a health verdict on. */
export const HEALTH_METRICS = ["ttft", "itl", "tpot", "e2e", "output_tokens"] as const;

export type HealthMetric = (typeof HEALTH_METRICS)[number];

/**
 * The client watching itself during one phase. Merged from shards, each process had its own event
 * loop and CPU: delays and CPU share are the worst process's, gap counts add.
 */
export interface ClientWatch {
  /** Wall time watched, ms (merged: the longest shard's). */
  watchedMs: number;
  /** The process's CPU time (user + system) over the wall time watched: 1 is one core busy throughout. */
  cpuShare: number;
  /** Event-loop delay (perf_hooks.monitorEventLoopDelay): how late the loop ran what was due, ms. */
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** ITL gaps measured, and those under 0.1 ms: chunks read together, not tokens written apart. */
  itlGaps: number;
  coalescedItlGaps: number;
}

/** One metric's verdict: whether the client can vouch for it, and the evidence either way. */
export interface MetricHealth {
  reliable: boolean;
  /** What the verdict rests on; for an unreliable metric, also what to do about it. */
  reason: string;
}

/** A phase's measurement health: what the client saw, and a verdict per metric it has samples of. */
export interface PhaseHealth {
  client: ClientWatch;
  metrics: Partial<Record<HealthMetric, MetricHealth>>;
}

import type { Plan } from "../config/plan.js";
import type { LoadPhaseConfig } from "../config/schema.js";

export interface Shard {
  /** 1-based, as users write it: --shard 2/4. */
  index: number;
  count: number;
}

/** Parses "i/n" (1 <= i <= n); undefined when malformed. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index >= 1 && count >= 1 && index <= count ? { index, count } : undefined;
}

/** This shard's exact share of an integer: shares over all shards sum to `total`. */
export function shareOf(total: number, shard: Shard): number {
  const base = Math.floor(total / shard.count);
  return base + (shard.index <= total % shard.count ? 1 : 0);
}

/**
 * This shard's part of the plan, like k6's execution segments: rates divided by n, concurrencies,
 * request counts and max_in_flight split exactly (shares sum to the whole), quality cases dealt
 * round-robin, and the seed offset so shards' arrival schedules differ. Returns a new plan.
 */
export function applyShard(plan: Plan, shard: Shard): Plan {
  if (shard.count === 1) return plan;
  const scale = (n: number | undefined) => (n === undefined ? undefined : shareOf(n, shard));
  const load = plan.load.map((phase): LoadPhaseConfig => {
    const rateShare = (r: number) => r / shard.count;
    return {
      ...phase,
      ...(phase.rate !== undefined ? { rate: rateShare(phase.rate) } : {}),
      ...(phase.concurrency !== undefined ? { concurrency: scale(phase.concurrency) } : {}),
      ...(phase.requests !== undefined ? { requests: scale(phase.requests) } : {}),
      ...(phase.max_in_flight !== undefined
        ? { max_in_flight: Math.max(1, scale(phase.max_in_flight)!) }
        : {}),
      ...(phase.stages
        ? {
            stages: phase.stages.map((s) => ({
              ...s,
              to: phase.concurrency !== undefined ? shareOf(s.to, shard) : rateShare(s.to),
            })),
          }
        : {}),
      ...(phase.sweep?.rates ? { sweep: { ...phase.sweep, rates: phase.sweep.rates.map(rateShare) } } : {}),
    };
  });
  return {
    ...plan,
    seed: plan.seed + shard.index - 1,
    cases: plan.cases.filter((_, i) => i % shard.count === shard.index - 1),
    load: load.filter((p) => p.concurrency !== 0 && p.requests !== 0),
  };
}

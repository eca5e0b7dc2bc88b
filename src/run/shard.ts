import type { Plan } from "../config/plan.js";
import { replayRowCount, type LoadPhase } from "../config/load-phase.js";

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

/** This shard's part of one phase, or undefined when its share is nothing at all. */
function shardPhase(phase: LoadPhase, shard: Shard): LoadPhase | undefined {
  const share = (n: number) => shareOf(n, shard);
  const rateShare = (r: number) => r / shard.count;
  const cap = (n: number | undefined) => (n === undefined ? {} : { maxInFlight: Math.max(1, share(n)) });
  const requests = (n: number | undefined) => (n === undefined ? {} : { requests: share(n) });
  switch (phase.kind) {
    case "closed": {
      const out = {
        ...phase,
        users: share(phase.users),
        ...requests(phase.requests),
        ...cap(phase.maxInFlight),
      };
      return out.users === 0 || out.requests === 0 ? undefined : out;
    }
    case "ramp-users": {
      const out = {
        ...phase,
        startUsers: share(phase.startUsers),
        stages: phase.stages.map((s) => ({ ...s, to: share(s.to) })),
        ...requests(phase.requests),
        ...cap(phase.maxInFlight),
      };
      const idle = out.startUsers === 0 && out.stages.every((s) => s.to === 0);
      return idle || out.requests === 0 ? undefined : out;
    }
    case "open": {
      const out = {
        ...phase,
        rate: rateShare(phase.rate),
        ...requests(phase.requests),
        ...cap(phase.maxInFlight),
      };
      return out.requests === 0 ? undefined : out;
    }
    case "ramp-rate": {
      const out = {
        ...phase,
        startRate: rateShare(phase.startRate),
        stages: phase.stages.map((s) => ({ ...s, to: rateShare(s.to) })),
        ...requests(phase.requests),
        ...cap(phase.maxInFlight),
      };
      return out.requests === 0 ? undefined : out;
    }
    case "sweep":
      return {
        ...phase,
        ...(phase.rates ? { rates: phase.rates.map(rateShare) } : {}),
        ...cap(phase.maxInFlight),
      };
    case "replay": {
      // Rows are dealt in turn and keep their times, so the shards together send the trace as one.
      const rows = phase.trace.rows
        .slice(0, replayRowCount(phase))
        .filter((_, r) => r % shard.count === shard.index - 1);
      const last = rows[rows.length - 1];
      if (!last) return undefined;
      const { requests: _all, ...rest } = phase;
      return { ...rest, trace: { ...phase.trace, rows, spanMs: last.atMs }, ...cap(phase.maxInFlight) };
    }
  }
}

/**
 * This shard's part of the plan, like k6's execution segments: rates divided by n, users, request
 * counts and max_in_flight split exactly (shares sum to the whole), quality cases dealt
 * round-robin, and the seed offset so shards' arrival schedules differ. Load phases cycle through
 * every case of the suite: cases are only their request bodies, and a shard dealt none must still
 * send its share of the load. A phase whose share is no users or no requests is left out. Returns
 * a new plan.
 */
export function applyShard(plan: Plan, shard: Shard): Plan {
  if (shard.count === 1) return plan;
  return {
    ...plan,
    seed: plan.seed + shard.index - 1,
    cases: plan.cases.filter((_, i) => i % shard.count === shard.index - 1),
    loadCases: plan.loadCases ?? plan.cases,
    load: plan.load.flatMap((phase) => shardPhase(phase, shard) ?? []),
  };
}

/** What a run covers, as far as a shard's work goes: --target and --only. */
export interface ShardScope {
  targets?: readonly string[];
  only?: "quality" | "load";
}

/**
 * Why this shard has nothing to do, or undefined when it has work: no quality case was dealt to it
 * (or quality is not run) and no load phase has a share on the targets it runs (or load is not
 * run). `whole` is the plan before sharding, for the counts the reason gives.
 */
export function idleShardReason(
  sharded: Plan,
  whole: Plan,
  shard: Shard,
  scope: ShardScope = {},
): string | undefined {
  const runs = (target: string) => !scope.targets?.length || scope.targets.includes(target);
  const targets = sharded.targets.filter((t) => !t.grader && runs(t.name)).map((t) => t.name);
  const quality = scope.only !== "load" && sharded.cases.length > 0;
  const load =
    scope.only !== "quality" &&
    sharded.load.some((p) => targets.some((t) => !p.targets || p.targets.includes(t)));
  if (quality || load) return undefined;
  const parts: string[] = [];
  if (scope.only !== "load")
    parts.push(
      whole.cases.length === 0
        ? "the suite has no quality cases"
        : `no quality case (${whole.cases.length} dealt round-robin over ${shard.count} shards)`,
    );
  if (scope.only !== "quality")
    parts.push(
      whole.load.length === 0
        ? "the suite has no load phases"
        : "no load phase (each one's share of users or requests here is 0)",
    );
  return `shard ${shard.index}/${shard.count} has nothing to do: ${parts.join(" and ")}`;
}

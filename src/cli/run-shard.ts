import type { Plan } from "../config/plan.js";
import { preflightPlan } from "../config/planned-run.js";
import { idleShardReason } from "../run/shard.js";
import type { MetricUnit } from "../record/verdict.js";
import { metricDef } from "../thresholds/metrics.js";
import type { RunSelection } from "./run-options.js";

/** Units of metrics whose value over the whole run is the sum of the shards' values. */
const ADDITIVE = new Set<MetricUnit>(["per_second", "count"]);

/** What --shard leaves this process: nothing at all, or its plan with what merge must judge. */
export type ShardWork =
  | { idle: string }
  | {
      run: RunSelection;
      /** Thresholds this shard's share cannot sample (merge judges them on every shard's figures). */
      leftToMerge: Array<{ key: string; message: string }>;
    };

/**
 * A shard's work. `whole` is the plan before sharding: the suite's thresholds are checked against
 * it (a shard's share is not a reason for exit 2), and a threshold this shard cannot sample (its
 * dealt cases, a phase whose share here is 0) or that adds up over shards (a throughput, a count)
 * is left out of the shard's verdicts: a shard judges only its share, `gauntlet merge` the whole.
 */
export function shardWork(run: RunSelection, whole: Plan): ShardWork {
  if (!run.shard || run.shard.count === 1) return { run, leftToMerge: [] };
  const scope = { ...(run.targets ? { targets: run.targets } : {}), ...(run.only ? { only: run.only } : {}) };
  const idle = idleShardReason(run.plan, whole, run.shard, scope);
  if (idle) return { idle };
  const wholeProblems = new Set(preflightPlan(whole, scope).map((p) => p.key));
  const { index, count } = run.shard;
  const candidates = [
    ...preflightPlan(run.plan, scope).filter((p) => !wholeProblems.has(p.key)),
    // A rate or a count adds up over shards: one shard's 1/n of the load says nothing of the whole.
    ...run.plan.thresholds
      .filter((t) => ADDITIVE.has(metricDef(t.metric).unit))
      .map((t) => ({
        key: t.key,
        message: `threshold ${t.key} adds up over the shards (shard ${index}/${count} sends 1/${count} of the load)`,
      })),
  ];
  const leftToMerge = [...new Map(candidates.map((p) => [p.key, p])).values()];
  const left = new Set(leftToMerge.map((p) => p.key));
  return {
    run: { ...run, plan: { ...run.plan, thresholds: run.plan.thresholds.filter((t) => !left.has(t.key)) } },
    leftToMerge,
  };
}

import type { Plan } from "../config/plan.js";
import { preflightPlan } from "../config/planned-run.js";
import { idleShardReason } from "../run/shard.js";
import type { RunSelection } from "./run-options.js";

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
 * dealt cases, a phase whose share here is 0) is left out of the shard's verdicts, since a shard
 * judges only its share and `gauntlet merge` judges the whole.
 */
export function shardWork(run: RunSelection, whole: Plan): ShardWork {
  if (!run.shard) return { run, leftToMerge: [] };
  const scope = { ...(run.targets ? { targets: run.targets } : {}), ...(run.only ? { only: run.only } : {}) };
  const idle = idleShardReason(run.plan, whole, run.shard, scope);
  if (idle) return { idle };
  const wholeProblems = new Set(preflightPlan(whole, scope).map((p) => p.key));
  const leftToMerge = preflightPlan(run.plan, scope).filter((p) => !wholeProblems.has(p.key));
  const left = new Set(leftToMerge.map((p) => p.key));
  return {
    run: { ...run, plan: { ...run.plan, thresholds: run.plan.thresholds.filter((t) => !left.has(t.key)) } },
    leftToMerge,
  };
}

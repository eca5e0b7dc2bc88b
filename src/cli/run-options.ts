import { LIMITS, overLimit } from "../config/limits.js";
import type { Plan } from "../config/plan.js";
import { UsageError } from "../errors.js";
import { applyShard, parseShard, type Shard } from "../run/shard.js";

/** `gauntlet run`'s options as commander hands them over (see main.ts). */
export interface RunCommandOptions {
  var?: string[];
  target?: string[];
  out?: string;
  concurrency?: string;
  only?: string;
  seed?: string;
  shard?: string;
  baseline?: string;
  /** true with --cache, "force" with --cache=force, false with --no-cache (see chooseCache). */
  cache?: boolean | string;
  quiet?: boolean;
  json?: boolean;
}

/** What the options select: the plan to run (sharded, with overrides applied) and its scope. */
export interface RunSelection {
  plan: Plan;
  targets?: string[];
  only?: "quality" | "load";
  shard?: Shard;
}

/**
 * Checks the run's options against the plan and applies them: --concurrency and --seed override the
 * suite's, --shard takes this shard's share. Throws UsageError (exit 2) naming the bad option.
 * Never mutates `plan`.
 */
export function selectRun(plan: Plan, opts: RunCommandOptions): RunSelection {
  for (const name of opts.target ?? []) {
    if (!plan.targets.some((t) => t.name === name)) {
      throw new UsageError(
        `--target ${name}: no such target (targets: ${plan.targets.map((t) => t.name).join(", ")})`,
      );
    }
  }
  let overridden = plan;
  if (opts.concurrency !== undefined) {
    const n = Number(opts.concurrency);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--concurrency expects a positive integer, got ${opts.concurrency}`);
    if (n > LIMITS.qualityConcurrency.max)
      throw new UsageError(`--concurrency ${opts.concurrency}: ${overLimit("qualityConcurrency")}`);
    overridden = { ...overridden, qualityConcurrency: n };
  }
  if (opts.only !== undefined && opts.only !== "quality" && opts.only !== "load") {
    throw new UsageError(`--only expects quality or load, got ${opts.only}`);
  }
  if (opts.seed !== undefined) {
    const n = Number(opts.seed);
    if (!Number.isInteger(n)) throw new UsageError(`--seed expects an integer, got ${opts.seed}`);
    overridden = { ...overridden, seed: n };
  }
  let shard: Shard | undefined;
  if (opts.shard !== undefined) {
    shard = parseShard(opts.shard);
    if (!shard) throw new UsageError(`--shard expects i/n with 1 <= i <= n, got ${opts.shard}`);
  }
  return {
    plan: shard ? applyShard(overridden, shard) : overridden,
    ...(opts.target ? { targets: opts.target } : {}),
    ...(opts.only ? { only: opts.only } : {}),
    ...(shard ? { shard } : {}),
  };
}

import { parseDurationMs } from "../util/duration.js";
import { LIMITS, overLimit } from "../config/limits.js";
import type { Plan } from "../config/plan.js";
import { UsageError } from "../errors.js";
import { applyShard, parseShard, type Shard } from "../run/shard.js";

/** `gauntlet run`'s options as commander hands them over (see main.ts). */
export interface RunCommandOptions {
  var?: string[];
  target?: string[];
  out?: string;
  qualityConcurrency?: string;
  /** The old name of --quality-concurrency, still read (with a note: k6 users read it as load users). */
  concurrency?: string;
  users?: string;
  rate?: string;
  duration?: string;
  only?: string;
  seed?: string;
  shard?: string;
  baseline?: string;
  /** How cases pair with --baseline's: case or prompt. */
  pairBy?: string;
  /** true with --cache, "force" with --cache=force, false with --no-cache (see chooseCache). */
  cache?: boolean | string;
  /** How often plain progress lines report a running phase, e.g. 5s. */
  heartbeat?: string;
  /** An OTLP/HTTP endpoint that gets one span per request (over the suite's export.otlp.url). */
  otlp?: string;
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

/** The note for `--concurrency`, which k6 users take to mean load users: it sets quality calls. */
export const CONCURRENCY_RENAMED =
  "--concurrency is now --quality-concurrency (quality calls in flight per target); it still works, but for the users of load phases write --users";

/**
 * Checks the run's options against the plan and applies them: --quality-concurrency (or its old
 * name --concurrency) and --seed override the suite's, --shard takes this shard's share. Throws
 * UsageError (exit 2) naming the bad option. Never mutates `plan`.
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
  if (opts.concurrency !== undefined && opts.qualityConcurrency !== undefined)
    throw new UsageError("--concurrency is the old name of --quality-concurrency: give one of them");
  const quality = opts.qualityConcurrency ?? opts.concurrency;
  const flag = opts.qualityConcurrency !== undefined ? "--quality-concurrency" : "--concurrency";
  if (quality !== undefined) {
    const n = Number(quality);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`${flag} expects a positive integer, got ${quality}`);
    if (n > LIMITS.qualityConcurrency.max)
      throw new UsageError(`${flag} ${quality}: ${overLimit("qualityConcurrency")}`);
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

/** `--heartbeat`: 1 s to 1 h; absent, the sink's default (5 s). Throws UsageError. */
export function heartbeatMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDurationMs(value);
  if (ms === undefined || ms < 1000 || ms > 3_600_000)
    throw new UsageError(`--heartbeat expects a duration from 1s to 1h, e.g. 10s; got ${value}`);
  return ms;
}

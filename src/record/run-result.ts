import type { PhaseAggregate, TargetEconomics } from "./aggregate.js";
import type { CacheUse } from "./cache-use.js";
import type { RunHealth } from "./health.js";
import type { CaseOutcome } from "./case-outcome.js";
import type { ComparisonResult, PhaseRatio } from "./comparison.js";
import type { SweepResult } from "./sweep.js";
import type { TargetTaskMetrics } from "./task-metrics.js";
import type { SkippedThreshold, Verdict } from "./verdict.js";

export const RUN_SCHEMA_VERSION = 1;

/** How a run ended. */
export type RunStatus = "completed" | "interrupted" | "unreachable" | "aborted";

export interface TargetInfo {
  name: string;
  provider: string;
  model: string;
  /** Without credentials or query string. */
  url: string;
  reachable: boolean;
  unreachableReason?: string;
  /** Prices and GPUs, for cost and per-GPU throughput. */
  economics: TargetEconomics;
}

export interface QualityTotals {
  target: string;
  cases: number;
  scored: number;
  passed: number;
  errored: number;
  /** passed / (scored + errored): a failed request is a case not passed. Over every repeat. */
  passRate: number;
  /** Outcomes answered from the response cache (no request, no latency). */
  cached?: number;
  /** Outcomes in all: cases × their repeats, when any case repeats. */
  runs?: number;
  /** Cases this machine failed to send (client_error): in neither `errored` nor the pass rate. */
  clientErrors?: number;
}

/** Everything a run produced; run.json is this object. Reports read it and nothing else. */
export interface RunResult {
  schemaVersion: typeof RUN_SCHEMA_VERSION;
  tool: { name: "gauntlet"; version: string };
  suite: { name: string; file: string };
  startedAt: string;
  finishedAt: string;
  /** aborted: a threshold with abort_on_fail failed mid-run (exit 3). */
  status: RunStatus;
  /** The threshold that aborted the run. */
  abortedBy?: string;
  /** Set on a run made with --shard i/n; such runs are combined by `gauntlet merge`. */
  shard?: { index: number; count: number };
  /** How many shard runs a merged run was made from. */
  mergedFrom?: number;
  seed: number;
  targets: TargetInfo[];
  quality: {
    totals: QualityTotals[];
    cases: CaseOutcome[];
    /** Classification, extraction and repeat metrics, per target that has them. */
    tasks?: TargetTaskMetrics[];
  };
  /** Each compare candidate against the baseline, paired by case (suite `compare:`). */
  comparisons: ComparisonResult[];
  phases: PhaseAggregate[];
  /** Sweeps: each step's figures and the capacity at SLO. */
  sweeps: SweepResult[];
  thresholds: Verdict[];
  /** Thresholds the command line's --only or --target left without anything to measure. */
  skippedThresholds?: SkippedThreshold[];
  /** Whether every phase got a successful request (absent in runs written before it existed). */
  health?: RunHealth;
  /** How the response cache served this run (absent in runs written before it said). */
  cache?: CacheUse;
  /** With --baseline: this run against a saved one (quality paired per target, latency ratios). */
  baseline?: { file: string; comparisons: ComparisonResult[]; ratios: PhaseRatio[] };
}

// The run's one sequence, read top to bottom: connect, quality, load phases and sweeps, health, the
// record. Past 300 lines for that reason: splitting it would scatter one order across files.
import { estimateLoadDuration } from "../config/plan-duration.js";
import { setMaxListeners } from "node:events";
import type { Plan, PlanTarget } from "../config/plan.js";
import type { PhaseAggregate } from "../record/aggregate.js";
import { offeredLoad } from "./offered-load.js";
import { connectTarget, type ConnectedTarget } from "../providers/connect.js";
import type { Provider } from "../providers/types.js";
import { CutOff } from "../record/failure.js";
import type { Redactor } from "../util/redact.js";
import { compareRunVariants } from "../compare/run-comparisons.js";
import { judge } from "../thresholds/judge.js";
import { runFigures } from "../thresholds/read.js";
import type { RunEventSink } from "./events.js";
import type { CaseOutcome } from "../record/case-outcome.js";
import { runQuality } from "./quality-run.js";
import { phaseMaxInFlight } from "../config/load-phase.js";
import { runLoadPhase } from "./load-run.js";
import { scrapeTargetOf, type ScrapeTarget } from "../telemetry/scraper.js";
import { runSweep } from "./sweep-run.js";
import { type SweepResult } from "../record/sweep.js";
import type { Shard } from "./shard.js";
import { watchAbortThresholds } from "./abort-watch.js";
import type { Verdict } from "../record/verdict.js";
import type { PhaseAggregator } from "../metrics/aggregate.js";
import { checkReachable } from "./reachability.js";
import {
  RUN_SCHEMA_VERSION,
  type QualityTotals,
  type RunResult,
  type TargetInfo,
} from "../record/run-result.js";
import { TOOL_VERSION } from "../version.js";
import { createGraderClient } from "../quality/graders.js";
import { taskMetrics } from "../quality/task-metrics.js";
import { cacheableUrl, type ResponseCache } from "./response-cache.js";
import type { CacheMode, CacheUse } from "../record/cache-use.js";
import type { SkippedThreshold } from "../record/verdict.js";
import { createServerInfoAsker, HealthTracker } from "./run-health.js";
import { withBaseline, type Baseline } from "./baseline.js";

export interface RunOptions {
  /** Which targets to run (all when empty). */
  targets?: string[];
  /** Aborting it (Ctrl-C) stops the run; in-flight requests get `graceMs` to finish. */
  signal?: AbortSignal;
  graceMs?: number;
  emit?: RunEventSink;
  /** Run only the quality cases or only the load phases. */
  only?: "quality" | "load";
  /** Recorded in the result when the plan was sharded (see applyShard). */
  shard?: Shard;
  /**
   * The response cache: `store` answers quality calls already made when the mode is on or force
   * (absent: every call is sent); `note` says why it is off when it was asked for.
   */
  cache?: { mode: CacheMode; note?: string; store?: ResponseCache };
  /** Thresholds the command line left nothing to measure (--only, --target): recorded as skipped. */
  skipped?: SkippedThreshold[];
  /** A saved run to compare this one with (`--baseline`); see withBaseline. */
  baseline?: Baseline;
  /** The suite's secrets: removed from server text where it enters the record, before any cut. */
  redact?: Redactor;
  /**
   * Awaited after each phase (quality, load, sweep step) before the next starts: what an output
   * held back while the phase ran (spans to export) is done here, off every phase's measurements.
   */
  settle?: () => Promise<void>;
}

interface LiveTarget {
  plan: PlanTarget;
  provider: Provider;
  url: string;
  /** The server's metrics endpoint, scraped during its load phases. */
  metrics?: ScrapeTarget;
}

/** The load phases' planned length and count, for the live view's header. */
function loadEstimate(plan: Plan, targets: string[]): { loadS?: number; phaseRuns?: number } {
  const e = estimateLoadDuration(plan, targets);
  return e.phaseRuns === 0 ? {} : { loadS: e.plannedMs / 1000, phaseRuns: e.phaseRuns };
}

/**
 * Runs a plan: connects each target (see connectTarget), checks reachability, runs quality per target,
 * aggregates, judges the thresholds, and compares the run with `baseline` when given. Never throws for server misbehaviour: that is data.
 */
export async function runSuite(plan: Plan, options: RunOptions = {}): Promise<RunResult> {
  const servers = createServerInfoAsker();
  const health = new HealthTracker(servers);
  const emit = health.observe(options.emit ?? (() => {}));
  const store = options.cache?.mode !== "off" ? options.cache?.store : undefined;
  const cacheTargets: CacheUse["targets"] = [];
  const startedAt = new Date().toISOString();
  // Grading targets (judges, embedders) only grade: they are never sent the suite's cases or load.
  const selected = plan.targets.filter(
    (t) => !t.grader && (!options.targets?.length || options.targets.includes(t.name)),
  );
  const graders = createGraderClient(plan, options.redact);
  // One stop signal for the user's interrupt and for a threshold with abort_on_fail.
  const stopController = new AbortController();
  const stop = stopController.signal;
  let abortedBy: Verdict | undefined;
  const onUserStop = () => stopController.abort();
  if (options.signal?.aborted) stopController.abort();
  options.signal?.addEventListener("abort", onUserStop, { once: true });
  const abortInFlight = new AbortController();
  // Every in-flight request listens on this one signal; thousands of listeners are expected.
  setMaxListeners(0, abortInFlight.signal);
  const onStop = () => {
    // The caller may say why it stopped the run (an output it cannot write) as the abort's reason.
    const given = typeof options.signal?.reason === "string" ? options.signal.reason : undefined;
    const reason = abortedBy ? `threshold ${abortedBy.key} failed (abort_on_fail)` : (given ?? "signal");
    emit({ type: "interrupted", reason });
    const graceMs = options.graceMs ?? 2_000;
    // What is still in flight after the grace is recorded as interrupted, with the time it waited.
    const why = abortedBy ? `threshold ${abortedBy.key} failed` : (given ?? "Ctrl-C or SIGTERM");
    const cutOff = new CutOff(
      "interrupted",
      `still in flight ${graceMs} ms after the run was stopped (${why})`,
    );
    setTimeout(() => abortInFlight.abort(cutOff), graceMs).unref();
  };
  stop.addEventListener("abort", onStop, { once: true });

  const phasesFor = (target: string) => plan.load.filter((p) => !p.targets || p.targets.includes(target));
  const connected: ConnectedTarget[] = [];
  const live: LiveTarget[] = [];
  const infos: TargetInfo[] = [];
  const aggregates: PhaseAggregate[] = [];
  const outcomes: CaseOutcome[] = [];
  const sweeps: SweepResult[] = [];
  const running: PhaseAggregator[] = [];
  let runHealth: RunResult["health"];
  const watch = watchAbortThresholds({
    thresholds: plan.thresholds,
    finished: () => aggregates,
    running: () => running,
    quality: () =>
      qualityTotals(
        selected.map((t) => t.name),
        outcomes,
        plan.cases.length,
      ),
    targets: () => infos,
    onAbort: (verdict) => {
      abortedBy = verdict;
      stopController.abort();
    },
  });
  emit({
    type: "run_started",
    suite: plan.suiteName,
    targets: selected.map((t) => t.name),
    cases: plan.cases.length,
    ...(options.only === "quality"
      ? {}
      : loadEstimate(
          plan,
          selected.map((t) => t.name),
        )),
  });
  try {
    for (const t of selected) {
      const connections = Math.max(plan.qualityConcurrency, ...phasesFor(t.name).map(phaseMaxInFlight));
      const target = await connectTarget(t, connections, options.redact);
      connected.push(target);
      const url = target.displayUrl;
      const unreachable = await checkReachable(target.baseUrl, t.timeouts.connectMs);
      const info: TargetInfo = {
        name: t.name,
        provider: t.provider,
        model: t.model,
        url,
        reachable: !unreachable,
        economics: { ...t.pricing, ...(t.gpus ? { gpus: t.gpus } : {}) },
      };
      infos.push(info);
      servers.add(t.name, target.provider);
      health.target(t, url);
      if (unreachable) {
        info.unreachableReason = `cannot connect to ${url}: ${unreachable}`;
        emit({ type: "target_unreachable", target: t.name, message: info.unreachableReason });
        continue;
      }
      // Every connection the run will hold is opened before its clock starts (see ConnectionPool).
      await target.provider.warmUp(connections);
      live.push({
        plan: t,
        provider: target.provider,
        url,
        ...(t.metrics ? { metrics: scrapeTargetOf(t.metrics, target.baseUrl) } : {}),
      });
    }

    for (const t of live) {
      if (stop.aborted) break;
      if (options.only !== "load" && plan.cases.length > 0) {
        // The cache keys on what the server says about its model, asked once per target.
        const cacheable = store !== undefined && cacheableUrl(t.plan) !== undefined;
        const server = cacheable ? await servers.ask(t.plan.name) : undefined;
        if (cacheable)
          cacheTargets.push({
            target: t.plan.name,
            versioned: server?.versioned ?? false,
            ...(server?.identity ? { identity: server.identity } : {}),
          });
        const { aggregate, outcomes: o } = await runQuality(plan, t.plan, t.provider, emit, {
          stop,
          abort: abortInFlight.signal,
          ...(cacheable ? { cache: store } : {}),
          ...(server?.identity ? { serverIdentity: server.identity } : {}),
          ...(options.redact ? { redact: options.redact } : {}),
          graders,
        });
        await options.settle?.();
        const recorded = aggregate.toAggregate();
        aggregates.push(recorded);
        outcomes.push(...o);
        health.quality(recorded, o.filter((x) => x.cached).length);
      }
      if (options.only === "quality") continue;
      for (const phase of phasesFor(t.plan.name)) {
        if (stop.aborted) break;
        const phaseOptions = {
          stop,
          abort: abortInFlight.signal,
          running,
          ...(options.redact ? { redact: options.redact } : {}),
          ...(t.metrics ? { metrics: t.metrics } : {}),
          ...(options.settle ? { settle: options.settle } : {}),
        };
        if (phase.kind === "sweep") {
          const r = await runSweep(plan, phase, t.plan, t.provider, emit, phaseOptions);
          sweeps.push(r.sweep);
          aggregates.push(...r.aggregates);
          health.load(
            t.plan.name,
            phase.name,
            r,
            r.aggregates.map((a) => a.phase),
          );
          continue;
        }
        const r = await runLoadPhase(plan, phase, t.plan, t.provider, emit, phaseOptions);
        const offered = offeredLoad(phase);
        aggregates.push({ ...r.aggregate.toAggregate(), ...(offered ? { load: offered } : {}) });
        health.load(t.plan.name, phase.name, r, [phase.name]);
      }
    }
    // Judged while the servers are up: a hint on a 404 asks the server which models it lists.
    runHealth = await health.judge();
  } finally {
    watch.stop();
    options.signal?.removeEventListener("abort", onUserStop);
    stop.removeEventListener("abort", onStop);
    await Promise.all(connected.map((t) => t.close()));
    await graders.close();
  }

  // --only load runs no quality: no totals, so no report shows a quality table of cases never sent.
  const totals =
    options.only === "load"
      ? []
      : qualityTotals(
          selected.map((t) => t.name),
          outcomes,
          plan.cases.length,
        );
  const status: RunResult["status"] = abortedBy
    ? "aborted"
    : stop.aborted
      ? "interrupted"
      : live.length === 0
        ? "unreachable"
        : "completed";
  const comparisons = plan.compare ? compareRunVariants(plan.compare, outcomes) : [];
  const tasks = taskMetrics(
    selected.map((t) => t.name),
    outcomes,
  );
  const thresholds =
    status === "unreachable"
      ? []
      : judge(
          plan.thresholds,
          runFigures({ phases: aggregates, quality: totals, targets: infos, comparisons, tasks }),
        );
  const result: RunResult = {
    schemaVersion: RUN_SCHEMA_VERSION,
    tool: { name: "gauntlet", version: TOOL_VERSION },
    suite: { name: plan.suiteName, file: plan.suiteFile },
    startedAt,
    finishedAt: new Date().toISOString(),
    status,
    ...(options.shard && options.shard.count > 1 ? { shard: options.shard } : {}),
    seed: plan.seed,
    targets: infos,
    quality: { totals, cases: outcomes, tasks },
    comparisons,
    phases: aggregates,
    sweeps,
    thresholds,
    ...(options.skipped?.length ? { skippedThresholds: options.skipped } : {}),
    ...(runHealth ? { health: runHealth } : {}),
    cache: {
      mode: store ? (options.cache?.mode ?? "off") : "off",
      ...(options.cache?.note ? { note: options.cache.note } : {}),
      answers: outcomes.filter((o) => o.cached).length,
      of: outcomes.length,
      targets: cacheTargets,
    },
    ...(abortedBy ? { abortedBy: abortedBy.key } : {}),
  };
  // Nothing was measured when no target was reachable: there is nothing to hold against a baseline.
  const judged =
    options.baseline && status !== "unreachable" ? withBaseline(result, options.baseline) : result;
  emit({ type: "run_finished", result: judged });
  return judged;
}

export function qualityTotals(targets: string[], outcomes: CaseOutcome[], cases: number): QualityTotals[] {
  return targets.map((target) => {
    // A case this machine failed to send (client_error) says nothing about the server: it is left out.
    const all = outcomes.filter((o) => o.target === target);
    const mine = all.filter((o) => o.errorKind !== "client_error");
    const clientErrors = all.length - mine.length;
    const errored = mine.filter((o) => o.error !== undefined).length;
    const scored = mine.length - errored;
    const passed = mine.filter((o) => o.pass).length;
    const cached = mine.filter((o) => o.cached).length;
    const repeated = mine.some((o) => o.attempt !== undefined);
    // A case whose request failed counts as not passed: a gate must not pass on answers it never got.
    return {
      target,
      cases,
      scored,
      passed,
      errored,
      passRate: mine.length ? passed / mine.length : Number.NaN,
      ...(cached ? { cached } : {}),
      ...(repeated ? { runs: mine.length } : {}),
      ...(clientErrors ? { clientErrors } : {}),
    };
  });
}

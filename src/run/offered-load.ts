import { replayRowCount, replaySpanMs, type LoadPhase, type Stage } from "../config/load-phase.js";
import type { OfferedLoad, OfferedStage } from "../record/aggregate.js";

const stagesOf = (stages: readonly Stage[]): OfferedStage[] =>
  stages.map((s) => ({ to: s.to, overS: s.overMs / 1000 }));

/** Seconds, or nothing: the record holds only what the plan set. */
const seconds = (ms: number | undefined) => (ms === undefined ? {} : { durationS: ms / 1000 });

/**
 * The load a phase offers as run.json records it (PhaseAggregate.load), read from the resolved plan
 * once here so reports never re-derive a phase's shape. Sweeps record theirs per step instead.
 */
export function offeredLoad(phase: LoadPhase): OfferedLoad | undefined {
  const common = {
    ...(phase.warmupMs > 0 ? { warmupS: phase.warmupMs / 1000 } : {}),
    ...("maxInFlight" in phase && phase.maxInFlight !== undefined ? { maxInFlight: phase.maxInFlight } : {}),
    ...("requests" in phase && phase.requests !== undefined ? { requests: phase.requests } : {}),
  };
  switch (phase.kind) {
    case "closed":
      return { kind: phase.kind, users: phase.users, ...seconds(phase.durationMs), ...common };
    case "open":
      return { kind: phase.kind, rate: phase.rate, ...seconds(phase.durationMs), ...common };
    case "ramp-users":
      return {
        kind: phase.kind,
        users: phase.startUsers,
        stages: stagesOf(phase.stages),
        ...seconds(phase.durationMs),
        ...common,
      };
    case "ramp-rate":
      return {
        kind: phase.kind,
        rate: phase.startRate,
        stages: stagesOf(phase.stages),
        ...seconds(phase.durationMs),
        ...common,
      };
    case "replay":
      // A trace's rate varies row by row: what it offers is its rows over the time they span.
      return {
        ...common,
        kind: phase.kind,
        requests: replayRowCount(phase),
        durationS: replaySpanMs(phase) / 1000,
      };
    case "sweep":
      return undefined;
  }
}

import {
  phaseMaxInFlight,
  replayRowCount,
  replaySpanMs,
  type LoadPhase,
  type ReplayPhase,
  type SweepPhase,
  type Stage,
} from "../config/load-phase.js";
import { constantRate, createGapSampler, stagedRate, type RateProfile } from "./arrivals.js";
import { runClosedLoop } from "./closed-loop.js";
import type { ExecutorContext, ExecutorResult } from "./executor.js";
import { runOpenLoop } from "./open-loop.js";
import { runReplay } from "./replay.js";

/** A phase that runs on one executor: every kind but the sweep, which runs many such phases. */
export type ExecutablePhase = Exclude<LoadPhase, SweepPhase>;

const profileOf = (start: number, stages: readonly Stage[]): RateProfile =>
  stagedRate(
    start,
    stages.map((s) => ({ to: s.to, overS: s.overMs / 1000 })),
  );

/** The phase's length on the clock in seconds; Infinity when only a request count ends it. */
export function phaseDurationS(phase: ExecutablePhase): number {
  // A replay is as long as its trace (at its speed), or shorter when `duration` cuts it.
  if (phase.kind === "replay") return Math.min(phase.durationMs ?? Infinity, replaySpanMs(phase)) / 1000;
  return phase.durationMs === undefined ? Number.POSITIVE_INFINITY : phase.durationMs / 1000;
}

/** What a phase offers at a moment: users (closed loops and ramps of users) or arrivals per second. */
export type OfferedLoad = { users: number } | { rate: number };

/** What `phase` offers `tS` seconds after it started, from the same profile its executor follows. */
export function offeredAt(phase: ExecutablePhase, tS: number): OfferedLoad {
  switch (phase.kind) {
    case "closed":
      return { users: phase.users };
    case "ramp-users":
      return { users: Math.round(profileOf(phase.startUsers, phase.stages).rateAt(tS)) };
    case "open":
      return { rate: phase.rate };
    case "ramp-rate":
      return { rate: profileOf(phase.startRate, phase.stages).rateAt(tS) };
    case "replay":
      return { rate: replayRateAt(phase, tS) };
  }
}

/** The first index in `rows` whose time (speed applied) is after `tMs`: a binary search. */
function rowsDueBy(phase: ReplayPhase, tMs: number): number {
  const rows = phase.trace.rows;
  let lo = 0;
  let hi = replayRowCount(phase);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.atMs / phase.speed <= tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A replay's offered rate at `tS`: the rows due in the second before it (a trace has no rate of its own). */
function replayRateAt(phase: ReplayPhase, tS: number): number {
  return rowsDueBy(phase, tS * 1000) - rowsDueBy(phase, tS * 1000 - 1000);
}

/**
 * Runs a phase on the executor of its kind: closed loop and ramp of users on the closed loop, open
 * loop and ramp of rate on the open loop (arrivals seeded with `seed`), a replay on its trace's times.
 */
export function executePhase(
  ctx: ExecutorContext,
  phase: ExecutablePhase,
  seed: number,
): Promise<ExecutorResult> {
  const durationS = phaseDurationS(phase);
  switch (phase.kind) {
    case "closed":
    case "ramp-users": {
      const users =
        phase.kind === "closed" ? constantRate(phase.users) : profileOf(phase.startUsers, phase.stages);
      return runClosedLoop(ctx, {
        usersAt: (t) => users.rateAt(t),
        maxUsers: phaseMaxInFlight(phase),
        durationS,
        ...(phase.requests !== undefined ? { maxRequests: phase.requests } : {}),
        ...(phase.thinkTimeMs !== undefined ? { thinkTimeMs: phase.thinkTimeMs } : {}),
      });
    }
    case "open":
    case "ramp-rate":
      return runOpenLoop(ctx, {
        profile: phase.kind === "open" ? constantRate(phase.rate) : profileOf(phase.startRate, phase.stages),
        gap: createGapSampler(phase.arrival, seed, phase.burstiness),
        durationS,
        ...(phase.requests !== undefined ? { maxRequests: phase.requests } : {}),
        maxInFlight: phaseMaxInFlight(phase),
      });
    case "replay":
      return runReplay(ctx, {
        offsetsUs: phase.trace.rows.slice(0, replayRowCount(phase)).map((r) => (r.atMs * 1000) / phase.speed),
        // Every row of the trace is due by its span: only a shorter `duration` cuts it.
        durationS: phase.durationMs === undefined ? Infinity : phase.durationMs / 1000,
        maxInFlight: phaseMaxInFlight(phase),
      });
  }
}

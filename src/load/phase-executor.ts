import { phaseMaxInFlight, type LoadPhase, type SweepPhase, type Stage } from "../config/load-phase.js";
import { constantRate, createGapSampler, stagedRate, type RateProfile } from "./arrivals.js";
import { runClosedLoop } from "./closed-loop.js";
import type { ExecutorContext, ExecutorResult } from "./executor.js";
import { runOpenLoop } from "./open-loop.js";

/** A phase that runs on one executor: every kind but the sweep, which runs many such phases. */
export type ExecutablePhase = Exclude<LoadPhase, SweepPhase>;

const profileOf = (start: number, stages: readonly Stage[]): RateProfile =>
  stagedRate(
    start,
    stages.map((s) => ({ to: s.to, overS: s.overMs / 1000 })),
  );

/** The phase's length on the clock in seconds; Infinity when only a request count ends it. */
export function phaseDurationS(phase: ExecutablePhase): number {
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
  }
}

/**
 * Runs a phase on the executor of its kind: closed loop and ramp of users on the closed loop, open
 * loop and ramp of rate on the open loop (arrivals seeded with `seed`).
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
  }
}

import { scheduleArrivals, type RateProfile } from "./arrivals.js";
import type { ExecutorContext, ExecutorResult } from "./executor.js";
import { sendOnSchedule } from "./send-on-schedule.js";

export interface OpenLoopOptions {
  profile: RateProfile;
  /** Unit inter-arrival gap sampler (see createGapSampler). */
  gap: () => number;
  durationS: number;
  maxRequests?: number;
  /** Arrivals beyond this many in flight are dropped and counted, never queued in the client. */
  maxInFlight: number;
}

/**
 * Open loop: arrivals follow the schedule whatever the server does. Each request's `start` is its
 * scheduled time, computed ahead from the phase origin, so a late send (client or server queueing)
 * shows in its latency instead of being hidden (coordinated omission). A client that has fallen so
 * far behind that the phase's duration has passed stops there (see sendOnSchedule).
 */
export function runOpenLoop(ctx: ExecutorContext, options: OpenLoopOptions): Promise<ExecutorResult> {
  const schedule = scheduleArrivals(options.profile, options.gap, options.durationS, options.maxRequests);
  return sendOnSchedule(
    ctx,
    { arrivals: schedule },
    { maxInFlight: options.maxInFlight, durationS: options.durationS, stopWhenBehind: true },
  );
}

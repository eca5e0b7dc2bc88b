import { scheduleArrivals, type RateProfile } from "./arrivals.js";
import { createTurnTaker, sleepUntil, type ExecutorContext, type ExecutorResult } from "./executor.js";

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
 * shows in its latency instead of being hidden (coordinated omission). Never starves the event loop:
 * however dense the schedule, it takes a turn every few hundred arrivals, and a client that has
 * fallen so far behind that the phase's duration has passed stops there.
 */
export async function runOpenLoop(ctx: ExecutorContext, options: OpenLoopOptions): Promise<ExecutorResult> {
  const originUs = ctx.clock();
  const endUs = originUs + options.durationS * 1e6;
  let inFlight = 0;
  let sent = 0;
  let dropped = 0;
  const pending = new Set<Promise<void>>();
  const takeTurn = createTurnTaker(ctx.timers);
  const schedule = scheduleArrivals(options.profile, options.gap, options.durationS, options.maxRequests);
  for (const offsetUs of schedule) {
    const dueUs = originUs + offsetUs;
    await sleepUntil(ctx, dueUs);
    if (ctx.stop.aborted) break;
    if (inFlight >= options.maxInFlight) {
      dropped++;
    } else {
      inFlight++;
      sent++;
      const request: Promise<void> = ctx.send(dueUs).finally(() => {
        inFlight--;
        pending.delete(request);
      });
      pending.add(request);
    }
    const turn = takeTurn();
    if (turn) {
      await turn;
      // Only a client this far behind its schedule gets here after the end: the rest is never sent.
      if (ctx.clock() >= endUs) break;
    }
  }
  await Promise.all(pending);
  return { originUs, sent, dropped };
}

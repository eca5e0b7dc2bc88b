import { createTurnTaker, sleepUntil, type ExecutorContext, type ExecutorResult } from "./executor.js";

/** How the open-loop executors (the open loop, the ramp of rate, the replay) send a schedule. */
export interface ScheduleOptions {
  /** A request due while this many are in flight is dropped and counted, never queued in the client. */
  maxInFlight: number;
  /** Requests due after this long are never sent (Infinity: the schedule's own end). */
  durationS: number;
  /**
   * Stop once the client, after a turn of the event loop, finds itself past the end: what it is
   * that far behind on is never sent (the open loop's schedule ends at its duration anyway).
   */
  stopWhenBehind: boolean;
  /** Hand `send` each request's index in the schedule (a replay sends row i). */
  withSlots: boolean;
}

/**
 * Sends each request at the phase origin plus its offset (µs) and hands `send` that time as its
 * start, so a late dispatch (the client behind, or max_in_flight reached) shows as dispatch delay
 * instead of being hidden (coordinated omission). A slow server never delays the next request.
 * Never starves the event loop: however dense the schedule, it takes a turn every few hundred
 * requests, so timers and signals still get through.
 */
export async function sendOnSchedule(
  ctx: ExecutorContext,
  offsetsUs: Iterable<number>,
  options: ScheduleOptions,
): Promise<ExecutorResult> {
  const originUs = ctx.clock();
  const endUs = originUs + options.durationS * 1e6;
  let inFlight = 0;
  let sent = 0;
  let dropped = 0;
  let slot = 0;
  const pending = new Set<Promise<void>>();
  const takeTurn = createTurnTaker(ctx.timers);
  for (const offsetUs of offsetsUs) {
    const dueUs = originUs + offsetUs;
    if (dueUs > endUs) break;
    await sleepUntil(ctx, dueUs);
    if (ctx.stop.aborted) break;
    if (inFlight >= options.maxInFlight) {
      dropped++;
    } else {
      inFlight++;
      sent++;
      const request: Promise<void> = (options.withSlots ? ctx.send(dueUs, slot) : ctx.send(dueUs)).finally(
        () => {
          inFlight--;
          pending.delete(request);
        },
      );
      pending.add(request);
    }
    slot++;
    const turn = takeTurn();
    if (turn) {
      await turn;
      if (options.stopWhenBehind && ctx.clock() >= endUs) break;
    }
  }
  await Promise.all(pending);
  return { originUs, sent, dropped };
}

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
}

/**
 * The offsets (µs from the phase origin) sendOnSchedule sends at: arrivals drawn as it goes (the open
 * loop, the ramp of rate), or rows known ahead (a replay): then `send` gets each request's row as its
 * slot, and while the executor waits, the rows due within PREPARE_AHEAD_US go to `ctx.prepare`.
 */
export type Schedule = { arrivals: Iterable<number> } | { rows: readonly number[] };

/** How far ahead of its time a slot is prepared, and at most how many slots ahead of the next. */
const PREPARE_AHEAD_US = 50_000;
const PREPARE_AHEAD_MAX = 512;
/** Preparing stops this long before the next request is due, so it never makes that one late. */
const PREPARE_SLACK_US = 200;

/**
 * Sends each request at the phase origin plus its offset (µs) and hands `send` that time as its
 * start, so a late dispatch (the client behind, or max_in_flight reached) shows as dispatch delay
 * instead of being hidden (coordinated omission). A slow server never delays the next request.
 * Never starves the event loop: however dense the schedule, it takes a turn every few hundred
 * requests, so timers and signals still get through.
 */
export async function sendOnSchedule(
  ctx: ExecutorContext,
  schedule: Schedule,
  options: ScheduleOptions,
): Promise<ExecutorResult> {
  const rows = "rows" in schedule ? schedule.rows : undefined;
  const offsetsUs = "rows" in schedule ? schedule.rows : schedule.arrivals;
  const originUs = ctx.clock();
  const endUs = originUs + options.durationS * 1e6;
  let inFlight = 0;
  let sent = 0;
  let dropped = 0;
  let slot = 0;
  const pending = new Set<Promise<void>>();
  const takeTurn = createTurnTaker(ctx.timers);
  let prepared = 0;
  /**
   * While waiting for the slot due at `dueUs`: prepares it, and the slots after it due within
   * PREPARE_AHEAD_US, as long as there is time before `dueUs`. A client behind its schedule prepares
   * nothing: it sends.
   */
  const prepareAhead = (dueUs: number) => {
    if (!rows || !ctx.prepare) return;
    prepared = Math.max(prepared, slot);
    const horizonUs = ctx.clock() + PREPARE_AHEAD_US - originUs;
    const last = Math.min(rows.length, slot + PREPARE_AHEAD_MAX);
    for (; prepared < last; prepared++) {
      const offsetUs = rows[prepared];
      if (offsetUs === undefined || originUs + offsetUs > endUs) break;
      if (prepared > slot && offsetUs > horizonUs) break;
      if (ctx.clock() > dueUs - PREPARE_SLACK_US) break;
      ctx.prepare(prepared);
    }
  };
  for (const offsetUs of offsetsUs) {
    const dueUs = originUs + offsetUs;
    if (dueUs > endUs) break;
    prepareAhead(dueUs);
    await sleepUntil(ctx, dueUs);
    if (ctx.stop.aborted) break;
    if (inFlight >= options.maxInFlight) {
      dropped++;
    } else {
      inFlight++;
      sent++;
      const request: Promise<void> = (rows ? ctx.send(dueUs, slot) : ctx.send(dueUs)).finally(() => {
        inFlight--;
        pending.delete(request);
      });
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

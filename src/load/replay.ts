import type { ExecutorContext, ExecutorResult } from "./executor.js";
import { sendOnSchedule } from "./send-on-schedule.js";

/** The replay executor's whole configuration: when each request is due, and the in-flight cap. */
export interface ReplayOptions {
  /** Each request's offset from the phase start (µs, speed applied), in the order they are sent. */
  offsetsUs: readonly number[];
  /** Rows due after this are never sent (Infinity: every row). */
  durationS: number;
  /** A request due while this many are in flight is dropped and counted, never queued in the client. */
  maxInFlight: number;
}

/**
 * Every problem of a replay's configuration, so a caller lists them all at once: offsets that are
 * not finite, negative or going back in time, a cap that is not a whole number above 0, a duration
 * that is not a number above 0. Empty when the replay can run.
 */
export function validateReplayOptions(o: ReplayOptions): string[] {
  const out: string[] = [];
  let last = 0;
  for (const [i, offset] of o.offsetsUs.entries()) {
    if (!Number.isFinite(offset) || offset < 0)
      out.push(`request ${i + 1}: offset ${offset}µs is not a time`);
    else if (offset < last) out.push(`request ${i + 1}: due at ${offset}µs, before request ${i} (${last}µs)`);
    else last = offset;
  }
  if (!Number.isInteger(o.maxInFlight) || o.maxInFlight < 1)
    out.push(`maxInFlight: expected a whole number above 0, got ${o.maxInFlight}`);
  if (Number.isNaN(o.durationS) || o.durationS <= 0)
    out.push(`durationS: expected a length above 0, got ${o.durationS}`);
  return out;
}

/**
 * Replay: request i is due at the phase origin plus `offsetsUs[i]` and handed to `send` with that
 * time as its start and `i` as its slot, so the workload sends row i and a late dispatch (the client
 * behind its schedule, or max_in_flight reached) shows as dispatch delay instead of being hidden.
 * Open loop: a slow server never delays the next request. Bursts of rows due at once are sent back
 * to back, with a turn of the event loop every few hundred so timers and signals still get through.
 * Throws RangeError listing every problem of `options` before anything is sent.
 */
export async function runReplay(ctx: ExecutorContext, options: ReplayOptions): Promise<ExecutorResult> {
  const problems = validateReplayOptions(options);
  if (problems.length > 0) throw new RangeError(`replay: ${problems.join("; ")}`);
  return sendOnSchedule(
    ctx,
    { rows: options.offsetsUs },
    { maxInFlight: options.maxInFlight, durationS: options.durationS, stopWhenBehind: false },
  );
}

import type { Clock } from "../util/clock.js";

/** Timers an executor waits with; injected so schedules can be tested with fake time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Runs `fn` on the next turn of the event loop, after pending I/O (real time only). */
  setImmediate?(fn: () => void): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setImmediate: (fn) => void setImmediate(fn),
};

/** Remainders below this wait on the next loop turns: a timer's floor is 1 ms. */
const IMMEDIATE_BELOW_MS = 1;

/**
 * What an executor drives. It knows nothing of wire formats or metrics: it decides *when* each
 * request starts and hands `send` that start time (µs on `clock`): when the request was due (its
 * scheduled arrival, or when its closed-loop user became free), never the socket write, so client
 * queueing is not hidden. `send` never rejects.
 */
export interface ExecutorContext {
  clock: Clock;
  timers: Timers;
  /**
   * `slot`, where the executor gives one, is which of its scheduled requests this is (a replay's
   * trace row), for a workload whose requests differ by position; others cycle their own.
   */
  send(startUs: number, slot?: number): Promise<void>;
  /**
   * Called while the executor waits, for slots due soon (a replay's next rows): the caller may build
   * those requests now so that sending them at their time costs less. Never for a slot already due.
   */
  prepare?(slot: number): void;
  /** Aborting stops scheduling; in-flight requests are the caller's to abort. */
  stop: AbortSignal;
}

export interface ExecutorResult {
  /** When the phase began (µs): the zero of its schedule and of its warmup. */
  originUs: number;
  sent: number;
  /** Open-loop arrivals not sent because max_in_flight requests were already in flight. */
  dropped: number;
}

/**
 * Resolves at `dueUs` (or at once when it is past), or early when `stop` aborts. Never before
 * `dueUs`: Node arms a timer from the event loop's cached time, so it can fire up to a tick early,
 * and an open-loop request sent then would leave before its scheduled start and read short (at 256
 * streams, half the sends were early). The wait is re-armed until due; a last remainder under
 * 1 ms (a timer's floor, which would make it late instead) waits on the next loop turns.
 */
export function sleepUntil(
  ctx: Pick<ExecutorContext, "clock" | "timers" | "stop">,
  dueUs: number,
): Promise<void> {
  const waitMs = (dueUs - ctx.clock()) / 1000;
  if (waitMs <= 0 || ctx.stop.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    let handle: unknown;
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      ctx.timers.clearTimeout(handle);
      ctx.stop.removeEventListener("abort", done);
      resolve();
    };
    const check = () => {
      if (settled) return;
      const leftMs = (dueUs - ctx.clock()) / 1000;
      // Under 1 µs is due (and keeps float rounding in fake time from re-arming forever).
      if (leftMs < 0.001 || ctx.stop.aborted) return done();
      if (leftMs < IMMEDIATE_BELOW_MS && ctx.timers.setImmediate) ctx.timers.setImmediate(check);
      else handle = ctx.timers.setTimeout(check, leftMs);
    };
    ctx.stop.addEventListener("abort", done, { once: true });
    check();
  });
}

/**
 * Loop passes an executor makes without a wait of its own before it gives the event loop a turn. A
 * pass that does not wait (arrivals already due, a send that settles at once) runs on microtasks
 * alone, which never let timers, I/O or signal handlers run: `time_limit`, Ctrl-C and SIGTERM would
 * never get through. A turn every 256 passes costs one setImmediate per 256 requests.
 */
const PASSES_PER_TURN = 256;

/**
 * Counts one loop's passes and, every PASSES_PER_TURN of them, returns a promise that resolves on
 * the event loop's next turn (undefined otherwise, so the common pass adds no await). Each loop that
 * can spin needs its own: one loop's turn does not let another's microtasks drain.
 */
export function createTurnTaker(timers: Timers): () => Promise<void> | undefined {
  let passes = 0;
  return () => {
    if (++passes < PASSES_PER_TURN) return undefined;
    passes = 0;
    return new Promise((resolve) => {
      if (timers.setImmediate) timers.setImmediate(resolve);
      else timers.setTimeout(resolve, 0);
    });
  };
}

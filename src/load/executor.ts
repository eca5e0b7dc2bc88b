import type { Clock } from "../util/clock.js";

/** Timers an executor waits with; injected so schedules can be tested with fake time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * What an executor drives. It knows nothing of wire formats or metrics: it decides *when* each
 * request starts and hands `send` that start time (µs on `clock`), the definition of `start` in
 * PRODUCT.md. `send` never rejects.
 */
export interface ExecutorContext {
  clock: Clock;
  timers: Timers;
  send(startUs: number): Promise<void>;
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

/** Resolves at `dueUs` (or at once when it is past), or early when `stop` aborts. */
export function sleepUntil(
  ctx: Pick<ExecutorContext, "clock" | "timers" | "stop">,
  dueUs: number,
): Promise<void> {
  const waitMs = (dueUs - ctx.clock()) / 1000;
  if (waitMs <= 0 || ctx.stop.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      ctx.timers.clearTimeout(handle);
      ctx.stop.removeEventListener("abort", done);
      resolve();
    };
    const handle = ctx.timers.setTimeout(done, waitMs);
    ctx.stop.addEventListener("abort", done, { once: true });
  });
}

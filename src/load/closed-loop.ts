import { createTurnTaker, sleepUntil, type ExecutorContext, type ExecutorResult } from "./executor.js";

export interface ClosedLoopOptions {
  /** Virtual users at time `tS` seconds into the phase (constant, or a ramp through stages). */
  usersAt(tS: number): number;
  /** The most users the phase ever has (finite). */
  maxUsers: number;
  durationS: number;
  maxRequests?: number;
  thinkTimeMs?: number;
}

/**
 * Closed loop: each virtual user sends its next request when the previous one ends (plus think
 * time). A request's `start` is the moment its user became free. Users above the current target
 * (a ramp down) finish their request and leave; a controller adds users on a ramp up. Each user
 * gives the event loop a turn every few hundred requests, so sends that settle at once cannot
 * starve timers and signals.
 */
export async function runClosedLoop(
  ctx: ExecutorContext,
  options: ClosedLoopOptions,
): Promise<ExecutorResult> {
  if (!Number.isFinite(options.maxUsers))
    throw new RangeError(`a closed loop needs a finite number of users, not ${options.maxUsers}`);
  const originUs = ctx.clock();
  const endUs = originUs + options.durationS * 1e6;
  const maxRequests = options.maxRequests ?? Number.POSITIVE_INFINITY;
  let sent = 0;
  const users: Array<Promise<void>> = [];
  const target = () => Math.round(options.usersAt((ctx.clock() - originUs) / 1e6));
  const running = () => !ctx.stop.aborted && ctx.clock() < endUs && sent < maxRequests;

  const user = async (id: number) => {
    const takeTurn = createTurnTaker(ctx.timers);
    while (running() && id < target()) {
      sent++;
      await ctx.send(ctx.clock());
      if (options.thinkTimeMs) await sleepUntil(ctx, ctx.clock() + options.thinkTimeMs * 1000);
      const turn = takeTurn();
      if (turn) await turn;
    }
  };

  // The controller tops users up to the target every 50 ms (ramps) until the phase ends.
  const busy = new Set<number>();
  while (running()) {
    const want = Math.min(options.maxUsers, target());
    for (let id = 0; id < want; id++) {
      if (busy.has(id)) continue;
      busy.add(id);
      users.push(user(id).finally(() => busy.delete(id)));
    }
    await sleepUntil(ctx, Math.min(endUs, ctx.clock() + 50_000));
  }
  await Promise.all(users);
  return { originUs, sent, dropped: 0 };
}

/**
 * How fast a server served what it was offered, from each request's start and end. A rate read as
 * "successes over the window" mixes in the window's lead-in (nothing completes during the first
 * latency) and its drain (the last request's own latency), which on a short step move it by as
 * much as a latency over the step's length either way. Here both rates are least-squares slopes:
 * the starts sorted in time give the offered rate, the successes' completions sorted in time the
 * served rate, and a backlog that builds shows as completions spreading out while starts do not.
 */

/** One request as the estimate reads it; times in µs on one clock. */
export interface Completion {
  startUs: number;
  endUs: number;
  ok: boolean;
}

/** Offered and served rates of a set of requests (requests/s) and their ratio. */
export interface ServedRate {
  /** Requests started per second: the slope of their sorted start times. */
  offeredRps: number;
  /** Successes completed per second: the slope of their sorted completion times. */
  servedRps: number;
  /** servedRps / offeredRps: 1 when the server kept up, below when a backlog built or requests failed. */
  ratio: number;
}

/** How far apart the two halves' served/offered ratios may be for a step to count as settled. */
export const SETTLE_TOLERANCE = 0.05;

/** Seconds per item of a sorted list of times (µs) by least squares; undefined under two items. */
function secondsPerItem(timesUs: number[]): number | undefined {
  const n = timesUs.length;
  if (n < 2) return undefined;
  const sorted = [...timesUs].sort((a, b) => a - b);
  const meanI = (n - 1) / 2;
  const meanT = sorted.reduce((s, t) => s + t, 0) / n;
  let num = 0;
  let den = 0;
  sorted.forEach((t, i) => {
    num += (i - meanI) * (t - meanT);
    den += (i - meanI) ** 2;
  });
  return num / den / 1e6;
}

/**
 * Offered and served rates of `requests`; undefined with fewer than two requests or two
 * successes, or when they all started (or ended) at once, so no rate can be read.
 */
export function servedRate(requests: readonly Completion[]): ServedRate | undefined {
  const perStart = secondsPerItem(requests.map((r) => r.startUs));
  const perServed = secondsPerItem(requests.filter((r) => r.ok).map((r) => r.endUs));
  if (!perStart || !perServed || perStart <= 0 || perServed <= 0) return undefined;
  // Successes per second against requests per second: failures lower the served share too.
  const offeredRps = 1 / perStart;
  const servedRps = 1 / perServed;
  return { offeredRps, servedRps, ratio: servedRps / offeredRps };
}

/** The served/offered ratio of the earlier and the later half of a step's requests (by start). */
export interface Settling {
  first?: number;
  second?: number;
  /**
   * Both halves read a ratio, and they differ by SETTLE_TOLERANCE or less or fall on the same side
   * of the line the step is judged by: a longer step would not change its verdict.
   */
  settled: boolean;
}

/**
 * Whether a step's served/offered ratio has settled: the requests split in two by start time, the
 * ratio read on each half. A server that keeps up reads about 1 on both; one past its capacity
 * reads its capacity over the offered rate on both; one that degrades as the step goes on (a queue
 * or a cache filling) reads lower on the later half, and one that caught a burst of Poisson
 * arrivals reads lower on the half that had it: those need a longer step to be judged against
 * `line` (the least served/offered share that passes).
 */
export function settling(requests: readonly Completion[], line: number): Settling {
  const byStart = [...requests].sort((a, b) => a.startUs - b.startUs);
  const half = Math.floor(byStart.length / 2);
  const first = servedRate(byStart.slice(0, half))?.ratio;
  const second = servedRate(byStart.slice(half))?.ratio;
  const settled =
    first !== undefined &&
    second !== undefined &&
    (Math.abs(first - second) <= SETTLE_TOLERANCE || first >= line === second >= line);
  return { ...(first !== undefined ? { first } : {}), ...(second !== undefined ? { second } : {}), settled };
}

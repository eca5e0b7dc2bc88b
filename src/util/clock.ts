/**
 * Monotonic time in microseconds on a process-independent origin (the epoch), so two processes on
 * the same host (client and simulator) can compare timestamps. performance.now() is monotonic; adding
 * timeOrigin keeps it monotonic within the process and aligns it across processes to within the
 * precision of each process's start-time capture (microseconds on Linux).
 */
export type Clock = () => number;

const origin = performance.timeOrigin;

export const nowUs: Clock = () => (origin + performance.now()) * 1000;

/** Epoch milliseconds from a `nowUs` timestamp, for logs people read. */
export function usToEpochMs(us: number): number {
  return us / 1000;
}

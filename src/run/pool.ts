/**
 * A closed-loop worker pool: at most `concurrency` requests in flight, each worker sending its next
 * request the moment the previous one ends. `send(i, ...)` performs request i; `settle` is its
 * bookkeeping (scoring, aggregation, report lines), deferred with setImmediate until the worker's next
 * request is on the wire, so the client's own work never delays a send (it would show as
 * dispatch delay and inflate the next request's latency). A `settle` that returns a promise (quality
 * scoring that calls a judge) is awaited before this resolves; only the ones still pending are held.
 */
export async function runWorkerPool<R>(options: {
  count: number;
  concurrency: number;
  send: (index: number) => Promise<R>;
  settle: (index: number, result: R) => void | Promise<void>;
  shouldStop: () => boolean;
}): Promise<void> {
  const { count, concurrency, send, settle, shouldStop } = options;
  let next = 0;
  const pending = new Set<Promise<void>>();
  let failed: { error: unknown } | undefined;
  const settleOne = (i: number, result: R) => {
    const p = settle(i, result);
    if (!p) return;
    const tracked = p
      .catch((error: unknown) => void (failed ??= { error }))
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  const worker = async () => {
    while (next < count && !shouldStop()) {
      const i = next++;
      const result = await send(i);
      setImmediate(settleOne, i, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  // Let the last deferred settles run before the caller reads the results.
  await new Promise((resolve) => setImmediate(resolve));
  await Promise.all(pending);
  if (failed) throw failed.error;
}

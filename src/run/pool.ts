/**
 * A closed-loop worker pool: at most `concurrency` requests in flight, each worker sending its next
 * request the moment the previous one ends. `send(i, ...)` performs request i; `settle` is its
 * bookkeeping (scoring, aggregation, report lines), deferred with setImmediate until the worker's next
 * request is on the wire, so the client's own work never delays a send (it would show as
 * dispatch delay and inflate the next request's latency).
 */
export async function runClosedLoop<R>(options: {
  count: number;
  concurrency: number;
  send: (index: number) => Promise<R>;
  settle: (index: number, result: R) => void;
  shouldStop: () => boolean;
}): Promise<void> {
  const { count, concurrency, send, settle, shouldStop } = options;
  let next = 0;
  const worker = async () => {
    while (next < count && !shouldStop()) {
      const i = next++;
      const result = await send(i);
      setImmediate(settle, i, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  // Let the last deferred settles run before the caller reads the results.
  await new Promise((resolve) => setImmediate(resolve));
}

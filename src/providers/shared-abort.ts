/**
 * Watches an AbortSignal shared by many requests with one listener per signal, whatever the number
 * of requests. Node's EventTarget walks its whole listener list on every add and remove, so with
 * thousands of streams in flight on one phase signal, each request's own listener made every send
 * and every completion cost O(in flight).
 */
const watchers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `onAbort` once when `signal` aborts; returns a function that stops watching (O(1)). The
 * caller checks `signal.aborted` first: a signal already aborted never calls back.
 */
export function watchAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let set = watchers.get(signal);
  if (!set) {
    const fresh = new Set<() => void>();
    set = fresh;
    watchers.set(signal, fresh);
    signal.addEventListener(
      "abort",
      () => {
        const due = [...fresh];
        fresh.clear();
        for (const fn of due) fn();
      },
      { once: true },
    );
  }
  const own = set;
  own.add(onAbort);
  return () => void own.delete(onAbort);
}

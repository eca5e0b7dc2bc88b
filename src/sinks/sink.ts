import type { RunEvent, RunEventSink } from "../run/events.js";

/**
 * A consumer of the run's event stream with a lifetime: requests.ndjson, the live view, CI
 * progress lines, and any later exporter. The CLI starts every sink before the run, hands each
 * event to all of them in list order, and closes them all when the run ends, however it ends.
 */
export interface RunSink {
  /** Before the first event: open files, draw the first frame. A rejection stops the run before anything is sent. */
  start(): Promise<void>;
  /** Every event, in order. Called on the run's hot path: never blocks, never waits on I/O. */
  event(e: RunEvent): void;
  /** Pushes out whatever is buffered, now. */
  flush(): void;
  /**
   * Between phases (the run awaits it before the next phase starts): finishes what was held back
   * while a phase ran, so it never competes with a phase's requests. Bounded in time; never rejects.
   */
  settle?(): Promise<void>;
  /** Flushes, then releases what `start` took (files closed, the view unmounted). Called once. */
  close(): Promise<void>;
}

/** Started sinks behind one `emit`. */
export interface SinkList {
  emit: RunEventSink;
  flush(): void;
  /** Every sink's settle, at once. */
  settle(): Promise<void>;
  /** Closes every sink, even when one of them fails; rejects with the first failure. */
  close(): Promise<void>;
}

/** Starts `sinks` in order; if one fails to start, those already started are closed and it rethrows. */
export async function startSinks(sinks: readonly RunSink[]): Promise<SinkList> {
  const started: RunSink[] = [];
  try {
    for (const s of sinks) {
      await s.start();
      started.push(s);
    }
  } catch (err) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw err;
  }
  return {
    emit: (e) => {
      for (const s of started) s.event(e);
    },
    flush: () => {
      for (const s of started) s.flush();
    },
    settle: async () => {
      await Promise.all(started.map((s) => s.settle?.()));
    },
    close: async () => {
      const closed = await Promise.allSettled(started.map((s) => s.close()));
      const failed = closed.find((c): c is PromiseRejectedResult => c.status === "rejected");
      if (failed) throw failed.reason;
    },
  };
}

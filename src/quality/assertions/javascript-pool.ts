/**
 * Runs users' `javascript` assertion functions in worker threads, so user code cannot block the run:
 * a function that never returns (`while (true) {}`) used to hold the event loop, Ctrl-C included.
 * Each call has a time limit from the moment it is handed to a worker; past it the worker is
 * terminated (the only way to stop synchronous code) and replaced on the next call. Two workers
 * serve every assertion of the run, each module imported once per worker, so a trivial function
 * costs a message round trip (about 0.1 ms), not a thread start. Idle workers never keep the
 * process alive.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/** What the worker is handed: the module, the export, and the function's two arguments. */
export interface JavascriptCall {
  href: string;
  exportName: string;
  output: string;
  context: unknown;
}

/** How a call ended: the function's (structured-cloned) result, or why there is none. */
export type JavascriptOutcome =
  | { kind: "result"; value: unknown }
  | { kind: "error"; message: string }
  | { kind: "missing" }
  | { kind: "timeout" }
  | { kind: "aborted" };

/** The most heap a worker may use: a runaway allocation fails its case, not the run. */
const WORKER_HEAP_MB = 512;
const POOL_SIZE = Math.max(1, Math.min(2, availableParallelism()));

// The worker's own code: CommonJS run by `eval`, so it needs no file beside the compiled one (the
// tests run the TypeScript sources). It imports each module once and answers one message per call.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const modules = new Map();
parentPort.on("message", async ({ id, href, exportName, output, context }) => {
  let reply;
  try {
    let loading = modules.get(href);
    if (!loading) modules.set(href, (loading = import(href)));
    const fn = (await loading)[exportName];
    if (typeof fn !== "function") reply = { id, missing: true };
    else reply = { id, result: await fn(output, context) };
  } catch (err) {
    reply = { id, error: err instanceof Error ? err.message : String(err) };
  }
  try {
    parentPort.postMessage(reply);
  } catch {
    parentPort.postMessage({ id, error: "returned a value that cannot be passed back (a function or a class instance?)" });
  }
});
`;

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
  missing?: boolean;
}

interface Pending {
  call: JavascriptCall;
  timeoutMs: number;
  signal?: AbortSignal;
  resolve(outcome: JavascriptOutcome): void;
}

interface Slot {
  worker: Worker;
  /** The call it runs, and how to end it. */
  running?: { id: number; finish(outcome: JavascriptOutcome, terminate: boolean): void };
}

let nextId = 0;
const slots: Slot[] = [];
const queue: Pending[] = [];

function startSlot(): Slot {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  const slot: Slot = { worker };
  worker.unref();
  worker.on("message", (reply: Reply) => {
    if (slot.running?.id !== reply.id) return;
    if (reply.missing) slot.running.finish({ kind: "missing" }, false);
    else if (reply.error !== undefined) slot.running.finish({ kind: "error", message: reply.error }, false);
    else slot.running.finish({ kind: "result", value: reply.result }, false);
  });
  // An error the function threw after returning, or the heap limit: the worker is gone.
  worker.on("error", (err) => {
    const message =
      (err as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY"
        ? `ran out of memory (${WORKER_HEAP_MB} MB)`
        : err.message;
    slot.running?.finish({ kind: "error", message }, true);
    drop(slot);
  });
  worker.on("exit", () => {
    slot.running?.finish({ kind: "error", message: "its worker exited" }, false);
    drop(slot);
  });
  slots.push(slot);
  return slot;
}

function drop(slot: Slot): void {
  const i = slots.indexOf(slot);
  if (i >= 0) slots.splice(i, 1);
  dispatch();
}

function dispatch(): void {
  while (queue.length > 0) {
    const slot = slots.find((s) => !s.running) ?? (slots.length < POOL_SIZE ? startSlot() : undefined);
    if (!slot) return;
    run(slot, queue.shift()!);
  }
}

function run(slot: Slot, pending: Pending): void {
  const id = nextId++;
  const { worker } = slot;
  // Set below, once the call is handed over; finish may run before that (an aborted call).
  let timer: NodeJS.Timeout | undefined = undefined;
  const onAbort = () => finish({ kind: "aborted" }, true);
  const finish = (outcome: JavascriptOutcome, terminate: boolean) => {
    if (slot.running?.id !== id) return;
    slot.running = undefined;
    clearTimeout(timer);
    pending.signal?.removeEventListener("abort", onAbort);
    if (terminate) {
      // Terminating is the only way to stop synchronous code; the slot is replaced on demand.
      drop(slot);
      void worker.terminate();
    } else worker.unref();
    pending.resolve(outcome);
    dispatch();
  };
  slot.running = { id, finish };
  if (pending.signal?.aborted) return finish({ kind: "aborted" }, false);
  worker.ref();
  timer = setTimeout(() => finish({ kind: "timeout" }, true), pending.timeoutMs);
  pending.signal?.addEventListener("abort", onAbort, { once: true });
  worker.postMessage({ id, ...pending.call });
}

/**
 * Calls a user's function in a worker within `timeoutMs` (counted from when a worker takes it).
 * Never rejects: a throw, a missing export, the time limit and `signal` each end as an outcome.
 */
export function callJavascript(
  call: JavascriptCall,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<JavascriptOutcome> {
  return new Promise((resolve) => {
    queue.push({ call, timeoutMs, ...(signal ? { signal } : {}), resolve });
    dispatch();
  });
}

import type { RequestSample } from "../record/request-sample.js";
import type { RunEventSink } from "./events.js";

/**
 * Watches one phase's samples for `client_error` (this machine out of file descriptors, buffers or
 * ports) and warns on the first: such requests never reached the server and are not counted
 * against it, but the load the server saw was lighter than the suite asked for.
 */
export function createClientErrorWatch(emit: RunEventSink, where: string): (sample: RequestSample) => void {
  let warned = false;
  return (sample) => {
    if (warned || sample.failure?.kind !== "client_error") return;
    warned = true;
    emit({
      type: "warning",
      message: `${where}: THIS MACHINE failed to send requests (${sample.failure.message}); they are recorded as client_error, not counted against the server, and the server got less load than asked (raise \`ulimit -n\` or lower the concurrency)`,
    });
  };
}

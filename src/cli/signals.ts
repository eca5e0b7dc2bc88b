import { ExitCode } from "../errors.js";

/**
 * Calls `stop` on the first Ctrl-C or SIGTERM; a second one means "now": the process exits at once
 * (130) without waiting for in-flight requests. Returns the function that removes the handlers.
 */
export function onInterrupt(stop: () => void): () => void {
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) process.exit(ExitCode.interrupted);
    stop();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

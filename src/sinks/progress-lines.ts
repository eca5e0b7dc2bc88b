import type { RunEvent } from "../run/events.js";
import type { RunSink } from "./sink.js";

/** The plain (non-TTY, CI) face of the run's event stream as a sink; see createPlainProgress. */
export function createProgressLinesSink(write: (line: string) => void, intervalMs = 2000): RunSink {
  const onEvent = createPlainProgress(write, intervalMs);
  return {
    start: async () => {},
    event: onEvent,
    flush: () => {},
    close: async () => {},
  };
}

/**
 * The plain (non-TTY, CI) face of the run's event stream: a line when a target starts or finishes
 * and at most one progress line every `intervalMs`. Counts are of cases (quality) or requests
 * (load), the units of `total`: an attempt that was retried is counted apart, as a retry.
 */
export function createPlainProgress(write: (line: string) => void, intervalMs = 2000): (e: RunEvent) => void {
  let done = 0;
  let failed = 0;
  let retries = 0;
  let total: number | undefined;
  let current = "";
  let lastPrint = 0;
  const counts = () =>
    `${done}${total === undefined ? "" : `/${total}`}` +
    `${retries ? ` done, ${failed} failed, ${retries} retried` : ` done, ${failed} failed`}`;
  return (e) => {
    switch (e.type) {
      case "run_started":
        write(`gauntlet: ${e.suite}: ${e.targets.length} target(s), ${e.cases} case(s)`);
        break;
      case "target_started":
        [done, failed, retries, total] = [0, 0, 0, e.total];
        [current, lastPrint] = [`${e.target}/${e.phase}`, Date.now()];
        write(`  ${current}: started${total === undefined ? "" : ` (${total} requests)`}`);
        break;
      case "request_finished":
        if (e.retried) retries++;
        else {
          done++;
          if (!e.sample.ok) failed++;
        }
        if (Date.now() - lastPrint >= intervalMs) {
          lastPrint = Date.now();
          write(`  ${current}: ${counts()}`);
        }
        break;
      case "target_finished":
        write(`  ${current}: finished ${counts().replace(" done,", ",")}`);
        break;
      case "target_unreachable":
        write(`  ${e.target}: ${e.message}`);
        break;
      case "warning":
        write(`  warning: ${e.message}`);
        break;
      case "interrupted":
        write("  interrupted: letting in-flight requests finish, then writing reports");
        break;
      case "run_finished":
        break;
    }
  };
}

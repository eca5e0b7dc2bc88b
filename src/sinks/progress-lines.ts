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
 * and at most one progress line every `intervalMs`.
 */
export function createPlainProgress(write: (line: string) => void, intervalMs = 2000): (e: RunEvent) => void {
  let done = 0;
  let failed = 0;
  let total: number | undefined;
  let current = "";
  let lastPrint = 0;
  return (e) => {
    switch (e.type) {
      case "run_started":
        write(`gauntlet: ${e.suite}: ${e.targets.length} target(s), ${e.cases} case(s)`);
        break;
      case "target_started":
        [done, failed, total, current, lastPrint] = [0, 0, e.total, `${e.target}/${e.phase}`, Date.now()];
        write(`  ${current}: started${total === undefined ? "" : ` (${total} requests)`}`);
        break;
      case "request_finished":
        done++;
        if (!e.sample.ok) failed++;
        if (Date.now() - lastPrint >= intervalMs) {
          lastPrint = Date.now();
          write(`  ${current}: ${done}${total === undefined ? "" : `/${total}`} done, ${failed} failed`);
        }
        break;
      case "target_finished":
        write(`  ${current}: finished ${done}${total === undefined ? "" : `/${total}`}, ${failed} failed`);
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

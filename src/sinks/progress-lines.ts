import type { RunEvent } from "../run/events.js";
import { windowPercentile } from "../ui/live-state.js";
import { formatMs } from "../util/duration.js";
import type { RunSink } from "./sink.js";

/** A phase younger than this skips a beat (its line would read "0s, 2 done"). */
const MIN_PHASE_AGE_MS = 1000;

/** How often a running phase says where it is, unless the CLI says otherwise. */
export const DEFAULT_HEARTBEAT_MS = 5000;

/**
 * The plain (non-TTY, CI) face of the run's event stream as a sink: the lines of createPlainProgress,
 * plus a heartbeat every `heartbeatMs` while a phase runs, printed whether or not anything finished,
 * so a stalled server shows in a CI log as it stalls, not at its timeout.
 */
export function createProgressLinesSink(
  write: (line: string) => void,
  heartbeatMs = DEFAULT_HEARTBEAT_MS,
): RunSink {
  const progress = createPlainProgress(write);
  let timer: NodeJS.Timeout | undefined;
  return {
    start: async () => {
      timer = setInterval(progress.heartbeat, heartbeatMs);
      // Never what keeps the process alive.
      timer.unref();
    },
    event: progress.event,
    flush: () => {},
    close: async () => clearInterval(timer),
  };
}

/**
 * The plain (non-TTY, CI) face of the run's event stream: a line when a target starts or finishes,
 * and on each heartbeat a line for the running phase: elapsed time, cases (quality) or requests
 * (load) done of `total`, failed and retried (an attempt sent again is a retry, not a case), and
 * what finished since the last heartbeat (count, rate, TTFT p95), or that nothing did.
 */
export function createPlainProgress(write: (line: string) => void): {
  event: (e: RunEvent) => void;
  heartbeat: () => void;
} {
  let done = 0;
  let failed = 0;
  let retries = 0;
  let total: number | undefined;
  let current: string | undefined;
  let startedAt = 0;
  let beatAt = 0;
  let sinceBeat = 0;
  let ttftsSinceBeat: number[] = [];
  /** A load phase's last progress: in flight and what it offers (quality rows have none). */
  let load: { inFlight: number; offered: string } | undefined;
  const counts = () =>
    `${done}${total === undefined ? "" : `/${total}`}` +
    `${retries ? ` done, ${failed} failed, ${retries} retried` : ` done, ${failed} failed`}`;
  const heartbeat = () => {
    if (current === undefined) return;
    const now = Date.now();
    // The beat runs on its own clock: a phase that started under a second ago has nothing to say yet.
    if (now - startedAt < MIN_PHASE_AGE_MS) return;
    const windowS = Math.max((now - beatAt) / 1000, 0.001);
    const elapsed = `${Math.round((now - startedAt) / 1000)}s`;
    const ttftMs = windowPercentile(ttftsSinceBeat, 95);
    const recent =
      sinceBeat === 0
        ? `none finished in the last ${Math.round(windowS)}s: ${load ? `${load.inFlight} in flight, ` : ""}still waiting on the server`
        : `${sinceBeat} in the last ${Math.round(windowS)}s (${(sinceBeat / windowS).toFixed(1)}/s` +
          `${Number.isNaN(ttftMs) ? "" : `, ttft p95 ${formatMs(ttftMs)}`})`;
    const offered = load && sinceBeat > 0 ? `; ${load.offered}, ${load.inFlight} in flight` : "";
    write(`  ${current}: ${elapsed}, ${counts()}; ${recent}${offered}`);
    [beatAt, sinceBeat, ttftsSinceBeat] = [now, 0, []];
  };
  const event = (e: RunEvent) => {
    switch (e.type) {
      case "run_started":
        write(`gauntlet: ${e.suite}: ${e.targets.length} target(s), ${e.cases} case(s)`);
        break;
      case "target_started":
        [done, failed, retries, total, load] = [0, 0, 0, e.total, undefined];
        current = `${e.target}/${e.phase}`;
        [startedAt, beatAt, sinceBeat, ttftsSinceBeat] = [Date.now(), Date.now(), 0, []];
        // A load phase says its shape; a quality row how many requests it has.
        write(
          `  ${current}: started${e.shape ? `: ${e.shape}` : total === undefined ? "" : ` (${total} requests)`}`,
        );
        break;
      case "phase_progress":
        if (`${e.target}/${e.phase}` === current)
          load = {
            inFlight: e.inFlight,
            offered:
              "users" in e.offered ? `${e.offered.users} users` : `offered ${e.offered.rate.toFixed(1)}/s`,
          };
        break;
      case "request_finished":
        if (e.retried) retries++;
        else {
          done++;
          sinceBeat++;
          if (!e.sample.ok) failed++;
          else if (e.sample.ttftUs !== undefined) ttftsSinceBeat.push(e.sample.ttftUs / 1000);
        }
        break;
      case "target_finished":
        write(`  ${current ?? `${e.target}/${e.phase}`}: finished ${counts().replace(" done,", ",")}`);
        current = undefined;
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
        current = undefined;
        break;
    }
  };
  return { event, heartbeat };
}

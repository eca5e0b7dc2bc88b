import { monitorEventLoopDelay } from "node:perf_hooks";
import type { ProcessWatch } from "../metrics/aggregate.js";

/**
 * The loop-delay sampler's period, ms. Node samples on a timer of its own (off the request path):
 * a 10 ms period costs 100 timer callbacks a second, nothing beside a phase's sockets.
 */
const RESOLUTION_MS = 10;

/**
 * Starts watching this process: event-loop delay and CPU time from now until the returned stop
 * function is called, which returns what was seen. Phases that run at once (several targets) each
 * watch the same process, which is what each of them shared.
 */
export function watchClient(): () => ProcessWatch {
  const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    loop.disable();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    // Node 20 reports each sample as the whole time between two ticks of the sampler, period
    // included (an idle loop reads 10.1 ms); the delay is what passes the period.
    const period = loop.count > 0 && loop.min >= RESOLUTION_MS * 0.9e6 ? RESOLUTION_MS : 0;
    const ms = (ns: number) => (Number.isFinite(ns) && loop.count > 0 ? Math.max(0, ns / 1e6 - period) : 0);
    return {
      watchedMs: wallMs,
      cpuShare: wallMs > 0 ? (cpu.user + cpu.system) / 1000 / wallMs : 0,
      loopDelayP50Ms: ms(loop.percentile(50)),
      loopDelayP99Ms: ms(loop.percentile(99)),
      loopDelayMaxMs: ms(loop.max),
    };
  };
}

// Preloaded into each client process (`node --import ./bench/probe.mjs ...`): samples the process's
// own CPU time and RSS on the shared epoch-µs clock, and writes them when the process exits, so the
// bench can take the CPU spent inside a run's measured window and the RSS curve of a long run.
// The simulator never loads it: its CPU is not the client's.
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setInterval } from "node:timers";

const out = process.env.BENCH_PROBE_OUT;
if (out) {
  const intervalMs = Number(process.env.BENCH_PROBE_MS ?? 100);
  /** [epoch µs, cumulative CPU µs (user + system), RSS bytes] */
  const samples = [];
  const take = () => {
    const cpu = process.cpuUsage();
    samples.push([
      (performance.timeOrigin + performance.now()) * 1000,
      cpu.user + cpu.system,
      process.memoryUsage.rss(),
    ]);
  };
  take();
  setInterval(take, intervalMs).unref();
  process.on("exit", () => {
    take();
    writeFileSync(out, JSON.stringify({ samples, maxRssKb: process.resourceUsage().maxRSS }));
  });
}

import { seriesValues } from "../metrics/server-timeline.js";
import type { PhaseAggregate } from "../record/aggregate.js";
import type { RunResult } from "../record/run-result.js";
import type { ServerSeries, ServerTelemetry } from "../record/server-telemetry.js";
import { mdTable } from "./markdown-table.js";

/** The summary's columns: each series' peak (its largest scrape) and how it is shown. */
const PEAKS: ReadonlyArray<[ServerSeries, string, (v: number) => string]> = [
  ["requests_running", "running", (v) => v.toFixed(0)],
  ["requests_waiting", "waiting", (v) => v.toFixed(0)],
  ["kv_cache_usage", "KV cache", (v) => `${(v * 100).toFixed(1)}%`],
  ["preemptions", "preemptions/s", (v) => v.toFixed(2)],
  ["batch_size", "batch", (v) => v.toFixed(1)],
  ["tokens_per_step", "tokens/step", (v) => v.toFixed(1)],
  ["prompt_throughput", "prompt tok/s", (v) => v.toFixed(0)],
  ["generation_throughput", "gen tok/s", (v) => v.toFixed(0)],
];

const withServer = (run: RunResult) =>
  run.phases.filter(
    (p): p is PhaseAggregate & { server: ServerTelemetry } =>
      p.server !== undefined && !p.phase.includes(":"),
  );

function peak(t: ServerTelemetry, name: string): number | undefined {
  const v = seriesValues(t, name);
  return v.means.length ? v.max : undefined;
}

/**
 * The console's line under a phase's table: "server (vllm, 6 scrapes): running 16, waiting 16,
 * KV cache 100.0% at most"; failed scrapes are counted with the last reason.
 */
export function serverLine(t: ServerTelemetry | undefined): string | undefined {
  if (!t) return undefined;
  const peaks = PEAKS.slice(0, 3).flatMap(([name, label, show]) => {
    const v = peak(t, name);
    return v === undefined ? [] : [`${label} ${show(v)}`];
  });
  const failed = t.failures ? `, ${t.failures} failed (${t.lastFailure ?? "unknown"})` : "";
  return `  server (${t.engine ?? "unknown engine"}, ${t.scrapes} scrapes${failed})${peaks.length ? `: ${peaks.join(", ")} at most` : ""}`;
}

/**
 * summary.md's server telemetry: per load phase the endpoint's engine, its scrapes and failures,
 * and the peak of each series it exposes ("-" where the engine has none), then why scrapes failed.
 */
export function serverSection(run: RunResult): string[] {
  const phases = withServer(run);
  if (phases.length === 0) return [];
  const rows = phases.map((p) => [
    p.target,
    p.phase,
    p.server.engine ?? "unknown",
    `${p.server.scrapes}${p.server.failures ? ` (${p.server.failures} failed)` : ""}`,
    ...PEAKS.map(([name, , show]) => {
      const v = peak(p.server, name);
      return v === undefined ? "-" : show(v);
    }),
  ]);
  const header = ["target", "phase", "engine", "scrapes", ...PEAKS.map(([, label]) => label)];
  const failures = phases
    .filter((p) => p.server.failures > 0)
    .map(
      (p) =>
        `${p.target}/${p.phase}: ${p.server.failures} of ${p.server.scrapes + p.server.failures} scrapes of ${p.server.url} failed (last: ${p.server.lastFailure ?? "unknown"}); the run went on.`,
    );
  return [
    "### Server telemetry (peaks per phase)",
    "",
    mdTable(header, rows, ["l", "l", "l", ...header.slice(3).map(() => "r" as const)]),
    ...(failures.length ? ["", ...failures] : []),
  ];
}

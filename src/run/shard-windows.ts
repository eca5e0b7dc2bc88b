import type { RunResult } from "../record/run-result.js";

/** When one shard sent load: its load phases' first start to their last completion, µs on the epoch clock. */
export interface LoadWindow {
  startUs: number;
  endUs: number;
}

/** Shards whose load windows overlap less than this are warned about by merge. */
export const MIN_SHARD_OVERLAP = 0.8;

/** A run's load window, or undefined when it ran no load (quality only, or nothing sent). */
export function loadWindow(run: RunResult): LoadWindow | undefined {
  const load = run.phases.filter((p) => p.phase !== "quality" && p.requests > 0);
  if (load.length === 0) return undefined;
  return {
    startUs: Math.min(...load.map((p) => p.windowStartUs)),
    endUs: Math.max(...load.map((p) => p.windowEndUs)),
  };
}

/**
 * The share of the shards' span (first start to last end) during which every one of them sent
 * load: 1 when they ran together, 0 when one ended before another began. Undefined with fewer
 * than two windows.
 */
export function overlapOf(windows: readonly LoadWindow[]): number | undefined {
  if (windows.length < 2) return undefined;
  const span = Math.max(...windows.map((w) => w.endUs)) - Math.min(...windows.map((w) => w.startUs));
  const common = Math.min(...windows.map((w) => w.endUs)) - Math.max(...windows.map((w) => w.startUs));
  return span > 0 ? Math.max(0, common) / span : 1;
}

const clock = (us: number) => new Date(us / 1000).toISOString().slice(11, 23);

/**
 * Merge's warning when the shards' load windows overlap less than MIN_SHARD_OVERLAP, with each
 * shard's window; undefined when they overlap enough or fewer than two shards sent load.
 */
export function overlapWarning(runs: ReadonlyArray<{ file: string; run: RunResult }>): string | undefined {
  const windows = runs.flatMap(({ file, run }) => {
    const w = loadWindow(run);
    return w ? [{ file, run, ...w }] : [];
  });
  const overlap = overlapOf(windows);
  if (overlap === undefined || overlap >= MIN_SHARD_OVERLAP) return undefined;
  const lines = windows.map(({ file, run, startUs, endUs }) => {
    const shard = run.shard ? `shard ${run.shard.index}/${run.shard.count}` : "run";
    return `  ${shard} (${file}): ${clock(startUs)} → ${clock(endUs)} UTC, ${((endUs - startUs) / 1e6).toFixed(1)}s`;
  });
  return [
    `the shards' load windows overlap ${(overlap * 100).toFixed(0)}% (under ${MIN_SHARD_OVERLAP * 100}%): ` +
      "they did not load the target together, so the merged rates are each shard's own rate summed " +
      "(the load one process would have sent), not what the target served at any one time",
    ...lines,
  ].join("\n");
}

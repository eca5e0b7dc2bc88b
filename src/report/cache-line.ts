import type { RunResult } from "../record/run-result.js";

/** True when every quality answer of the run was read from the cache: nothing was asked of a server. */
export function allFromCache(run: RunResult): boolean {
  const c = run.cache;
  return c !== undefined && c.of > 0 && c.answers === c.of;
}

/**
 * The response cache's part in words, or undefined when it was off and nobody asked for it:
 * "cache: 12 of 21 quality answers read from the cache (not timed)", "cache: off under CI=true ...".
 */
export function cacheText(run: RunResult): string | undefined {
  const c = run.cache;
  if (!c) return undefined;
  if (c.mode === "off") return c.note ? `cache: off (${c.note})` : undefined;
  const forced = c.mode === "force" ? " (forced)" : "";
  return `cache${forced}: ${c.answers} of ${c.of} quality answers read from the cache, not timed`;
}

/** Targets whose server says nothing of its model's version: a redeploy behind their URL is not noticed. */
export function unversionedTargets(run: RunResult): string[] {
  const c = run.cache;
  if (!c || c.mode === "off") return [];
  return c.targets.filter((t) => !t.versioned).map((t) => t.target);
}

import type { HealthProblem, RunHealth } from "../record/health.js";
import type { RequestSample } from "../record/request-sample.js";
import type { FailureLog } from "./failure-log.js";
import { hintFor, type HintContext } from "./health-hints.js";

/** What one phase of one target came to, as run health reads it. */
export interface PhaseOutcome {
  target: string;
  /** As the suite names it: `quality`, a load phase, a sweep. */
  phase: string;
  /** The phase names its requests were recorded under: itself, or a sweep's steps. */
  recordedAs: readonly string[];
  /** Requests recorded, failed or not. */
  requests: number;
  /** Successful requests, and for quality the answers read from the cache. */
  successes: number;
  /** Set when fail_fast stopped the phase: why. */
  failedFast?: string;
}

/**
 * Run health: every phase that recorded a request (or answered from the cache) must have had a
 * successful one, and none may have been stopped by fail_fast. Each problem lists the failures in
 * the server's own words with a hint (see hintFor); `contexts` gives each target's.
 */
export async function judgeHealth(
  phases: readonly PhaseOutcome[],
  log: FailureLog,
  contexts: ReadonlyMap<string, HintContext>,
): Promise<RunHealth> {
  const problems: HealthProblem[] = [];
  const checked = phases.filter((p) => p.requests > 0 || p.successes > 0 || p.failedFast);
  for (const p of checked) {
    if (p.successes > 0 && !p.failedFast) continue;
    const ctx = contexts.get(p.target);
    const errors = await Promise.all(
      log.errorsOf(p.target, p.recordedAs).map(async (e) => {
        const hint = ctx ? await hintFor(e, ctx) : undefined;
        return hint ? { ...e, hint } : e;
      }),
    );
    problems.push({
      target: p.target,
      phase: p.phase,
      kind: p.failedFast ? "fail_fast" : "no_success",
      requests: p.requests,
      reason: p.failedFast ?? `no successful request (${p.requests} of ${p.requests} failed)`,
      errors,
    });
  }
  return { ok: problems.length === 0, checked: checked.length, problems };
}

/** 4xx statuses a later try may pass (timeout, conflict, too early): fail_fast does not count them. */
const RETRYABLE_4XX: ReadonlySet<number> = new Set([408, 409, 425]);

/**
 * fail_fast: watches a load phase's first `n` completed requests; when every one of them failed
 * with a non-retryable 4xx (a wrong key, an unknown model, a wrong path), the phase is sending a
 * storm of requests that will all fail the same way, so `observe` returns the reason to stop it.
 * Only the first `n` count: a phase that got through them healthy is never stopped later.
 */
export function createFailFast(n: number | undefined): {
  observe(sample: RequestSample): string | undefined;
} {
  let seen = 0;
  let clientErrors = 0;
  const statuses = new Set<number>();
  return {
    observe(sample) {
      if (n === undefined || seen >= n) return undefined;
      seen++;
      const f = sample.failure;
      if (!sample.ok && f?.kind === "http_4xx" && f.status !== undefined && !RETRYABLE_4XX.has(f.status)) {
        clientErrors++;
        statuses.add(f.status);
      }
      if (seen < n || clientErrors < n) return undefined;
      const codes = [...statuses].sort((a, b) => a - b).map((s) => `HTTP ${s}`);
      return `fail_fast: stopped after its first ${n} requests all failed with ${codes.join(", ")}`;
    },
  };
}

/**
 * Run health of shards merged into one run: each shard's problems, less those the merged figures
 * answer (a phase that failed everywhere on one shard but succeeded on another had successes).
 * Undefined when no shard recorded health (runs written before it existed).
 */
export function mergeHealth(
  runs: ReadonlyArray<{ health?: RunHealth }>,
  phases: ReadonlyArray<{ target: string; phase: string; successes: number }>,
): RunHealth | undefined {
  const recorded = runs.flatMap((r) => (r.health ? [r.health] : []));
  if (recorded.length === 0) return undefined;
  const succeeded = (p: HealthProblem) =>
    p.kind === "no_success" &&
    phases.some((a) => a.target === p.target && a.phase === p.phase && a.successes > 0);
  const problems = recorded.flatMap((h) => h.problems).filter((p) => !succeeded(p));
  return { ok: problems.length === 0, checked: Math.max(...recorded.map((h) => h.checked)), problems };
}

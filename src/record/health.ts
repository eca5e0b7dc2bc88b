import type { FailureKind } from "./failure.js";

/**
 * Run health: whether every phase the run measured got at least one successful request. It is
 * always on, whatever the suite's thresholds say: a phase whose requests all failed measured the
 * failure, not the deployment, and a gate must not pass on it. An unhealthy run could not complete
 * (exit 3); thresholds such as `error_rate` can only be stricter.
 */

/** Why a phase is a problem: no request succeeded, or it was stopped by fail_fast. */
export type HealthProblemKind = "no_success" | "fail_fast";

/** One kind of failure a phase saw, with the server's own words and what to do about it. */
export interface HealthError {
  kind: FailureKind;
  /** The HTTP status, for failures that had one. */
  status?: number;
  count: number;
  /** The server's own message (or the client's, for timeouts and connections), cut short. */
  message: string;
  /** What the user can do: check api_key, add /v1, the models the server lists, raise a timeout. */
  hint?: string;
}

export interface HealthProblem {
  target: string;
  /** The phase as the suite names it (`quality`, a load phase, a sweep). */
  phase: string;
  kind: HealthProblemKind;
  /** Requests recorded in the phase (sent = recorded). */
  requests: number;
  /** One line: "no successful request (21 of 21 failed)", "stopped after its first 20 ...". */
  reason: string;
  /** The failures, most frequent first. */
  errors: HealthError[];
}

export interface RunHealth {
  ok: boolean;
  /** Phases checked: every (target, phase) that sent a request or answered from the cache. */
  checked: number;
  problems: HealthProblem[];
}

import { ExitCode, type ExitCodeValue } from "../errors.js";
import type { RunHealth } from "./health.js";
import type { RunStatus } from "./run-result.js";
import type { Verdict } from "./verdict.js";

/** What a command ended with, as far as its exit code cares. */
export interface Outcome {
  /** How the work ended; `compare` and `merge` judge saved figures, so theirs is "completed". */
  status: RunStatus;
  verdicts: ReadonlyArray<Pick<Verdict, "pass">>;
  /** Run health (see RunHealth): a phase with no successful request means the run could not complete. */
  health?: Pick<RunHealth, "ok">;
}

/**
 * The exit code of a run, merge, compare or probe: interrupted 130; could not complete (nothing
 * reachable, aborted by an abort_on_fail threshold, or a phase without one successful request) 3;
 * a failed threshold 99; else 0. Run health outranks thresholds: figures of a phase whose requests
 * all failed measure the failure, so no verdict on them can pass or fail the deployment. Invalid
 * input (2) never gets this far: it is a UsageError or ConfigError thrown before anything is sent.
 */
export function exitCodeOf(outcome: Outcome): ExitCodeValue {
  switch (outcome.status) {
    case "interrupted":
      return ExitCode.interrupted;
    case "aborted":
    case "unreachable":
      return ExitCode.incomplete;
    case "completed":
      if (outcome.health?.ok === false) return ExitCode.incomplete;
      return outcome.verdicts.some((v) => !v.pass) ? ExitCode.thresholdFailed : ExitCode.ok;
  }
}

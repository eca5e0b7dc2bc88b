import { ExitCode, type ExitCodeValue } from "../errors.js";
import type { RunStatus } from "./run-result.js";
import type { Verdict } from "./verdict.js";

/** What a command ended with, as far as its exit code cares. */
export interface Outcome {
  /** How the work ended; `compare` and `merge` judge saved figures, so theirs is "completed". */
  status: RunStatus;
  verdicts: ReadonlyArray<Pick<Verdict, "pass">>;
}

/**
 * The exit code of a run, merge, compare or probe: interrupted 130; could not complete (nothing
 * reachable, or aborted by an abort_on_fail threshold) 3; a failed threshold 99; else 0. Invalid
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
      return outcome.verdicts.some((v) => !v.pass) ? ExitCode.thresholdFailed : ExitCode.ok;
  }
}

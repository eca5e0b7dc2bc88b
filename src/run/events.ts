import type { CaseOutcome } from "../record/case-outcome.js";
import type { RequestSample } from "../record/request-sample.js";
import type { RunResult } from "../record/run-result.js";

/**
 * The one event stream a run produces. The live UI, the plain CI reporter and the
 * requests.ndjson writer are all consumers of it.
 */
export type RunEvent =
  | { type: "run_started"; suite: string; targets: string[]; cases: number }
  | { type: "target_started"; target: string; phase: string; total?: number; durationS?: number }
  | { type: "target_unreachable"; target: string; message: string }
  /** `retried`: a failed attempt of a quality case that was sent again (the case ends with a later one). */
  | {
      type: "request_finished";
      sample: RequestSample;
      outcome?: CaseOutcome;
      warmup?: boolean;
      retried?: boolean;
    }
  | { type: "target_finished"; target: string; phase: string }
  | { type: "warning"; message: string }
  | { type: "interrupted"; reason: string }
  | { type: "run_finished"; result: RunResult };

export type RunEventSink = (event: RunEvent) => void;

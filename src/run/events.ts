import type { CaseOutcome } from "../record/case-outcome.js";
import type { RequestSample } from "../record/request-sample.js";
import type { RunResult } from "../record/run-result.js";
import type { OfferedLoad } from "../load/phase-executor.js";

/**
 * The one event stream a run produces. The live UI, the plain CI reporter and the
 * requests.ndjson writer are all consumers of it.
 */
export type RunEvent =
  /** `loadS`/`phaseRuns`: the load phases' planned length and count (see estimateLoadDuration). */
  | {
      type: "run_started";
      suite: string;
      targets: string[];
      cases: number;
      loadS?: number;
      phaseRuns?: number;
    }
  /** `shape`: a load phase's kind and shape in words (`closed loop, 8 users, for 5s`). */
  | {
      type: "target_started";
      target: string;
      phase: string;
      total?: number;
      durationS?: number;
      shape?: string;
    }
  /**
   * Twice a second while a load phase runs: requests in flight and sent so far, and what the phase
   * offers now (its users, or its arrival rate, where a ramp has got to).
   */
  | {
      type: "phase_progress";
      target: string;
      phase: string;
      inFlight: number;
      sent: number;
      offered: OfferedLoad;
    }
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

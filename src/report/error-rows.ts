import { FAILURE_KINDS, type FailureKind } from "../record/failure.js";
import type { RunResult } from "../record/run-result.js";

/** One kind of failed request in one target's phase, as summary.md and report.html both list it. */
export interface ErrorRow {
  target: string;
  phase: string;
  kind: FailureKind;
  count: number;
  /** Its share of the phase's requests (client errors included), e.g. `12.5%`; `-` when none were sent. */
  share: string;
  /** The first failure of that kind: its HTTP status (when it had one) and message. */
  status?: number;
  message: string;
}

/** Failed requests by kind, per target and phase (quality and sweep steps included); empty when nothing failed. */
export function errorRows(run: RunResult): ErrorRow[] {
  return run.phases.flatMap((a) =>
    FAILURE_KINDS.filter((k) => a.errorsByKind[k] > 0).map((kind) => {
      const first = a.failureSamples?.find((f) => f.kind === kind);
      const total = a.requests + (a.clientErrors ?? 0);
      const count = a.errorsByKind[kind];
      return {
        target: a.target,
        phase: a.phase,
        kind,
        count,
        share: total > 0 ? `${((count / total) * 100).toFixed(1)}%` : "-",
        ...(first?.status !== undefined ? { status: first.status } : {}),
        message: first?.message ?? "",
      };
    }),
  );
}

import { FAILURE_KINDS } from "../record/failure.js";
import type { RunResult } from "../record/run-result.js";
import { mdTable } from "./markdown-table.js";
import { clip } from "./xml.js";

/**
 * summary.md's failed requests by kind, per target and phase (quality and sweep steps included),
 * each with its count, its share of the phase's requests and the first message of that kind (with
 * its HTTP status), so a reader sees what failed without opening requests.ndjson. Empty when
 * nothing failed.
 */
export function errorsSection(run: RunResult): string[] {
  const rows = run.phases.flatMap((a) =>
    FAILURE_KINDS.filter((k) => a.errorsByKind[k] > 0).map((k) => {
      const first = a.failureSamples?.find((f) => f.kind === k);
      const total = a.requests + (a.clientErrors ?? 0);
      return [
        a.target,
        a.phase,
        k,
        String(a.errorsByKind[k]),
        total > 0 ? `${((a.errorsByKind[k] / total) * 100).toFixed(1)}%` : "-",
        first?.status !== undefined ? String(first.status) : "",
        clip(first?.message ?? "", 200),
      ];
    }),
  );
  if (rows.length === 0) return [];
  return [
    "### Errors by kind",
    "",
    mdTable(["target", "phase", "kind", "count", "share", "http", "first message"], rows, [
      "l",
      "l",
      "l",
      "r",
      "r",
      "r",
      "l",
    ]),
  ];
}

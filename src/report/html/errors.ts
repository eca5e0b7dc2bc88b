import { FAILURE_KINDS } from "../../record/failure.js";
import type { RunResult } from "../../record/run-result.js";
import { clip, xmlText } from "../xml.js";
import { badge, htmlTable, section } from "./status.js";

/**
 * Failed requests by kind, per target and phase (quality and sweep steps included), each with the
 * first message recorded of that kind and its HTTP status; every row is a failure, so every row is
 * marked. Empty when nothing failed.
 */
export function errorsSection(run: RunResult): string {
  const rows = run.phases.flatMap((a) =>
    FAILURE_KINDS.filter((k) => a.errorsByKind[k] > 0).map((k) => {
      const first = a.failureSamples?.find((f) => f.kind === k);
      const total = a.requests + (a.clientErrors ?? 0);
      return {
        fail: true,
        cells: [
          badge(false),
          xmlText(a.target),
          xmlText(a.phase),
          `<code>${k}</code>`,
          String(a.errorsByKind[k]),
          total > 0 ? `${((a.errorsByKind[k] / total) * 100).toFixed(1)}%` : "-",
          first?.status !== undefined ? String(first.status) : "",
          xmlText(clip(first?.message ?? "", 240)),
        ],
      };
    }),
  );
  if (rows.length === 0) return "";
  return section("errors", "Errors by kind", [
    htmlTable(
      ["status", "target", "phase", "kind", "count", "share", "http", "first message"],
      rows,
      [4, 5, 6],
    ),
  ]);
}

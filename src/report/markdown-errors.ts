import type { RunResult } from "../record/run-result.js";
import { errorRows } from "./error-rows.js";
import { mdTable } from "./markdown-table.js";
import { clip } from "./xml.js";

/**
 * summary.md's failed requests by kind, per target and phase (quality and sweep steps included),
 * each with its count, its share of the phase's requests and the first message of that kind (with
 * its HTTP status), so a reader sees what failed without opening requests.ndjson. Empty when
 * nothing failed.
 */
export function errorsSection(run: RunResult): string[] {
  const rows = errorRows(run).map((e) => [
    e.target,
    e.phase,
    e.kind,
    String(e.count),
    e.share,
    e.status !== undefined ? String(e.status) : "",
    clip(e.message, 200),
  ]);
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

import type { RunResult } from "../../record/run-result.js";
import { errorRows } from "../error-rows.js";
import { clip, xmlText } from "../xml.js";
import { badge, htmlTable, section } from "./status.js";

/**
 * Failed requests by kind, per target and phase (quality and sweep steps included), each with the
 * first message recorded of that kind and its HTTP status; every row is a failure, so every row is
 * marked. Empty when nothing failed.
 */
export function errorsSection(run: RunResult): string {
  const rows = errorRows(run).map((e) => ({
    fail: true,
    cells: [
      badge(false),
      xmlText(e.target),
      xmlText(e.phase),
      `<code>${e.kind}</code>`,
      String(e.count),
      e.share,
      e.status !== undefined ? String(e.status) : "",
      xmlText(clip(e.message, 240)),
    ],
  }));
  if (rows.length === 0) return "";
  return section("errors", "Errors by kind", [
    htmlTable(
      ["status", "target", "phase", "kind", "count", "share", "http", "first message"],
      rows,
      [4, 5, 6],
    ),
  ]);
}

import type { TargetEconomics } from "../record/aggregate.js";
import type { CaseOutcome } from "../record/case-outcome.js";
import type { RunResult } from "../record/run-result.js";
import { caseReason, caseStatus } from "./case-reason.js";

const COLUMNS = [
  "target",
  "case",
  "prompt",
  "prompt_version",
  "attempt",
  "status",
  "pass",
  "score",
  "ttft_ms",
  "e2e_ms",
  "input_tokens",
  "output_tokens",
  "cost_usd",
  "cached",
  "reason",
  "output",
] as const;

/**
 * One CSV field per RFC 4180: quoted when it holds a comma, quote or line break. Text a spreadsheet
 * would run as a formula (leading = + - @) gets a leading apostrophe, so an answer cannot execute
 * in the sheet of whoever opens the file.
 */
export function csvField(value: string | number | boolean | undefined, text = false): string {
  if (value === undefined) return "";
  let s = String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Token-priced cost of one case; undefined when the target is priced by GPU-hour or not at all. */
function caseCost(o: CaseOutcome, e: TargetEconomics | undefined): number | undefined {
  if (!e || e.gpuHourUsd !== undefined) return undefined;
  if (e.inputPerMtok === undefined && e.outputPerMtok === undefined) return undefined;
  if (e.inputPerMtok && o.inputTokens === undefined) return undefined;
  return ((o.inputTokens ?? 0) * (e.inputPerMtok ?? 0) + o.outputTokens * (e.outputPerMtok ?? 0)) / 1e6;
}

const round = (x: number | undefined, digits: number) =>
  x === undefined || !Number.isFinite(x) ? undefined : Number(x.toFixed(digits));

/**
 * cases.csv: one row per quality case and target, with the answer, score, verdict, latency,
 * tokens and cost (token-priced targets), and why it failed. Pure.
 */
export function renderCasesCsv(run: RunResult): string {
  const economics = new Map(run.targets.map((t) => [t.name, t.economics]));
  const rows = run.quality.cases.map((c) => {
    const status = caseStatus(c);
    return [
      csvField(c.target, true),
      csvField(c.caseId, true),
      csvField(c.prompt.name, true),
      csvField(c.prompt.version),
      csvField(c.attempt),
      csvField(status),
      csvField(status === "passed"),
      csvField(status === "error" ? undefined : round(c.score, 4)),
      csvField(round(c.ttftMs, 3)),
      csvField(round(c.e2eMs, 3)),
      csvField(c.inputTokens),
      csvField(c.outputTokens),
      csvField(round(caseCost(c, economics.get(c.target)), 8)),
      csvField(c.cached),
      csvField(caseReason(c), true),
      csvField(c.error === undefined ? c.output : "", true),
    ].join(",");
  });
  return [COLUMNS.join(","), ...rows].join("\r\n") + "\r\n";
}

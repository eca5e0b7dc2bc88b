import type { RunResult } from "../record/run-result.js";
import { caseLabel, caseReason, caseStatus } from "./case-reason.js";
import {
  comparisonSection,
  loadSection,
  qualitySection,
  sweepSection,
  tasksSection,
} from "./markdown-sections.js";
import { mdCell, mdTable } from "./markdown-table.js";
import { measurementSection } from "./measurement-text.js";
import { serverSection } from "./server-text.js";
import { observedText, verdictLine } from "./verdict-line.js";
import { cacheText } from "./cache-line.js";
import { healthSection } from "./health.js";
import { errorsSection } from "./markdown-errors.js";
import { clip } from "./xml.js";

/** Failed cases listed in the summary; the rest are in cases.csv and review.jsonl. */
const MAX_FAILED_CASES = 30;

function thresholdRows(run: RunResult, onlyFailed: boolean): string[][] {
  const judged = run.thresholds
    .filter((v) => !onlyFailed || !v.pass)
    .map((v) => [v.pass ? "✅ pass" : "❌ fail", v.key, v.expression, observedText(v), v.reason]);
  if (onlyFailed) return judged;
  const skipped = (run.skippedThresholds ?? []).map((t) => ["⏭ skipped", t.key, t.expression, "-", t.reason]);
  return [...judged, ...skipped];
}

function failedCases(run: RunResult): string[] {
  const failed = run.quality.cases.filter((c) => caseStatus(c) !== "passed");
  if (failed.length === 0) return [];
  const rows = failed
    .slice(0, MAX_FAILED_CASES)
    .map((c) => [c.target, caseLabel(c), caseStatus(c), clip(caseReason(c), 160), clip(c.output, 120)]);
  const more =
    failed.length > MAX_FAILED_CASES
      ? `\n\n…and ${failed.length - MAX_FAILED_CASES} more (see cases.csv and review.jsonl).`
      : "";
  return [
    `### Failed cases (${failed.length})`,
    "",
    mdTable(["target", "case", "status", "reason", "output"], rows) + more,
  ];
}

/**
 * summary.md, the report a person reads first (also what goes to $GITHUB_STEP_SUMMARY): the verdict,
 * then the failed thresholds with observed vs limit, then quality, latency, sweep and comparison
 * tables, every threshold, and the failed cases. GitHub-flavoured Markdown; pure.
 */
export function renderMarkdown(run: RunResult): string {
  const verdict = verdictLine(run);
  const out: string[] = [
    `## ${verdict.ok ? "✅" : "❌"} Gauntlet ${mdCell(run.suite.name)}: ${verdict.text}`,
    "",
    [
      `suite \`${mdCell(run.suite.file)}\``,
      `${run.targets.length} target(s): ${run.targets.map((t) => `${mdCell(t.name)} (${mdCell(t.model)})`).join(", ")}`,
      `started ${mdCell(run.startedAt)}`,
      `gauntlet ${mdCell(run.tool.version)}`,
      mdCell(cacheText(run) ?? "cache off: every answer measured"),
    ].join(" · "),
  ];
  for (const t of run.targets.filter((t) => !t.reachable))
    out.push("", `> ❌ **${mdCell(t.name)}** unreachable: ${mdCell(t.unreachableReason ?? "")}`);
  const health = healthSection(run);
  if (health.length > 0) out.push("", ...health);
  const failed = thresholdRows(run, true);
  if (failed.length > 0) {
    out.push("", "### Failed thresholds", "");
    out.push(mdTable(["", "threshold", "condition", "observed", "why"], failed));
  }
  out.push(...detailSections(run));
  return out.join("\n") + "\n";
}

/**
 * The tables below summary.md's head, each section preceded by a blank line: quality, task metrics,
 * latency, measurement, server, sweep (with its curve), comparison, errors by kind, every threshold
 * and the failed cases. report.html, which draws its own errors table, asks for it without one. report.html
 * shows them under its charts.
 */
export function detailSections(run: RunResult, options: { errors?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const section of [
    qualitySection(run),
    tasksSection(run),
    loadSection(run),
    measurementSection(run),
    serverSection(run),
    sweepSection(run),
    comparisonSection(run),
    options.errors === false ? [] : errorsSection(run),
  ]) {
    if (section.length > 0) out.push("", ...section);
  }
  if (run.thresholds.length > 0 || (run.skippedThresholds ?? []).length > 0) {
    out.push("", "### Thresholds", "");
    out.push(mdTable(["", "threshold", "condition", "observed", "why"], thresholdRows(run, false)));
  }
  const cases = failedCases(run);
  if (cases.length > 0) out.push("", ...cases);
  return out;
}

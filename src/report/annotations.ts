import type { RunResult } from "../record/run-result.js";
import { verdictLine } from "./verdict-line.js";

/** GitHub shows at most 10 error annotations per step; more would only be dropped. */
const MAX_ANNOTATIONS = 10;

// GitHub's workflow-command escaping: data escapes % CR LF; property values also : and ,.
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/**
 * `::error::` workflow commands for GitHub Actions: one per failed threshold (the first ones, up to
 * GitHub's limit), or one for a run that aborted, was interrupted or reached no target. Each names
 * the suite file, and the threshold's line when `lineOf` knows it, so the annotation points there.
 * Pure; empty when everything passed.
 */
export function renderAnnotations(
  run: RunResult,
  options: { max?: number; lineOf?: (key: string) => number | undefined } = {},
): string {
  const max = options.max ?? MAX_ANNOTATIONS;
  const file = `file=${escapeProperty(run.suite.file)}`;
  const lines: string[] = [];
  const verdict = verdictLine(run);
  if (run.status !== "completed") {
    lines.push(
      `::error ${file},title=${escapeProperty("Gauntlet: run incomplete")}::${escapeData(verdict.text)}`,
    );
  }
  const failed = run.thresholds.filter((v) => !v.pass);
  for (const v of failed.slice(0, Math.max(0, max - lines.length))) {
    const line = options.lineOf?.(v.key);
    const where = line === undefined ? file : `${file},line=${line}`;
    const title = escapeProperty(`Gauntlet threshold failed: ${v.key}`);
    lines.push(`::error ${where},title=${title}::${escapeData(`${v.key} ${v.expression}: ${v.reason}`)}`);
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}

import type { ComparisonResult } from "../record/comparison.js";
import type { RunResult } from "../record/run-result.js";
import { caseReason, caseStatus } from "./case-reason.js";

/**
 * What a case was asked, when the caller knows it (the run's plan), keyed by caseInputKey; run.json
 * does not keep it.
 */
export type CaseInputs = ReadonlyMap<string, unknown>;

/** The key of a case's input: its id and prompt (a case may run under several prompts). */
export const caseInputKey = (caseId: string, prompt: string) => JSON.stringify([caseId, prompt]);

/** The review queue's reasons, from most to least urgent. */
export type ReviewKind = "error" | "failed" | "regression" | "flagged";

interface Regression {
  against: string;
  baselineOutput: string;
  /** Whether an outcome's prompt is the one that regressed (see regressions). */
  prompt: (p: { name: string; version: number }) => boolean;
}

/**
 * Regressions by target, case and run: the candidate failed where the baseline passed. The
 * candidate's prompt is the flip's own (paired by id and prompt), the candidate prompt of a prompt
 * comparison, or any (paired by case id alone, where the flip records the baseline's).
 */
function regressions(list: Array<{ cmp: ComparisonResult; against: string }>): Map<string, Regression[]> {
  const out = new Map<string, Regression[]>();
  for (const { cmp, against } of list)
    for (const f of cmp.flips.regressions) {
      const key = JSON.stringify([cmp.by?.target ?? cmp.candidate.target, f.caseId, f.attempt ?? null]);
      const prompt = cmp.by
        ? (p: { name: string }) => p.name === cmp.candidate.target
        : cmp.pairedBy === "case"
          ? () => true
          : (p: { name: string; version: number }) =>
              p.version === f.promptVersion && (f.prompt === undefined || p.name === f.prompt);
      out.set(key, [...(out.get(key) ?? []), { against, baselineOutput: f.baselineOutput, prompt }]);
    }
  return out;
}

/**
 * review.jsonl: every case a person should look at before a deploy, one JSON line each: a failed
 * request, a failed answer, a regression (failed here, passed on the compare baseline or the saved
 * --baseline run), or a pass that was not clean (some weighted assertion failed). Each carries its
 * target, input when known, output and reason. Pure.
 */
export function renderReview(run: RunResult, inputs?: CaseInputs): string {
  const flips = regressions([
    ...run.comparisons.map((cmp) => ({ cmp, against: `target ${cmp.baseline.target}` })),
    ...(run.baseline?.comparisons ?? []).map((cmp) => ({
      cmp,
      against: `baseline run ${run.baseline!.file}`,
    })),
  ]);
  const lines: string[] = [];
  for (const c of run.quality.cases) {
    const status = caseStatus(c);
    const flip = flips
      .get(JSON.stringify([c.target, c.caseId, c.attempt ?? null]))
      ?.find((r) => r.prompt(c.prompt));
    const flagged = status === "passed" && c.score < 1 && (c.assertions ?? []).some((a) => !a.pass);
    if (status === "passed" && !flagged) continue;
    const kind: ReviewKind =
      status === "error" ? "error" : flip ? "regression" : flagged ? "flagged" : "failed";
    const reason = flip ? `${caseReason(c)}; passed on ${flip.against}` : caseReason(c);
    lines.push(
      JSON.stringify({
        kind,
        target: c.target,
        case: c.caseId,
        prompt: c.prompt.name,
        prompt_version: c.prompt.version,
        attempt: c.attempt,
        reason,
        score: status === "error" ? undefined : c.score,
        input: inputs?.get(caseInputKey(c.caseId, c.prompt.name)),
        output: c.output,
        baseline_output: flip?.baselineOutput,
        assertions: (c.assertions ?? []).filter((a) => !a.pass),
      }),
    );
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}

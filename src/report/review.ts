import type { ComparisonResult } from "../record/comparison.js";
import type { RunResult } from "../record/run-result.js";
import { caseReason, caseStatus } from "./case-reason.js";

/** What a case was asked, when the caller knows it (the run's plan); run.json does not keep it. */
export type CaseInputs = ReadonlyMap<string, unknown>;

/** The review queue's reasons, from most to least urgent. */
export type ReviewKind = "error" | "failed" | "regression" | "flagged";

interface Regression {
  against: string;
  baselineOutput: string;
}

/** Regressions by target and case: the candidate failed where the baseline passed. */
function regressions(list: Array<{ cmp: ComparisonResult; against: string }>): Map<string, Regression> {
  const out = new Map<string, Regression>();
  for (const { cmp, against } of list)
    for (const f of cmp.flips.regressions)
      out.set(JSON.stringify([cmp.candidate.target, f.caseId, f.promptVersion]), {
        against,
        baselineOutput: f.baselineOutput,
      });
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
    const flip = flips.get(JSON.stringify([c.target, c.caseId, c.prompt.version]));
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
        input: inputs?.get(c.caseId),
        output: c.output,
        baseline_output: flip?.baselineOutput,
        assertions: (c.assertions ?? []).filter((a) => !a.pass),
      }),
    );
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}

import type { CaseOutcome } from "../record/case-outcome.js";

/** How a case ended, for every report that lists cases. */
export type CaseStatus = "passed" | "failed" | "error";

/** A failed request is an error, not a failure of the answer: CI tools show the two apart. */
export function caseStatus(o: CaseOutcome): CaseStatus {
  if (o.error !== undefined) return "error";
  return o.pass ? "passed" : "failed";
}

/**
 * Why a case failed, or what held back a pass, in words: the request error, else the reasons of the
 * assertions that did not pass. Empty for a clean pass.
 */
export function caseReason(o: CaseOutcome): string {
  if (o.error !== undefined) return `request failed: ${o.error}`;
  const failing = (o.assertions ?? []).filter((a) => !a.pass).map((a) => `${a.type}: ${a.reason}`);
  if (o.pass) return failing.length ? `passed with score ${o.score.toFixed(2)}; ${failing.join("; ")}` : "";
  return failing.length ? failing.join("; ") : `score ${o.score.toFixed(2)} below the case threshold`;
}

/** The case's id as reports show it: `id`, or `id@v2` when the prompt is past its first version. */
export function caseLabel(o: Pick<CaseOutcome, "caseId" | "prompt">): string {
  return o.prompt.version === 1 ? o.caseId : `${o.caseId}@v${o.prompt.version}`;
}

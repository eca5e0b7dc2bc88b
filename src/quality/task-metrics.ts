import type { TargetTaskMetrics } from "../record/task-metrics.js";
import type { CaseOutcome } from "../record/case-outcome.js";
import { classify } from "./classification.js";
import { summarizeRepeats } from "./repeats.js";
import { scoreSet, summarizeSets } from "./set-metrics.js";

const outputOf = (o: CaseOutcome) => (o.error === undefined ? o.output : undefined);

/**
 * Classification, extraction and repeat metrics per target, from the case outcomes alone (so a
 * saved run re-derives them). A failed request counts: as no label, as no items, as a failed run.
 */
export function taskMetrics(
  targets: readonly string[],
  outcomes: readonly CaseOutcome[],
): TargetTaskMetrics[] {
  return targets.flatMap((target) => {
    const mine = outcomes.filter((o) => o.target === target);
    const out: TargetTaskMetrics = { target };
    const labelled = mine.filter((o) => o.label !== undefined);
    if (labelled.length > 0)
      out.classification = classify(labelled.map((o) => ({ label: o.label!, output: outputOf(o) })));
    const listed = mine.filter((o) => o.expected !== undefined);
    if (listed.length > 0)
      out.extraction = summarizeSets(listed.map((o) => scoreSet(outputOf(o), o.expected!)));
    const repeats = summarizeRepeats(
      mine.map((o) => ({ caseId: `${o.caseId}@v${o.prompt.version}`, pass: o.pass, output: outputOf(o) })),
    );
    if (repeats) {
      // Case ids in the report as the user wrote them; the version only kept distinct cases apart.
      for (const c of repeats.cases) c.caseId = c.caseId.replace(/@v\d+$/, "");
      out.repeats = repeats;
    }
    return out.classification || out.extraction || out.repeats ? [out] : [];
  });
}

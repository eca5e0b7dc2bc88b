import type { ConfigIssue } from "../errors.js";
import type { Threshold } from "../record/verdict.js";
import type { MetricName } from "../thresholds/metrics.js";
import { parseThreshold, ThresholdSyntaxError } from "../thresholds/parse.js";
import { thresholdRangeProblem } from "../thresholds/range.js";
import { parseDurationMs } from "../util/duration.js";
import type { IssueAt } from "./issue-at.js";
import type { FieldPath } from "./locate.js";
import type { Suite } from "./schema.js";

/**
 * Parses every threshold and checks what can be known before sending anything: the metric exists,
 * tags name real targets, phases and candidates, comparison metrics have a `compare` section.
 */
export function resolveThresholds(
  suite: Suite,
  phases: Set<string>,
  at: IssueAt,
  issues: ConfigIssue[],
): Array<Threshold<MetricName>> {
  const out: Array<Threshold<MetricName>> = [];
  for (const [key, value] of Object.entries(suite.thresholds)) {
    const entries = Array.isArray(value) ? value : [value];
    entries.forEach((entry, i) => {
      const where: FieldPath = Array.isArray(value) ? ["thresholds", key, i] : ["thresholds", key];
      try {
        const t =
          typeof entry === "string"
            ? parseThreshold(key, entry)
            : parseThreshold(key, entry.threshold, {
                abortOnFail: entry.abort_on_fail,
                delayAbortEvalMs:
                  entry.delay_abort_eval === undefined ? undefined : parseDurationMs(entry.delay_abort_eval),
              });
        const problems: string[] = [];
        const outOfRange = thresholdRangeProblem(t);
        if (outOfRange) return issues.push(at(where, outOfRange));
        if (t.tags.target && !Object.hasOwn(suite.targets, t.tags.target))
          problems.push(`unknown target "${t.tags.target}"`);
        if (t.tags.phase && t.tags.phase !== "quality" && !phases.has(t.tags.phase)) {
          problems.push(`unknown phase "${t.tags.phase}" (phases: ${["quality", ...phases].join(", ")})`);
        }
        if (t.metric.startsWith("compare.")) {
          if (!suite.compare) problems.push(`${t.metric} needs a compare section`);
          else if (t.tags.candidate && !suite.compare.candidates.includes(t.tags.candidate)) {
            problems.push(`"${t.tags.candidate}" is not a compare candidate`);
          }
        }
        if (problems.length > 0) issues.push(at(where, `threshold ${key}: ${problems.join("; ")}`));
        else out.push(t);
      } catch (err) {
        if (!(err instanceof ThresholdSyntaxError)) throw err;
        issues.push(at(where, err.message));
      }
    });
  }
  return out;
}

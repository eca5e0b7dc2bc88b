import type { ConfigIssue } from "../errors.js";
import type { Threshold } from "../record/verdict.js";
import { metricDef, type MetricName } from "../thresholds/metrics.js";
import { parseThreshold, ThresholdSyntaxError } from "../thresholds/parse.js";
import { thresholdRangeProblem } from "../thresholds/range.js";
import { parseDurationMs } from "../util/duration.js";
import type { IssueAt } from "./issue-at.js";
import type { FieldPath } from "./locate.js";
import type { Suite } from "./schema.js";

/**
 * A rate capped at 1 without a unit: a fraction, so 1 is 100% and the threshold fails only when
 * every request fails. k6 users write `rate < 0.01`; others mean one per cent and forgot the `%`.
 */
function bareOneWarning(t: Threshold<MetricName>): string | undefined {
  if (metricDef(t.metric).unit !== "fraction" || t.limit !== 1) return undefined;
  if ((t.op !== "<" && t.op !== "<=") || /%|pp/.test(t.expression)) return undefined;
  return `"${t.expression}" reads 1 as a fraction, so the limit is 100% and only a run where every request fails breaks it: write "${t.op} 1%" for one per cent (or "${t.op} 100%" to keep this)`;
}

/**
 * Parses every threshold and checks what can be known before sending anything: the metric exists,
 * tags name real targets, phases and candidates, comparison metrics have a `compare` section.
 * What is valid but most likely not meant goes to `warnings`.
 */
export function resolveThresholds(
  suite: Suite,
  phases: Set<string>,
  at: IssueAt,
  issues: ConfigIssue[],
  warnings: ConfigIssue[] = [],
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
        const doubtful = bareOneWarning(t);
        if (doubtful) warnings.push(at(where, doubtful));
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

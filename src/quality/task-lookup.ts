import type { Threshold } from "../thresholds/parse.js";
import type { TargetTaskMetrics } from "../record/task-metrics.js";

/** The `quality.*` task metrics thresholds and comparisons can name, beyond `quality.pass_rate`. */
export const TASK_METRICS = [
  "quality.f1",
  "quality.precision",
  "quality.recall",
  "quality.macro_f1",
  "quality.micro_f1",
  "quality.accuracy",
  "quality.set_precision",
  "quality.set_recall",
  "quality.set_f1",
  "quality.pass_at_k",
  "quality.pass_hat_k",
  "quality.consistency",
] as const;

function valueOf(m: TargetTaskMetrics, t: Threshold): number | undefined {
  const c = m.classification;
  const label = t.tags.label;
  const perLabel = label === undefined ? undefined : c?.perLabel.find((s) => s.label === label);
  switch (t.metric) {
    case "quality.f1":
      return perLabel?.f1;
    case "quality.precision":
      return perLabel?.precision;
    case "quality.recall":
      return perLabel?.recall;
    case "quality.macro_f1":
      return c?.macro.f1;
    case "quality.micro_f1":
      return c?.micro.f1;
    case "quality.accuracy":
      return c?.accuracy;
    case "quality.set_precision":
      return m.extraction?.micro.precision;
    case "quality.set_recall":
      return m.extraction?.micro.recall;
    case "quality.set_f1":
      return m.extraction?.micro.f1;
    case "quality.pass_at_k":
      return m.repeats?.passAtK[m.repeats.k - 1];
    case "quality.pass_hat_k":
      return m.repeats?.passHatK[m.repeats.k - 1];
    case "quality.consistency":
      return m.repeats?.consistency;
  }
  return undefined;
}

/**
 * Resolves a task metric: for the `target` tag's target, or the worst (lowest) over every target
 * that has it. Undefined when no target has it (no labelled cases, an unknown label, no repeats),
 * which a threshold reports as "no samples", never as a pass. pass_at_k and pass_hat_k are at k =
 * the largest repeat count.
 */
export function taskMetric(tasks: readonly TargetTaskMetrics[], t: Threshold): number | undefined {
  const values = tasks
    .filter((m) => !t.tags.target || m.target === t.tags.target)
    .map((m) => valueOf(m, t))
    .filter((v): v is number => v !== undefined && !Number.isNaN(v));
  return values.length ? Math.min(...values) : undefined;
}

const CLASSIFICATION = new Set([
  "quality.f1",
  "quality.precision",
  "quality.recall",
  "quality.macro_f1",
  "quality.micro_f1",
  "quality.accuracy",
  "compare.macro_f1_delta",
]);
const PER_LABEL = new Set(["quality.f1", "quality.precision", "quality.recall"]);

/**
 * Why a task-metric threshold can get no value from these cases, known before anything is sent (no
 * case has a `label:`, the tagged label is none of the cases', nothing repeats, ...); undefined when
 * it can, or for metrics that are not task metrics.
 */
export function taskMetricProblem(
  t: Threshold,
  cases: ReadonlyArray<{ label?: string; expected?: string[]; repeat: number }>,
): string | undefined {
  if (CLASSIFICATION.has(t.metric)) {
    const labels = [...new Set(cases.flatMap((c) => (c.label === undefined ? [] : [c.label])))].sort();
    if (labels.length === 0) return 'no case has a label (add label: "{{label}}" to the cases)';
    if (!PER_LABEL.has(t.metric)) return undefined;
    const label = t.tags.label;
    if (label === undefined)
      return `${t.metric} is per label: name one, e.g. ${t.metric}{label:${labels[0]}}`;
    if (!labels.includes(label)) return `no case has label "${label}" (labels: ${labels.join(", ")})`;
    return undefined;
  }
  if (t.metric.startsWith("quality.set_") && !cases.some((c) => c.expected !== undefined))
    return "no case has expected: items";
  if (
    ["quality.pass_at_k", "quality.pass_hat_k", "quality.consistency"].includes(t.metric) &&
    !cases.some((c) => c.repeat > 1)
  )
    return "no case repeats (set quality.repeat or a case's repeat: K)";
  return undefined;
}

import type { ClassificationReport, LabelStats } from "../record/task-metrics.js";

/** The confusion matrix column for an output that is not one of the labels (or no output). */
export const NO_LABEL = "(no label)";

/**
 * What the output reads as: trimmed, outer quotes and trailing punctuation dropped, any case. Quotes
 * and punctuation are peeled in turn until neither is left, so `"refund".`, `'refund':` and
 * `"refund."` all read as refund.
 */
function normalize(text: string): string {
  let out = text.trim();
  for (;;) {
    const next = out
      .replace(/^["'`]+|["'`]+$/g, "")
      .replace(/[.!;:,]+$/, "")
      .trim();
    if (next === out) return out.toLowerCase();
    out = next;
  }
}

/**
 * The label an output is read as: the known label it equals after normalising (trim, outer quotes,
 * trailing punctuation, case), else NO_LABEL. An answer with extra words is not guessed at.
 */
export function predictedLabel(output: string | undefined, labels: readonly string[]): string {
  if (output === undefined) return NO_LABEL;
  const text = normalize(output);
  return labels.find((l) => normalize(l) === text) ?? NO_LABEL;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const harmonic = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/**
 * Per-label precision, recall and F1, macro and micro averages and the confusion matrix, for cases
 * with an expected label. Labels are the expected labels seen, sorted. A ratio with a zero
 * denominator is 0 (sklearn's zero_division=0). `output` undefined means the request failed.
 */
export function classify(rows: ReadonlyArray<{ label: string; output?: string }>): ClassificationReport {
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const columns = [...labels, NO_LABEL];
  const counts = labels.map(() => columns.map(() => 0));
  for (const r of rows) {
    const predicted = predictedLabel(r.output, labels);
    counts[labels.indexOf(r.label)]![columns.indexOf(predicted)]!++;
  }
  const perLabel = labels.map((label, i): LabelStats => {
    const truePositives = counts[i]![i]!;
    const support = counts[i]!.reduce((s, x) => s + x, 0);
    const predicted = counts.reduce((s, row) => s + row[i]!, 0);
    const precision = ratio(truePositives, predicted);
    const recall = ratio(truePositives, support);
    return { label, support, predicted, truePositives, precision, recall, f1: harmonic(precision, recall) };
  });
  const mean = (f: (s: LabelStats) => number) =>
    perLabel.length ? perLabel.reduce((s, x) => s + f(x), 0) / perLabel.length : 0;
  const tp = perLabel.reduce((s, x) => s + x.truePositives, 0);
  const predictedTotal = perLabel.reduce((s, x) => s + x.predicted, 0);
  const microP = ratio(tp, predictedTotal);
  const microR = ratio(tp, rows.length);
  return {
    cases: rows.length,
    labels,
    perLabel,
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) },
    micro: { precision: microP, recall: microR, f1: harmonic(microP, microR) },
    accuracy: ratio(tp, rows.length),
    confusion: { columns, counts },
  };
}

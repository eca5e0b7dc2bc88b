import { renderTable } from "./table.js";
import type {
  ClassificationReport,
  RepeatReport,
  SetReport,
  TargetTaskMetrics,
} from "../record/task-metrics.js";

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "n/a");
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "n/a");
const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");

function classification(target: string, c: ClassificationReport): string[] {
  const perLabel = renderTable(
    ["label", "support", "predicted", "precision", "recall", "f1"],
    c.perLabel.map((s) => [
      s.label,
      String(s.support),
      String(s.predicted),
      f3(s.precision),
      f3(s.recall),
      f3(s.f1),
    ]),
  );
  const confusion = renderTable(
    ["expected \\ output", ...c.confusion.columns],
    c.labels.map((l, i) => [l, ...c.confusion.counts[i]!.map(String)]),
  );
  return [
    `classification ${target}: ${c.cases} labelled, accuracy ${pct(c.accuracy)}, macro F1 ${f3(c.macro.f1)}, micro F1 ${f3(c.micro.f1)}`,
    indent(perLabel),
    indent(confusion),
  ];
}

const extraction = (target: string, s: SetReport) =>
  `extraction ${target}: ${s.cases} cases, set precision ${f3(s.micro.precision)}, recall ${f3(s.micro.recall)}, F1 ${f3(s.micro.f1)} (pooled; per-case mean F1 ${f3(s.macro.f1)})`;

function repeats(target: string, r: RepeatReport): string {
  const ks = [...new Set([1, r.k])];
  const at = ks.map((k) => `pass@${k} ${f3(r.passAtK[k - 1]!)}`).join(", ");
  const hat = ks.map((k) => `pass^${k} ${f3(r.passHatK[k - 1]!)}`).join(", ");
  const flaky = r.cases.filter((c) => !c.stable).map((c) => c.caseId);
  const shown = flaky.slice(0, 10).join(", ") + (flaky.length > 10 ? `, ... (${flaky.length} in all)` : "");
  return (
    `repeats ${target}: ${r.cases.length} cases × up to ${r.k} runs, ${at}, ${hat}, ` +
    `output consistency ${pct(r.consistency)}, ${pct(r.stableRate)} of cases gave the same verdict every run` +
    (flaky.length ? `\n  flaky: ${shown}` : "")
  );
}

/**
 * Task metrics for the terminal and Markdown: per-label precision/recall/F1 and the confusion
 * matrix, set precision/recall, pass@k and pass^k with consistency. Pure; empty when none apply.
 */
export function renderTaskMetrics(tasks: readonly TargetTaskMetrics[]): string[] {
  const out: string[] = [];
  for (const t of tasks) {
    if (t.classification) out.push("", ...classification(t.target, t.classification));
    if (t.extraction) out.push("", extraction(t.target, t.extraction));
    if (t.repeats) out.push("", repeats(t.target, t.repeats));
  }
  return out;
}

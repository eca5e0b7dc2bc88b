import type { ConfigIssue } from "../errors.js";
import type { FieldPath } from "./locate.js";
import { missingVariables, renderTemplate, type TemplateVars } from "./template.js";

/** The templated task fields of a case entry (see TaskFields in schema.ts). */
export interface TaskDraft {
  label?: string;
  expected?: string | string[];
  cluster?: string;
  repeat?: number;
}

/** The task fields of an inline case or a `from:` entry, nothing else. */
export const taskOf = (e: TaskDraft): TaskDraft => ({
  label: e.label,
  expected: e.expected,
  cluster: e.cluster,
  repeat: e.repeat,
});

/** A case's resolved task fields. */
export interface PlanTask {
  /** Expected class label (classification metrics), rendered from the case's vars. */
  label?: string;
  /** Expected items (set precision/recall), rendered and split on "|" when given as one string. */
  expected?: string[];
  /** Cases sharing a cluster are not independent: comparisons give cluster-robust errors. */
  cluster?: string;
  /** How many times the case is sent to each target (>= 1). */
  repeat: number;
}

/**
 * Renders a case's label, expected items and cluster from its vars (trimmed), and settles its
 * repeat count (the case's, else the suite's `quality.repeat`). A string `expected` (a dataset
 * column) is split on "|"; a YAML list is taken item by item. Undefined after an issue, each pushed
 * with `issue` so it points at the case's line.
 */
export function resolveTask(
  task: TaskDraft,
  vars: TemplateVars,
  defaultRepeat: number,
  issue: (p: FieldPath, message: string) => ConfigIssue,
  issues: ConfigIssue[],
): PlanTask | undefined {
  const out: PlanTask = { repeat: task.repeat ?? defaultRepeat };
  let ok = true;
  const render = (field: string, template: string): string | undefined => {
    const missing = missingVariables(template, vars);
    if (missing.length === 0) return renderTemplate(template, vars).trim();
    ok = false;
    issues.push(issue([field], `uses {{${missing[0]}}}, which this case does not define`));
    return undefined;
  };
  if (task.label !== undefined) {
    const label = render("label", task.label);
    if (label === "") {
      ok = false;
      issues.push(issue(["label"], "the label is empty for this case"));
    } else if (label !== undefined) out.label = label;
  }
  if (task.cluster !== undefined) {
    const cluster = render("cluster", task.cluster);
    if (cluster) out.cluster = cluster;
  }
  const expected = task.expected;
  if (expected !== undefined) {
    out.expected = (Array.isArray(expected) ? expected : [expected])
      .map((t) => render("expected", t))
      .flatMap((v) => (v === undefined ? [] : Array.isArray(expected) ? [v] : v.split("|")))
      .map((v) => v.trim())
      .filter((v) => v !== "");
  }
  return ok ? out : undefined;
}

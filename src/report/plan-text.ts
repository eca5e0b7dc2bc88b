import type { Plan } from "../config/plan.js";
import { formatValue } from "../thresholds/judge.js";
import { metricDef } from "../thresholds/metrics.js";
import { redactUrl } from "../util/redact.js";
import { describePhase } from "./phase-text.js";

/** What `validate` prints: the resolved plan, with no secret in it. */
export function renderPlan(plan: Plan): string {
  const out: string[] = [`suite ${plan.suiteName} (${plan.suiteFile}): valid`, "", "targets:"];
  for (const t of plan.targets) {
    const where = t.provider === "sim" ? "in-process simulator" : redactUrl(t.baseUrl);
    const extras = [
      t.apiKey ? "api_key: ***" : "",
      Object.keys(t.params).length ? `params: ${JSON.stringify(t.params)}` : "",
      t.grader ? "grader: grades answers, not run" : "",
    ]
      .filter(Boolean)
      .join(", ");
    out.push(`  ${t.name}: ${t.provider} ${t.model} @ ${where}${extras ? ` (${extras})` : ""}`);
  }
  out.push("", `cases: ${plan.cases.length}`);
  for (const c of plan.cases.slice(0, 20)) {
    out.push(`  ${c.id}: prompt ${c.prompt.name}@v${c.prompt.version}, ${c.assertions.length} assertion(s)`);
  }
  if (plan.cases.length > 20) out.push(`  … and ${plan.cases.length - 20} more`);
  out.push("", `load phases: ${plan.load.length || "none"}`);
  for (const p of plan.load) out.push(`  ${describePhase(p)}`);
  if (plan.compare)
    out.push(
      "",
      `compare: ${plan.compare.by === "prompt" ? "prompts " : ""}${plan.compare.baseline} vs ${plan.compare.candidates.join(", ")} (alpha ${plan.compare.alpha})`,
    );
  out.push("", `thresholds: ${plan.thresholds.length || "none"}`);
  for (const t of plan.thresholds) {
    const unit = metricDef(t.metric).unit;
    out.push(`  ${t.key}: ${t.op} ${formatValue(t.limit, unit)}${t.abortOnFail ? " (abort on fail)" : ""}`);
  }
  return out.join("\n");
}

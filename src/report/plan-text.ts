import type { Plan, PlanTarget } from "../config/plan.js";
import { estimateLoadDuration, type DurationEstimate } from "../config/plan-duration.js";
import { formatSpanMs } from "../util/duration.js";
import type { Threshold } from "../record/verdict.js";
import { formatValue } from "../thresholds/judge.js";
import { metricDef, type MetricName } from "../thresholds/metrics.js";
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
      simulatorOf(t),
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
  for (const t of plan.thresholds) out.push(`  ${thresholdLine(t)}`);
  if (plan.export?.otlp)
    out.push("", `export: one span per request to ${redactUrl(plan.export.otlp.url)} (OTLP/HTTP)`);
  out.push("", durationLine(estimateLoadDuration(plan), plan));
  return out.join("\n");
}

/**
 * The estimated duration, as k6 prints "max duration": the load phases' planned length and the most
 * they can take with their time limits; quality calls take what the server takes.
 */
export function durationLine(e: DurationEstimate, plan: Pick<Plan, "cases">): string {
  const quality = plan.cases.length > 0 ? "; quality calls come first and are not estimated" : "";
  if (e.phaseRuns === 0) return `estimated duration: no load phases${quality}`;
  const bounded =
    e.requestBounded > 0 ? `, plus ${e.requestBounded} phase run(s) that end after a request count` : "";
  return `estimated duration: load phases about ${formatSpanMs(e.plannedMs)} (${e.phaseRuns} phase run(s), targets one after another${bounded}), at most ${formatSpanMs(e.maxMs)} with every time limit${quality}`;
}

/** A simulator target's behaviour: what its answers will look like under load. */
function simulatorOf(t: PlanTarget): string {
  if (t.provider !== "sim") return "";
  const s = t.sim;
  const faults = Object.entries(s.faults ?? {})
    .filter(
      ([k, v]) =>
        typeof v === "number" && v > 0 && !k.endsWith("_s") && !k.endsWith("_ms") && !k.endsWith("_bytes"),
    )
    .map(([k, v]) => `${k} ${Math.round(Number(v) * 1000) / 10}%`);
  return [
    `simulator: ttft ${s.ttft_ms}ms, itl ${s.itl_ms}ms`,
    `${s.output_tokens} tokens`,
    `max batch ${s.max_batch}`,
    s.jitter > 0 ? `jitter ${s.jitter}` : "",
    s.degrade > 0 ? `degrade ${s.degrade}` : "",
    faults.length ? `faults ${faults.join(" ")}` : "",
  ]
    .filter(Boolean)
    .join(", ");
}

/**
 * A threshold as it will be judged: metric, statistic and tags, then the limit in the metric's unit,
 * and the line as written when its key does not name the statistic. A k6-style `ttft: ["p(95)<200", "avg<100"]`
 * puts the statistic in the expression, so the key alone ("ttft") would hide which one is judged.
 */
function thresholdLine(t: Threshold<MetricName>): string {
  const tags = Object.entries(t.tags).map(([k, v]) => `${k}:${v}`);
  const judged = `${t.metric}${t.stat ? `.${t.stat}` : ""}${tags.length ? `{${tags.join(",")}}` : ""}`;
  const limit = `${t.op} ${formatValue(t.limit, metricDef(t.metric).unit)}`;
  // Shown as written only when the key alone does not name what is judged (k6 style).
  const asWritten = t.key === judged ? "" : ` (as written: ${t.key}: ${t.expression})`;
  return `${judged} ${limit}${asWritten}${t.abortOnFail ? " (abort on fail)" : ""}`;
}

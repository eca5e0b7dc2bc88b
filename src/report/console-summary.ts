import { Chalk, type ChalkInstance } from "chalk";
import { summarizePhase } from "../metrics/aggregate.js";
import type { RunResult } from "../record/run-result.js";
import { formatValue } from "../thresholds/judge.js";
import { formatMs } from "../util/duration.js";
import { renderTable } from "./table.js";
import { measurementLines } from "./measurement-text.js";
import { serverLine } from "./server-text.js";
import { renderComparison } from "../compare/render.js";
import { renderPhaseRatios } from "../compare/saved-runs.js";
import { renderTaskMetrics } from "./render-tasks.js";
import { capacityText, failedSteps, servedText, SWEEP_RULES, verdictText } from "./sweep-text.js";
import { allFromCache, cacheText, unversionedTargets } from "./cache-line.js";
import { healthLines } from "./health.js";

const pct = (x: number) => (Number.isNaN(x) ? "-" : `${(x * 100).toFixed(1)}%`);

/**
 * The end-of-run summary: a row per target and phase, then the threshold verdicts. Pure: reads
 * the run's aggregates only; colour level is the caller's choice (NO_COLOR / FORCE_COLOR).
 */
export function renderConsoleSummary(run: RunResult, options: { colorLevel: 0 | 1 | 2 | 3 }): string {
  const c: ChalkInstance = new Chalk({ level: options.colorLevel });
  const out: string[] = [];
  out.push(c.bold(`${run.suite.name}`) + c.dim(` (${run.suite.file})`));
  for (const t of run.targets.filter((t) => !t.reachable)) {
    out.push(c.red(`  ${t.name}: unreachable: ${t.unreachableReason ?? ""}`));
  }
  const rows = run.phases.map((a) => {
    const s = summarizePhase(a);
    const q = run.quality.totals.find((t) => t.target === a.target);
    const errors = Object.entries(s.errorsByKind)
      .map(([k, v]) => `${k}:${v}`)
      .join(" ");
    const passRate = a.phase === "quality" && q ? pct(q.passRate) : "";
    return [
      a.target,
      a.phase,
      String(s.requests),
      passRate,
      s.requests ? pct(s.errorRate) + (errors ? ` (${errors})` : "") : "-",
      formatMs(s.latencyMs.ttft.p50),
      formatMs(s.latencyMs.ttft.p95),
      formatMs(s.latencyMs.itl.p50),
      formatMs(s.latencyMs.e2e.p50),
      formatMs(s.latencyMs.e2e.p95),
      `${s.outputThroughput.toFixed(1)}${s.outputTokensEstimated ? "~" : ""}`,
    ];
  });
  if (rows.length > 0) {
    out.push(
      renderTable(
        [
          "target",
          "phase",
          "reqs",
          "pass",
          "errors",
          "ttft p50",
          "ttft p95",
          "itl p50",
          "e2e p50",
          "e2e p95",
          "out tok/s",
        ],
        rows,
      ),
    );
    if (run.phases.some((a) => a.estimatedTokenRequests > 0)) {
      out.push(c.dim("~ output tokens estimated by the client tokenizer: the server reported no usage"));
    }
  }
  for (const q of run.quality.totals.filter((t) => t.cached)) {
    out.push(
      c.dim(
        `${q.target}: ${q.cached} of ${q.runs ?? q.cases} quality answers from the cache (not timed; --no-cache resends)`,
      ),
    );
  }
  const cache = cacheText(run);
  if (cache && (run.cache?.mode === "off" || !run.quality.totals.some((t) => t.cached)))
    out.push(c.dim(cache));
  for (const t of unversionedTargets(run)) {
    out.push(
      c.yellow(
        `${t}: its server does not say which version of the model it serves: the cache would not notice a redeploy behind the same URL`,
      ),
    );
  }
  out.push(...renderTaskMetrics(run.quality.tasks ?? []));
  const loadPhases = run.phases.filter(
    (a) => a.phase !== "quality" && !a.phase.includes(":") && a.successes > 0,
  );
  for (const a of loadPhases) {
    const s = summarizePhase(a, run.targets.find((t) => t.name === a.target)?.economics);
    const extras = [
      `${s.requestThroughput.toFixed(2)} req/s`,
      `goodput ${s.goodput.toFixed(2)}/s`,
      a.dropped ? `${a.dropped} dropped` : "",
      s.outputThroughputPerGpu !== undefined ? `${s.outputThroughputPerGpu.toFixed(1)} out tok/s/GPU` : "",
      s.cost ? `$${s.cost.per1k.toFixed(4)}/1k req, $${s.cost.perSuccess.toFixed(6)}/success` : "",
    ].filter(Boolean);
    out.push("", c.bold(`${a.target}/${a.phase}`) + c.dim(`  ${extras.join(", ")}`));
    const stats = ["p50", "p90", "p95", "p99", "p99.9", "min", "mean", "max"] as const;
    const rows = (["ttft", "itl", "tpot", "e2e", "dispatch_delay"] as const).map((m) => {
      const d = s.latencyMs[m];
      return [m, ...stats.map((k) => formatMs(d[k])), String(d.count)];
    });
    out.push(renderTable(["ms", ...stats, "count"], rows));
    out.push(...measurementLines(a.measurement).map((l) => (l.startsWith("  ✓") ? c.dim(l) : c.yellow(l))));
    const server = serverLine(a.server);
    if (server) out.push(c.dim(server));
  }
  for (const sw of run.sweeps) {
    out.push("", c.bold(`sweep ${sw.target}/${sw.phase}`) + c.dim(`  capacity at SLO: ${capacityText(sw)}`));
    const rows = sw.steps.map((st) => [
      st.label,
      st.rate === undefined ? `${st.concurrency} users` : `${st.rate.toFixed(2)}/s`,
      st.achievedRps.toFixed(2),
      servedText(st),
      formatMs(st.ttftMs.p50),
      formatMs(st.ttftMs.p95),
      formatMs(st.itlMs.p50),
      formatMs(st.e2eMs.p95),
      pct(st.errorRate),
      st.durationS === undefined ? "" : `${st.durationS.toFixed(1)}s`,
      verdictText(st) === "pass" ? c.green("pass") : verdictText(st) === "fail" ? c.red("fail") : "",
    ]);
    out.push(
      renderTable(
        [
          "step",
          "offered",
          "req/s",
          "served",
          "ttft p50",
          "ttft p95",
          "itl p50",
          "e2e p95",
          "errors",
          "time",
          "slo",
        ],
        rows,
      ),
    );
    for (const line of failedSteps(sw)) out.push(c.red(`  ${line}`));
    out.push(c.dim(`  ${SWEEP_RULES}`));
  }

  for (const cmp of run.comparisons ?? []) out.push("", renderComparison(cmp, { maxFlips: 10 }));
  if (run.baseline) {
    out.push("", c.bold(`against the baseline ${run.baseline.file}`));
    for (const cmp of run.baseline.comparisons) out.push(renderComparison(cmp, { maxFlips: 10 }));
    if (run.baseline.ratios.length > 0) out.push(renderPhaseRatios(run.baseline.ratios));
  }
  const skipped = run.skippedThresholds ?? [];
  if (run.thresholds.length > 0 || skipped.length > 0) {
    out.push("", c.bold("thresholds"));
    for (const v of run.thresholds) {
      const mark = v.pass ? c.green("✓ pass") : c.red("✗ FAIL");
      const observed = v.observed === undefined ? "no samples" : formatValue(v.observed, v.unit);
      // Comparison verdicts carry their interval and how it decided; show it, not just the number.
      const detail = v.key.includes("compare.") ? v.reason : `observed ${observed}`;
      out.push(`  ${mark}  ${v.key} ${v.expression}  ${c.dim(detail)}`);
    }
    for (const t of skipped)
      out.push(`  ${c.yellow("– skip")}  ${t.key} ${t.expression}  ${c.dim(t.reason)}`);
  }
  const health = healthLines(run.health);
  if (health.length > 0) out.push("", c.red(health[0] ?? ""), ...health.slice(1));
  const failed = run.thresholds.filter((v) => !v.pass).length;
  if (run.status === "interrupted") out.push("", c.yellow("interrupted: partial results"));
  else if (run.status === "aborted")
    out.push("", c.red.bold(`aborted: threshold ${run.abortedBy} failed (abort_on_fail)`));
  else if (run.status === "unreachable") out.push("", c.red("no target was reachable"));
  else if (run.health && !run.health.ok) out.push("", c.red.bold("could not complete (exit 3)"));
  else {
    const skippedNote = skipped.length ? `, ${skipped.length} skipped` : "";
    const cachedNote = allFromCache(run)
      ? "; every quality answer was read from the cache, none measured"
      : "";
    const text = failed
      ? c.red.bold(`${failed} threshold(s) failed`)
      : run.thresholds.length
        ? c.green.bold("all thresholds passed")
        : c.green.bold("completed; no thresholds were set");
    out.push("", text + skippedNote + (cachedNote ? c.yellow(cachedNote) : ""));
  }
  return out.join("\n");
}

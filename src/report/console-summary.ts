import { Chalk, type ChalkInstance } from "chalk";
import { summarizePhase } from "../metrics/aggregate.js";
import type { RunResult } from "../run/result.js";
import { formatValue } from "../thresholds/evaluate.js";
import { formatMs } from "../util/duration.js";
import { renderTable } from "./table.js";

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
      out.push(c.dim("~ output tokens estimated from chunks: the server reported no usage"));
    }
  }
  if (run.thresholds.length > 0) {
    out.push("", c.bold("thresholds"));
    for (const v of run.thresholds) {
      const mark = v.pass ? c.green("✓ pass") : c.red("✗ FAIL");
      const observed = v.observed === undefined ? "no samples" : formatValue(v.observed, v.unit);
      out.push(`  ${mark}  ${v.key} ${v.expression}  ${c.dim(`observed ${observed}`)}`);
    }
  }
  const failed = run.thresholds.filter((v) => !v.pass).length;
  if (run.status === "interrupted") out.push("", c.yellow("interrupted: partial results"));
  else if (run.status === "unreachable") out.push("", c.red("no target was reachable"));
  else
    out.push(
      "",
      failed ? c.red.bold(`${failed} threshold(s) failed`) : c.green.bold("all thresholds passed"),
    );
  return out.join("\n");
}

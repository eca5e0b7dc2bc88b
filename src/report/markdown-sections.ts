import { gateOf } from "../stats/gate.js";
import { formatP, formatPp } from "../thresholds/significance.js";
import { summarizePhase } from "../metrics/aggregate.js";
import type { RunResult } from "../record/run-result.js";
import { formatMs } from "../util/duration.js";
import { mdCell, mdTable } from "./markdown-table.js";
import { num, pct } from "./verdict-line.js";
import { capacityText, servedText, SWEEP_RULES, verdictText } from "./sweep-text.js";
import { clip } from "./xml.js";
import { sweepCurveChart } from "./markdown-sweep-chart.js";

const ratio = (x: number | null) => (Number.isFinite(num(x)) ? `${num(x).toFixed(2)}x` : "-");
const pp = (x: number | null) => (Number.isFinite(num(x)) ? formatPp(num(x)) : "-");

/** Quality per target: cases, passed, request errors, pass rate. */
export function qualitySection(run: RunResult): string[] {
  if (run.quality.totals.length === 0) return [];
  const rows = run.quality.totals.map((q) => [
    q.target,
    String(q.cases),
    String(q.passed),
    String(q.errored),
    pct(q.passRate),
  ]);
  return [
    "### Quality",
    "",
    mdTable(["target", "cases", "passed", "errors", "pass rate"], rows, ["l", "r", "r", "r", "r"]),
  ];
}

/** Latency and throughput per target and phase (sweep steps are in the sweep table). */
export function loadSection(run: RunResult): string[] {
  const phases = run.phases.filter((p) => !p.phase.includes(":"));
  if (phases.length === 0) return [];
  const rows = phases.map((a) => {
    const s = summarizePhase(a, run.targets.find((t) => t.name === a.target)?.economics);
    const l = s.latencyMs;
    return [
      a.target,
      a.phase,
      String(s.requests),
      s.requests ? pct(s.errorRate) : "-",
      s.requestThroughput.toFixed(2),
      s.outputThroughput.toFixed(1) + (s.outputTokensEstimated ? "~" : ""),
      formatMs(l.ttft.p50),
      formatMs(l.ttft.p95),
      formatMs(l.ttft.p99),
      formatMs(l.itl.p50),
      formatMs(l.itl.p99),
      formatMs(l.e2e.p50),
      formatMs(l.e2e.p95),
      s.cost ? `$${s.cost.perSuccess.toFixed(6)}` : "-",
    ];
  });
  const header = [
    "target",
    "phase",
    "requests",
    "errors",
    "req/s",
    "out tok/s",
    "ttft p50",
    "ttft p95",
    "ttft p99",
    "itl p50",
    "itl p99",
    "e2e p50",
    "e2e p95",
    "cost/success",
  ];
  return [
    "### Latency and throughput",
    "",
    mdTable(header, rows, ["l", "l", ...header.slice(2).map(() => "r" as const)]),
  ];
}

/** Each sweep's capacity at SLO, its steps and why each failed step failed, and its curve (Mermaid). */
export function sweepSection(run: RunResult): string[] {
  return run.sweeps.flatMap((sw) => {
    const curve = sweepCurveChart(sw);
    const rows = sw.steps.map((st) => [
      st.label,
      typeof st.rate === "number" ? `${st.rate.toFixed(2)}/s` : `${st.concurrency ?? "?"} users`,
      num(st.achievedRps).toFixed(2),
      servedText(st),
      formatMs(num(st.ttftMs.p95)),
      formatMs(num(st.e2eMs.p95)),
      pct(st.errorRate),
      typeof st.durationS === "number" ? `${st.durationS.toFixed(1)}s` : "",
      verdictText(st),
      clip(st.failures?.join("; ") ?? "", 300),
    ]);
    return [
      `### Sweep ${mdCell(`${sw.target}/${sw.phase}`)}: capacity at SLO ${mdCell(capacityText(sw))}`,
      "",
      mdTable(
        ["step", "offered", "req/s", "served", "ttft p95", "e2e p95", "errors", "time", "slo", "why"],
        rows,
        ["l", "r", "r", "r", "r", "r", "r", "r", "l", "l"],
      ),
      "",
      `_${SWEEP_RULES}._`,
      ...(curve.length ? ["", ...curve] : []),
    ];
  });
}

/** Variant comparisons (suite `compare:`) and, with --baseline, this run against the saved one. */
export function comparisonSection(run: RunResult): string[] {
  const out: string[] = [];
  const table = (list: RunResult["comparisons"]) =>
    mdTable(
      [
        "candidate",
        "baseline",
        "cases",
        "pass rate",
        "baseline pass rate",
        "delta (CI, decides)",
        "p (same interval)",
        "McNemar exact p",
        "regressions",
        "improvements",
        "agreement",
      ],
      list.map((c) => {
        const gate = gateOf(c);
        return [
          c.by ? `${c.candidate.target} (prompt, on ${c.by.target})` : c.candidate.target,
          c.baseline.target,
          c.repeats ? `${c.repeats.cases} (${c.repeats.runs} runs)` : String(c.matched),
          pct(c.candidate.passRate),
          pct(c.baseline.passRate),
          gate
            ? `${pp(c.delta.difference)} (${pp(gate.lower)} to ${pp(gate.upper)}, ${gate.method})`
            : `${pp(c.delta.difference)} (no interval: too few clusters)`,
          gate ? formatP(num(gate.pValue)) : "-",
          formatP(num(c.mcnemar.pValue)),
          String(c.flips.regressions.length),
          String(c.flips.improvements.length),
          pct(c.agreement.rate),
        ];
      }),
    );
  if (run.comparisons.length > 0) out.push("### Variant comparison", "", table(run.comparisons));
  const flips = run.comparisons.flatMap((c) =>
    c.flips.regressions
      .slice(0, 20)
      .map((f) => [c.candidate.target, f.caseId, f.baselineOutput, f.candidateError ?? f.candidateOutput]),
  );
  if (flips.length > 0) {
    const clipped = flips.map((r) => r.map((x) => clip(x, 80)));
    out.push("", "Regressions (passed on the baseline, failed on the candidate; first 20 each):", "");
    out.push(mdTable(["candidate", "case", "baseline output", "candidate output"], clipped));
  }
  if (run.baseline) {
    out.push("", `### Against the baseline ${mdCell(run.baseline.file)}`, "");
    if (run.baseline.comparisons.length > 0) out.push(table(run.baseline.comparisons), "");
    if (run.baseline.ratios.length > 0) {
      out.push(
        mdTable(
          ["target", "phase", "ttft p50", "ttft p95", "itl p50", "e2e p95", "out tok/s"],
          run.baseline.ratios.map((r) => [
            r.target,
            r.phase,
            ratio(r.ttftP50),
            ratio(r.ttftP95),
            ratio(r.itlP50),
            ratio(r.e2eP95),
            ratio(r.outputThroughput),
          ]),
          ["l", "l", "r", "r", "r", "r", "r"],
        ),
        "",
        "Ratios are this run / the baseline: below 1x is faster for latencies, above 1x is more for throughput.",
      );
    }
  }
  return out;
}

const f3 = (x: number | null | undefined) => (Number.isFinite(num(x)) ? num(x).toFixed(3) : "-");

/** Task metrics per target: classification, extraction and repeats, when the cases declare them. */
export function tasksSection(run: RunResult): string[] {
  const tasks = run.quality.tasks ?? [];
  if (tasks.length === 0) return [];
  const rows = tasks.map((t) => {
    const c = t.classification;
    const s = t.extraction;
    const r = t.repeats;
    return [
      t.target,
      c ? pct(c.accuracy) : "-",
      c ? f3(c.macro.f1) : "-",
      c ? f3(c.micro.f1) : "-",
      s ? `${f3(s.micro.precision)} / ${f3(s.micro.recall)} / ${f3(s.micro.f1)}` : "-",
      r ? `k=${r.k}: ${f3(r.passAtK[r.k - 1])}` : "-",
      r ? f3(r.passHatK[r.k - 1]) : "-",
      r ? pct(r.consistency) : "-",
    ];
  });
  const out = [
    "### Task metrics",
    "",
    mdTable(
      ["target", "accuracy", "macro F1", "micro F1", "set P / R / F1", "pass@k", "pass^k", "consistency"],
      rows,
      ["l", "r", "r", "r", "r", "r", "r", "r"],
    ),
  ];
  for (const t of tasks.filter((t) => t.classification)) {
    const c = t.classification!;
    out.push(
      "",
      `Per label, ${mdCell(t.target)}:`,
      "",
      mdTable(
        ["label", "support", "predicted", "precision", "recall", "F1"],
        c.perLabel.map((l) => [
          l.label,
          String(l.support),
          String(l.predicted),
          f3(l.precision),
          f3(l.recall),
          f3(l.f1),
        ]),
        ["l", "r", "r", "r", "r", "r"],
      ),
    );
  }
  return out;
}

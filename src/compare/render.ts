import type { CaseRef, ComparisonResult, Flip, Interval } from "../record/comparison.js";
import { gateOf } from "../stats/gate.js";
import { formatDetectablePp, formatP, formatPp } from "../thresholds/significance.js";

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "n/a");
const range = (i: Interval) => `${pct(i.lower)}..${pct(i.upper)}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line per output, quoted and cut to `max` characters so a long answer cannot flood the table. */
function quote(text: string | undefined, error: string | undefined, max: number): string {
  if (error !== undefined) return `error: ${error.length > max ? `${error.slice(0, max)}…` : error}`;
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

/** A case as a person reads it: its id, `@vN` past version 1, and which run of a repeated case (from 1). */
function caseText(r: CaseRef, versions = false): string {
  const version = versions || r.promptVersion !== 1 ? `@v${r.promptVersion}` : "";
  return `${r.caseId}${version}${r.attempt !== undefined ? ` (run ${r.attempt + 1})` : ""}`;
}

function flipLines(title: string, flips: Flip[], limit: number): string[] {
  if (flips.length === 0) return [`  ${title}: none`];
  const lines = [`  ${title} (${flips.length}):`];
  for (const f of flips.slice(0, limit)) {
    lines.push(
      `    ${caseText(f)}  ${quote(f.baselineOutput, f.baselineError, 40)} -> ${quote(f.candidateOutput, f.candidateError, 40)}`,
    );
  }
  if (flips.length > limit) lines.push(`    ... and ${flips.length - limit} more (all in run.json)`);
  return lines;
}

const refs = (list: CaseRef[]) =>
  list
    .slice(0, 10)
    .map((r) => caseText(r, true))
    .join(", ") + (list.length > 10 ? `, ... (${list.length} in all)` : "");

/** What was compared and how the pairs were found. */
function headline(c: ComparisonResult): string {
  const unmatched = c.unmatched.baseline.length + c.unmatched.candidate.length;
  const what = c.by ? ` (prompts, on target ${c.by.target})` : "";
  const how = c.by || c.pairedBy === "case" ? "by case id" : "by id and prompt";
  const count = c.repeats
    ? `${plural(c.repeats.cases, "case")} × their runs (${c.repeats.runs} pairs) matched ${how}`
    : `${plural(c.matched, "case")} matched ${how}`;
  return (
    `${c.candidate.target} vs ${c.baseline.target}${what}: ${count}` +
    (unmatched ? `, ${unmatched} unmatched` : "")
  );
}

/**
 * The delta line and the McNemar line. The delta's interval and its p are the gate's, one procedure
 * (see src/stats/gate.ts); McNemar's exact test is shown beside it as what it is: another test of
 * no difference, which decides nothing.
 */
function deltaLines(c: ComparisonResult, level: string): string[] {
  const gate = gateOf(c);
  const cl = c.clustered;
  const { b, c: improved, pValue } = c.mcnemar;
  const counts = `${plural(b, "regression")} / ${plural(improved, "improvement")}`;
  if (!gate) {
    const clusters = cl?.clusters ?? 0;
    return [
      `  delta        ${formatPp(c.delta.difference)}: no interval and no verdict, ${plural(clusters, "cluster")} ` +
        `(fewer than the ${cl?.minClusters ?? 5} a cluster-robust interval needs; cases sharing a cluster, or the runs of a repeated case, count once)`,
      `  McNemar      exact ${formatP(pValue)} on ${counts}: not used, it assumes independent pairs`,
    ];
  }
  let method = "Newcombe";
  if (gate.method === "cluster-robust" && cl) {
    const unit = c.repeats && cl.clusters === c.repeats.cases ? "cases" : "clusters";
    const deff = Number.isFinite(cl.designEffect) ? `, design effect ${cl.designEffect.toFixed(2)}` : "";
    method = `cluster-robust over ${cl.clusters} ${unit}: CR1, t on ${cl.df ?? cl.clusters - 1} df${deff}, no narrower than Newcombe's`;
  }
  const shown =
    gate.pValue < c.alpha
      ? `${c.delta.difference < 0 ? "a drop" : "a gain"} shown at alpha ${c.alpha}`
      : `no difference shown at alpha ${c.alpha}`;
  const mcnemar = cl
    ? `exact ${formatP(pValue)} on ${counts}: not used, it assumes independent pairs`
    : `exact ${formatP(pValue)} on ${counts}: another test of no difference, more conservative; the interval decides`;
  return [
    `  delta        ${formatPp(c.delta.difference)} (${level} CI ${formatPp(gate.lower)} to ${formatPp(gate.upper)}, ${method}; ` +
      `${formatP(gate.pValue)} by the same interval): ${shown}`,
    `  McNemar      ${mcnemar}`,
  ];
}

function powerLine(c: ComparisonResult): string {
  const p = c.power;
  const who =
    p.designEffect !== undefined
      ? `${plural(p.cases, "independent case")} (${c.matched} pairs / design effect ${p.designEffect.toFixed(2)})`
      : plural(p.cases, "case");
  const what =
    p.detectableDrop === undefined
      ? `${who} are too few to detect any difference`
      : `${who} detect a difference of ${formatDetectablePp(p.detectableDrop)} or more`;
  return `  power        ${what} (${Math.round(p.power * 100)}% power at alpha ${c.alpha}, Connor 1987)`;
}

/**
 * The comparison of one candidate with the baseline as plain text for the terminal: pass rates with
 * Wilson intervals, recovery, the paired delta with the interval its gates decide by and that
 * interval's own p, McNemar's exact test beside it, agreement, the power note, flips by id (and
 * run) with both outputs (the first `maxFlips` each way) and unmatched cases. Pure.
 */
export function renderComparison(c: ComparisonResult, options: { maxFlips?: number } = {}): string {
  const level = `${Number(((1 - c.alpha) * 100).toFixed(2))}%`;
  const lines = [
    headline(c),
    `  pass rate    ${c.baseline.target} ${pct(c.baseline.passRate)} (${level} CI ${range(c.baseline.interval)}), ` +
      `${c.candidate.target} ${pct(c.candidate.passRate)} (${level} CI ${range(c.candidate.interval)})`,
    `  recovery     ${pct(c.recovery)}`,
    ...deltaLines(c, level),
    `  agreement    ${pct(c.agreement.rate)} identical outputs (${c.agreement.identical} of ${c.matched})`,
    powerLine(c),
  ];
  if (c.classification) {
    const k = c.classification;
    const labels = k.perLabel
      .map((l) => `${l.label} ${l.baselineF1.toFixed(3)} -> ${l.candidateF1.toFixed(3)}`)
      .join(", ");
    lines.push(
      `  macro F1     ${c.baseline.target} ${k.baselineMacroF1.toFixed(3)}, ${c.candidate.target} ${k.candidateMacroF1.toFixed(3)} ` +
        `(${k.macroF1Delta >= 0 ? "+" : ""}${k.macroF1Delta.toFixed(3)}); per label ${labels}`,
    );
  }
  if (c.logprobs) {
    const l = c.logprobs;
    lines.push(
      `  logprobs     same top-1 ${pct(l.sameTop1Rate)} of ${l.positions} token positions (${l.cases} cases); ` +
        `KL(${c.baseline.target} ‖ ${c.candidate.target}) >= ${l.klLowerBound.toFixed(4)} nats/token, max ${l.klMax.toFixed(4)} ` +
        `(lower bound from the top-${l.k} logprobs, on the tokens both generated)`,
    );
  }
  const max = options.maxFlips ?? 20;
  lines.push(...flipLines("regressions", c.flips.regressions, max));
  lines.push(...flipLines("improvements", c.flips.improvements, max));
  if (c.unmatched.baseline.length)
    lines.push(`  only in ${c.baseline.target}: ${refs(c.unmatched.baseline)}`);
  if (c.unmatched.candidate.length)
    lines.push(`  only in ${c.candidate.target}: ${refs(c.unmatched.candidate)}`);
  return lines.join("\n");
}

import type { CaseRef, ComparisonResult, Flip, Interval } from "../record/comparison.js";
import { formatDetectablePp, formatP, formatPp } from "../thresholds/significance.js";

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "n/a");
const range = (i: Interval) => `${pct(i.lower)}..${pct(i.upper)}`;

/** One line per output, quoted and cut to `max` characters so a long answer cannot flood the table. */
function quote(text: string | undefined, error: string | undefined, max: number): string {
  if (error !== undefined) return `error: ${error.length > max ? `${error.slice(0, max)}…` : error}`;
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

function flipLines(title: string, flips: Flip[], limit: number): string[] {
  if (flips.length === 0) return [`  ${title}: none`];
  const lines = [`  ${title} (${flips.length}):`];
  for (const f of flips.slice(0, limit)) {
    const id = f.promptVersion === 1 ? f.caseId : `${f.caseId}@v${f.promptVersion}`;
    lines.push(
      `    ${id}  ${quote(f.baselineOutput, f.baselineError, 40)} -> ${quote(f.candidateOutput, f.candidateError, 40)}`,
    );
  }
  if (flips.length > limit) lines.push(`    ... and ${flips.length - limit} more (all in run.json)`);
  return lines;
}

const refs = (list: CaseRef[]) =>
  list
    .slice(0, 10)
    .map((r) => `${r.caseId}@v${r.promptVersion}`)
    .join(", ") + (list.length > 10 ? `, ... (${list.length} in all)` : "");

/** The p the significance rule uses: McNemar's, or the larger with the clustered test. */
const significantP = (c: ComparisonResult) =>
  c.clustered ? Math.max(c.mcnemar.pValue, c.clustered.pValue) : c.mcnemar.pValue;

/**
 * The comparison of one candidate with the baseline as plain text for the terminal: pass rates with
 * Wilson intervals, recovery, the paired delta with its interval and McNemar p, agreement, the power
 * note, flips by id with both outputs (the first `maxFlips` each way) and unmatched cases. Pure.
 */
export function renderComparison(c: ComparisonResult, options: { maxFlips?: number } = {}): string {
  const level = `${Number(((1 - c.alpha) * 100).toFixed(2))}%`;
  const { b, c: improved, pValue } = c.mcnemar;
  const unmatched = c.unmatched.baseline.length + c.unmatched.candidate.length;
  const lines = [
    `${c.candidate.target} vs ${c.baseline.target}: ${c.matched} cases matched by id and prompt version` +
      (unmatched ? `, ${unmatched} unmatched` : ""),
    `  pass rate    ${c.baseline.target} ${pct(c.baseline.passRate)} (${level} CI ${range(c.baseline.interval)}), ` +
      `${c.candidate.target} ${pct(c.candidate.passRate)} (${level} CI ${range(c.candidate.interval)})`,
    `  recovery     ${pct(c.recovery)}`,
    `  delta        ${formatPp(c.delta.difference)} (${level} CI ${formatPp(c.delta.lower)} to ${formatPp(c.delta.upper)}, Newcombe), ` +
      `McNemar exact ${formatP(pValue)} on ${b} regressions / ${improved} improvements: ` +
      (significantP(c) < c.alpha ? "significant" : "not significant") +
      ` at alpha ${c.alpha}`,
    `  agreement    ${pct(c.agreement.rate)} identical outputs (${c.agreement.identical} of ${c.matched})`,
    `  power        ${
      c.power.detectableDrop === undefined
        ? `${c.matched} cases are too few to detect any difference`
        : `${c.matched} cases detect a difference of ${formatDetectablePp(c.power.detectableDrop)} or more`
    } (${Math.round(c.power.power * 100)}% power at alpha ${c.alpha}, Connor 1987)`,
  ];
  if (c.clustered) {
    lines.push(
      `  clustered    ${level} CI ${formatPp(c.clustered.lower)} to ${formatPp(c.clustered.upper)} over ${c.clustered.clusters} clusters (CR0, design effect ${c.clustered.designEffect.toFixed(2)}), ${formatP(c.clustered.pValue)}`,
    );
  }
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

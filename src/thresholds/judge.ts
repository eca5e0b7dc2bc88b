import type { RunResult } from "../record/run-result.js";
import {
  holds,
  type MetricUnit,
  type Threshold,
  type Verdict,
  type VerdictSource,
} from "../record/verdict.js";
import { holm } from "../stats/multiplicity.js";
import { metricDef, type MetricName } from "./metrics.js";
import { pooledParts, worstPart } from "./pooled.js";
import { matching, runFigures, type RunFigures } from "./read.js";
import type { MarginTest } from "./significance.js";
import { HEALTH_LABELS } from "../metrics/measurement-health.js";
import { HEALTH_METRICS, type HealthMetric } from "../record/measurement-health.js";

/** A value as a verdict shows it, in its metric's unit: 86.46ms, 95.24%, -2.50pp, $0.0012, 3.50/s. */
export function formatValue(value: number, unit: MetricUnit): string {
  if (unit === "ms") return `${value.toFixed(value >= 100 ? 0 : 2)}ms`;
  if (unit === "fraction") return `${(value * 100).toFixed(2)}%`;
  if (unit === "ratio") return value.toFixed(3);
  if (unit === "pp") {
    const text = `${(value * 100).toFixed(2)}pp`;
    return value > 0 && text !== "0.00pp" ? `+${text}` : text === "-0.00pp" ? "0.00pp" : text;
  }
  if (unit === "p") return value !== 0 && value < 0.001 ? value.toExponential(1) : value.toFixed(3);
  if (unit === "usd") return `$${value.toFixed(4)}`;
  if (unit === "per_second") return `${value.toFixed(2)}/s`;
  return String(Math.round(value * 1000) / 1000);
}

/** Shown parts of a pooled reading at most; the worst is named whatever its place. */
const POOLED_SHOWN = 8;

/**
 * What a failed threshold pooled, so the reason says which target or phase drove it:
 * "; by target/phase: a/steady 45.00ms, a/ramp 310ms; worst a/ramp". Empty when nothing was pooled.
 */
function pooledReason(t: Threshold<MetricName>, figures: RunFigures): string {
  const pooled = pooledParts(t, figures);
  if (!pooled) return "";
  const unit = metricDef(t.metric).unit;
  const shown = pooled.parts.slice(0, POOLED_SHOWN).map((p) => `${p.label} ${formatValue(p.value, unit)}`);
  const more = pooled.parts.length - shown.length;
  const worst = worstPart(t, pooled.parts);
  return (
    `; by ${pooled.by}: ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}` +
    (worst ? `; worst ${worst.label} (${formatValue(worst.value, unit)})` : "")
  );
}

const isHealthMetric = (m: string): m is HealthMetric => (HEALTH_METRICS as readonly string[]).includes(m);

/**
 * "; ITL unreliable in a/steady: 38% of gaps coalesced ..." for each phase the threshold reads
 * whose measurement health says its metric cannot be vouched for. A throughput follows output
 * tokens, so it carries their verdict. The verdict itself stands: health explains, never decides.
 */
function healthReason(t: Threshold<MetricName>, figures: RunFigures): string {
  const metric = t.metric.endsWith("_throughput") ? "output_tokens" : t.metric;
  if (!isHealthMetric(metric)) return "";
  return matching(figures, t)
    .flatMap((p) => {
      const h = p.measurement?.metrics[metric];
      return h && !h.reliable
        ? [`; ${HEALTH_LABELS[metric]} unreliable in ${p.target}/${p.phase}: ${h.reason}`]
        : [];
    })
    .join("");
}

/** The figures a finished run's thresholds are read from. */
export function figuresOf(run: RunResult): RunFigures {
  return runFigures({
    phases: run.phases,
    quality: run.quality.totals,
    targets: run.targets,
    comparisons: run.comparisons ?? [],
    tasks: run.quality.tasks ?? [],
  });
}

/** The value a threshold's metric reads from the figures; undefined means no samples. */
export function readMetric(figures: RunFigures, t: Threshold<MetricName>): number | undefined {
  return metricDef(t.metric).read(figures, t);
}

/** One threshold's margin tests, their Holm-adjusted p-values, and the size of their family. */
export interface MarginFamily {
  tests: readonly MarginTest[];
  adjusted: ReadonlyArray<number | undefined>;
  size: number;
}

/**
 * The verdict on one threshold given what was observed (undefined: no samples), judged by the
 * metric's own rule when it has one. A metric with no samples fails with that reason: a threshold
 * never passes silently on missing data. A margin-judged metric judged alone is its own family.
 */
export function verdictOf(
  t: Threshold<MetricName>,
  observed: number | undefined,
  figures: RunFigures,
  source: VerdictSource = "suite",
  family?: MarginFamily,
): Verdict {
  const def = metricDef(t.metric);
  const { key, expression, limit } = t;
  const { metric, stat, tags, op, abortOnFail, delayAbortEvalMs } = t;
  const threshold = {
    metric,
    ...(stat ? { stat } : {}),
    tags,
    op,
    limit,
    abortOnFail,
    ...(delayAbortEvalMs !== undefined ? { delayAbortEvalMs } : {}),
  };
  const unit = def.unit;
  // The fields in the order run.json has always written them; the definition and source follow.
  if (observed === undefined || Number.isNaN(observed))
    return { key, expression, pass: false, limit, unit, reason: `no samples for ${key}`, threshold, source };
  let own: { pass: boolean; reason: string } | undefined;
  if (def.margin) {
    const { tests, adjusted, size } = family ?? familyOf([def.margin.tests(t, figures)])[0]!;
    own = def.margin.judge(t, tests, adjusted, size);
  }
  return {
    key,
    expression,
    pass: own ? own.pass : holds(observed, op, limit),
    observed,
    limit,
    unit,
    reason:
      (own
        ? own.reason
        : `observed ${formatValue(observed, unit)}, limit ${op} ${formatValue(limit, unit)}` +
          (holds(observed, op, limit) ? "" : pooledReason(t, figures))) + healthReason(t, figures),
    threshold,
    source,
  };
}

/**
 * The one judging step: each threshold's metric read from the figures and judged, by the
 * metric's own rule where it has one. Run, merge, compare, a sweep's SLOs and abort_on_fail all
 * judge through it. The margin tests of every threshold judged here (a delta threshold's, one per
 * comparison it names) are one family: their p-values are Holm-adjusted together, so with several
 * candidates or several delta thresholds the chance that any fails by chance stays at alpha.
 */
export function judge(
  thresholds: ReadonlyArray<Threshold<MetricName>>,
  figures: RunFigures,
  source: VerdictSource = "suite",
): Verdict[] {
  const families = familyOf(thresholds.map((t) => metricDef(t.metric).margin?.tests(t, figures) ?? []));
  return thresholds.map((t, i) =>
    verdictOf(
      t,
      readMetric(figures, t),
      figures,
      source,
      metricDef(t.metric).margin ? families[i] : undefined,
    ),
  );
}

/** Holm over every test of every list together; each list gets its own tests' adjusted p-values. */
function familyOf(lists: ReadonlyArray<readonly MarginTest[]>): MarginFamily[] {
  const flat = holm(lists.flat().map((x) => x.p ?? Number.NaN));
  const size = flat.filter((p) => !Number.isNaN(p)).length;
  let at = 0;
  return lists.map((tests) => {
    const adjusted = flat.slice(at, at + tests.length).map((p) => (Number.isNaN(p) ? undefined : p));
    at += tests.length;
    return { tests, adjusted, size };
  });
}

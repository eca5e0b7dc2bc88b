import { LATENCY_STATS, type LatencyStat } from "../record/aggregate.js";
import type { Operator, Threshold, Verdict } from "../record/verdict.js";
import { isMetricName, METRICS, metricDef, type MetricDef, type MetricName } from "./metrics.js";

export class ThresholdSyntaxError extends Error {}

const KEY =
  /^\s*([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*?)(?:\.(p\d+(?:\.\d+)?|min|max|mean|avg|med|count))?\s*(?:\{([^}]*)\})?\s*$/;
const K6_EXPR =
  /^\s*(p\((\d+(?:\.\d+)?)\)|avg|mean|min|max|med|count|rate|value)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*([a-z%µ]*)\s*$/;
const SHORT_EXPR = /^\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*([a-z%µ]*)\s*$/;

function statOf(text: string): LatencyStat | undefined {
  if (text === "avg") return "mean";
  if (text === "med") return "p50";
  const m = /^p\(?(\d+(?:\.\d+)?)\)?$/.exec(text);
  const name = m ? `p${m[1]}` : text;
  return (LATENCY_STATS as readonly string[]).includes(name) ? (name as LatencyStat) : undefined;
}

function scale(value: number, unit: string, def: MetricDef, key: string): number {
  if (unit === "") return value;
  if (def.unit === "ms") {
    const factor: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };
    if (factor[unit] !== undefined) return value * factor[unit];
  }
  if ((def.unit === "fraction" || def.unit === "pp") && (unit === "%" || unit === "pp")) return value / 100;
  // A score written as a percentage (`>= 95%`) is read as the ratio it names.
  if (def.unit === "ratio" && unit === "%") return value / 100;
  throw new ThresholdSyntaxError(`${key}: unit "${unit}" does not fit a metric measured in ${def.unit}`);
}

/** Parses `name.stat{tag:value}` into metric, stat and tags; see parseThreshold for the grammar. */
export function parseThresholdKey(key: string): {
  metric: MetricName;
  stat?: LatencyStat;
  tags: Record<string, string>;
} {
  const m = KEY.exec(key);
  if (!m)
    throw new ThresholdSyntaxError(
      `"${key}" is not a metric name such as ttft.p95 or error_rate{phase:steady}`,
    );
  let name = m[1] ?? "";
  let statText = m[2];
  // "quality.pass_rate" must not split into "quality" + a stat; only distribution metrics take stats.
  const joined = `${name}.${statText}`;
  if (statText && !(isMetricName(name) && metricDef(name).stats) && isMetricName(joined)) {
    name = joined;
    statText = undefined;
  }
  if (!isMetricName(name)) {
    throw new ThresholdSyntaxError(
      `${key}: unknown metric "${name}" (known: ${Object.keys(METRICS).join(", ")})`,
    );
  }
  const def = metricDef(name);
  const tags: Record<string, string> = {};
  for (const part of (m[3] ?? "").split(",").filter((p) => p.trim())) {
    const [tag, value, extra] = part.split(":").map((s) => s.trim());
    if (!tag || !value || extra !== undefined)
      throw new ThresholdSyntaxError(`${key}: tag "${part}" should read name:value`);
    if (!(def.tags as readonly string[]).includes(tag)) {
      throw new ThresholdSyntaxError(`${key}: ${name} has no tag "${tag}" (it has: ${def.tags.join(", ")})`);
    }
    tags[tag] = value;
  }
  const stat = statText ? statOf(statText) : undefined;
  if (statText && !stat) throw new ThresholdSyntaxError(`${key}: unknown statistic "${statText}"`);
  if (stat && !def.stats?.includes(stat))
    throw new ThresholdSyntaxError(`${key}: ${name} has a single value, so no statistic "${statText}"`);
  return stat ? { metric: name, stat, tags } : { metric: name, tags };
}

/**
 * Parses one threshold: a key and an expression, as a suite's `thresholds:` maps them. The grammar,
 * written down here and nowhere else:
 *
 *   key         = metric [ "." stat ] [ "{" tag { "," tag } "}" ]
 *   metric      = a name in METRICS (metrics.ts), e.g. ttft, error_rate, quality.f1, compare.flips
 *   stat        = "p" number | "min" | "max" | "mean" | "avg" | "med" | "count"
 *                 (distribution metrics only; avg is mean, med is p50; one of LATENCY_STATS:
 *                 p50 p90 p95 p99 p99.9 min mean max count)
 *   tag         = name ":" value          the name one of the metric's tags (target, phase,
 *                                         candidate, label); the value matches exactly
 *   expression  = short | k6
 *   short       = op number [ unit ]                e.g. "< 200ms", ">= 0.95", "> -2pp"
 *   k6          = aggregation op number [ unit ]    e.g. "p(95) < 200", "avg < 150", "rate < 0.01"
 *   aggregation = "p(" number ")" | avg | mean | min | max | med | count
 *                                         on a distribution: the statistic (over the key's)
 *               | rate | value            on a single-valued metric (count too when it counts)
 *   op          = "<" | "<=" | ">" | ">=" | "==" | "!="
 *   unit        = us | µs | ms | s        on a metric in ms
 *               | % | pp                  on a fraction or a difference of fractions (2% and 2pp
 *                                         are both 0.02)
 *               | (none)                  the metric's own unit: ms, a fraction, a count, ...
 *
 * A distribution metric needs its statistic, in the key or in the k6 aggregation. The limit is
 * normalised to the metric's unit (ms for latencies, a fraction for rates). `abort_on_fail` and
 * `delay_abort_eval` come from the suite's object form of a threshold, not from this grammar.
 */
export function parseThreshold(
  key: string,
  expression: string,
  options: { abortOnFail?: boolean; delayAbortEvalMs?: number } = {},
): Threshold<MetricName> {
  const { metric, stat: keyStat, tags } = parseThresholdKey(key);
  const def = metricDef(metric);
  let stat = keyStat;
  let op: string;
  let value: string;
  let unit: string;
  const k6 = K6_EXPR.exec(expression);
  const short = SHORT_EXPR.exec(expression);
  if (k6) {
    const aggregation = k6[1] ?? "";
    if (def.stats) {
      if (aggregation === "rate" || aggregation === "value") {
        throw new ThresholdSyntaxError(
          `${key}: "${aggregation}" does not apply to ${metric}; use p(95), avg, max, ...`,
        );
      }
      stat = statOf(k6[2] ? `p${k6[2]}` : aggregation);
      if (!stat || !def.stats.includes(stat))
        throw new ThresholdSyntaxError(`${key}: unknown statistic "${aggregation}"`);
    } else if (
      aggregation !== "rate" &&
      aggregation !== "value" &&
      !(aggregation === "count" && def.unit === "count")
    ) {
      throw new ThresholdSyntaxError(
        `${key}: ${metric} has a single value; write "value ${k6[3]} ${k6[4]}${k6[5]}" or "${k6[3]} ${k6[4]}${k6[5]}"`,
      );
    }
    [op, value, unit] = [k6[3] ?? "", k6[4] ?? "", k6[5] ?? ""];
  } else if (short) {
    [op, value, unit] = [short[1] ?? "", short[2] ?? "", short[3] ?? ""];
  } else {
    throw new ThresholdSyntaxError(
      `${key}: cannot read "${expression}"; expected e.g. "< 200ms", ">= 0.95" or "p(95) < 200"`,
    );
  }
  if (def.stats && !stat) {
    throw new ThresholdSyntaxError(`${key}: say which statistic, e.g. ${metric}.p95 or "p(95) < ..."`);
  }
  if (def.ops && !def.ops.includes(op as Operator)) {
    throw new ThresholdSyntaxError(
      `${key}: ${metric} is judged by its interval, so its limit takes ${def.ops.join(", ")}, not ${op}`,
    );
  }
  const threshold: Threshold<MetricName> = {
    key,
    expression,
    metric,
    tags,
    op: op as Operator,
    limit: scale(Number(value), unit, def, key),
    abortOnFail: options.abortOnFail ?? false,
  };
  if (stat) threshold.stat = stat;
  if (options.delayAbortEvalMs !== undefined) threshold.delayAbortEvalMs = options.delayAbortEvalMs;
  return threshold;
}

/**
 * The threshold a verdict judged, ready to be judged again (merge, compare): its stored definition,
 * checked against the registry. A run.json written before verdicts kept their definition gives
 * only the key and expression, which are parsed here, the one place a saved key is read again.
 */
export function thresholdOf(v: Verdict): Threshold<MetricName> {
  if (!v.threshold) return parseThreshold(v.key, v.expression);
  const { metric } = v.threshold;
  if (!isMetricName(metric))
    throw new ThresholdSyntaxError(`${v.key}: unknown metric "${metric}" (a newer Gauntlet's run?)`);
  return { ...v.threshold, metric, key: v.key, expression: v.expression };
}

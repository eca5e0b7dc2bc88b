import { METRICS, type MetricInfo } from "../metrics/catalog.js";
import { LATENCY_STATS, type LatencyStat } from "../record/aggregate.js";

export const OPERATORS = ["<", "<=", ">", ">=", "==", "!="] as const;
export type Operator = (typeof OPERATORS)[number];

/** One parsed threshold expression on one metric, with the limit normalised to the metric's unit. */
export interface Threshold {
  /** The key as the user wrote it, e.g. `ttft.p95{phase:steady}`. */
  key: string;
  /** The expression as written, e.g. `< 200ms`. */
  expression: string;
  metric: string;
  /** Statistic for distribution metrics (p95, mean, ...); undefined for single-valued metrics. */
  stat?: LatencyStat;
  tags: Record<string, string>;
  op: Operator;
  /** Limit in the metric's unit: ms for latencies, a fraction for rates. */
  limit: number;
  abortOnFail: boolean;
  delayAbortEvalMs?: number;
}

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

function scale(value: number, unit: string, info: MetricInfo, key: string): number {
  if (unit === "") return value;
  if (info.unit === "ms") {
    const factor: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };
    if (factor[unit] !== undefined) return value * factor[unit];
  }
  if (info.unit === "fraction" && (unit === "%" || unit === "pp")) return value / 100;
  throw new ThresholdSyntaxError(`${key}: unit "${unit}" does not fit a metric measured in ${info.unit}`);
}

/** Parses `name.stat{tag:value}` into metric, stat and tags. */
export function parseThresholdKey(key: string): {
  metric: string;
  stat?: LatencyStat;
  tags: Record<string, string>;
} {
  const m = KEY.exec(key);
  if (!m)
    throw new ThresholdSyntaxError(
      `"${key}" is not a metric name such as ttft.p95 or error_rate{phase:steady}`,
    );
  let metric = m[1]!;
  let statText = m[2];
  // "quality.pass_rate" must not split into "quality" + a stat; only distribution metrics take stats.
  if (statText && !METRICS[metric]?.distribution && METRICS[`${metric}.${statText}`]) {
    metric = `${metric}.${statText}`;
    statText = undefined;
  }
  const info = METRICS[metric];
  if (!info) {
    throw new ThresholdSyntaxError(
      `${key}: unknown metric "${metric}" (known: ${Object.keys(METRICS).join(", ")})`,
    );
  }
  const tags: Record<string, string> = {};
  for (const part of (m[3] ?? "").split(",").filter((p) => p.trim())) {
    const [name, value, extra] = part.split(":").map((s) => s.trim());
    if (!name || !value || extra !== undefined)
      throw new ThresholdSyntaxError(`${key}: tag "${part}" should read name:value`);
    if (!(info.tags as readonly string[]).includes(name)) {
      throw new ThresholdSyntaxError(
        `${key}: ${metric} has no tag "${name}" (it has: ${info.tags.join(", ")})`,
      );
    }
    tags[name] = value;
  }
  const stat = statText ? statOf(statText) : undefined;
  if (statText && !stat) throw new ThresholdSyntaxError(`${key}: unknown statistic "${statText}"`);
  if (stat && !info.distribution)
    throw new ThresholdSyntaxError(`${key}: ${metric} has a single value, so no statistic "${statText}"`);
  return stat ? { metric, stat, tags } : { metric, tags };
}

/** Parses one expression for a key, in k6 form (`p(95) < 200`) or short form (`< 200ms`). */
export function parseThreshold(
  key: string,
  expression: string,
  options: { abortOnFail?: boolean; delayAbortEvalMs?: number } = {},
): Threshold {
  const { metric, stat: keyStat, tags } = parseThresholdKey(key);
  const info = METRICS[metric]!;
  let stat = keyStat;
  let op: string;
  let value: string;
  let unit: string;
  const k6 = K6_EXPR.exec(expression);
  const short = SHORT_EXPR.exec(expression);
  if (k6) {
    const aggregation = k6[1]!;
    if (info.distribution) {
      if (aggregation === "rate" || aggregation === "value") {
        throw new ThresholdSyntaxError(
          `${key}: "${aggregation}" does not apply to ${metric}; use p(95), avg, max, ...`,
        );
      }
      stat = statOf(k6[2] ? `p${k6[2]}` : aggregation);
      if (!stat) throw new ThresholdSyntaxError(`${key}: unknown statistic "${aggregation}"`);
    } else if (
      aggregation !== "rate" &&
      aggregation !== "value" &&
      !(aggregation === "count" && info.unit === "count")
    ) {
      throw new ThresholdSyntaxError(
        `${key}: ${metric} has a single value; write "value ${k6[3]} ${k6[4]}${k6[5]}" or "${k6[3]} ${k6[4]}${k6[5]}"`,
      );
    }
    [op, value, unit] = [k6[3]!, k6[4]!, k6[5] ?? ""];
  } else if (short) {
    [op, value, unit] = [short[1]!, short[2]!, short[3] ?? ""];
  } else {
    throw new ThresholdSyntaxError(
      `${key}: cannot read "${expression}"; expected e.g. "< 200ms", ">= 0.95" or "p(95) < 200"`,
    );
  }
  if (info.distribution && !stat) {
    throw new ThresholdSyntaxError(`${key}: say which statistic, e.g. ${metric}.p95 or "p(95) < ..."`);
  }
  const threshold: Threshold = {
    key,
    expression,
    metric,
    tags,
    op: op as Operator,
    limit: scale(Number(value), unit, info, key),
    abortOnFail: options.abortOnFail ?? false,
  };
  if (stat) threshold.stat = stat;
  if (options.delayAbortEvalMs !== undefined) threshold.delayAbortEvalMs = options.delayAbortEvalMs;
  return threshold;
}

export function compare(observed: number, op: Operator, limit: number): boolean {
  switch (op) {
    case "<":
      return observed < limit;
    case "<=":
      return observed <= limit;
    case ">":
      return observed > limit;
    case ">=":
      return observed >= limit;
    case "==":
      return observed === limit;
    case "!=":
      return observed !== limit;
  }
}

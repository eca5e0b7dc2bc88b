import { holds, type Threshold } from "../record/verdict.js";
import { metricDef, type MetricName } from "./metrics.js";
import { matching, type RunFigures } from "./read.js";

/** One part of a pooled reading: a (target, phase) aggregate, a target or a candidate, and its value. */
export interface PooledPart {
  label: string;
  value: number;
}

/** What a pooled reading was split by, and its parts. */
export interface Pooled {
  by: "target/phase" | "target" | "candidate";
  parts: PooledPart[];
}

const unique = (names: string[]) => [...new Set(names)];

/**
 * The parts a threshold's reading pools, each read alone with the same metric: the (target, phase)
 * aggregates its tags select for a load metric; for a metric tagged by target or candidate and
 * left untagged, each one the figures hold. Parts with no samples are left out; fewer than two
 * parts means nothing was pooled.
 */
export function pooledParts(t: Threshold<MetricName>, figures: RunFigures): Pooled | undefined {
  const def = metricDef(t.metric);
  const read = (f: RunFigures, tags: Record<string, string>) => def.read(f, { ...t, tags });
  let parts: Array<{ label: string; value: number | undefined }> = [];
  let by: Pooled["by"] = "target/phase";
  if (def.tags.includes("phase")) {
    parts = matching(figures, t).map((p) => ({
      label: `${p.target}/${p.phase}`,
      value: read({ ...figures, phases: [p] }, t.tags),
    }));
  } else if (def.tags.includes("candidate") && !t.tags.candidate) {
    by = "candidate";
    parts = unique(figures.comparisons.map((c) => c.candidate.target)).map((name) => ({
      label: name,
      value: read(figures, { ...t.tags, candidate: name }),
    }));
  } else if (def.tags.includes("target") && !t.tags.target) {
    by = "target";
    const names = unique([...figures.quality.map((q) => q.target), ...figures.tasks.map((m) => m.target)]);
    parts = names.map((name) => ({ label: name, value: read(figures, { ...t.tags, target: name }) }));
  }
  const known = parts.filter((p): p is PooledPart => p.value !== undefined && !Number.isNaN(p.value));
  return known.length > 1 ? { by, parts: known } : undefined;
}

/**
 * The part furthest on the wrong side of the threshold: the highest value under `<`/`<=`, the
 * lowest under `>`/`>=`, the first that fails it alone under `==`/`!=` (undefined when none does).
 */
export function worstPart(t: Threshold, parts: readonly PooledPart[]): PooledPart | undefined {
  const [first, ...rest] = parts;
  if (!first) return undefined;
  if (t.op === "<" || t.op === "<=") return rest.reduce((a, b) => (b.value > a.value ? b : a), first);
  if (t.op === ">" || t.op === ">=") return rest.reduce((a, b) => (b.value < a.value ? b : a), first);
  return parts.find((p) => !holds(p.value, t.op, t.limit));
}

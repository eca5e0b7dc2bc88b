import type { SetReport } from "../record/task-metrics.js";
/** Set precision and recall of one case's output against its expected items. */
export interface SetScore {
  predicted: number;
  expected: number;
  matched: number;
  precision: number;
  recall: number;
  f1: number;
}

const key = (item: string) =>
  item
    .trim()
    .replace(/^["'`]+|["'`]+$/g, "")
    .replace(/\s+/g, " ")
    .toLowerCase();

/**
 * The items an output lists: the elements of a JSON array when it is one, else its lines or its
 * comma/semicolon-separated parts, with list bullets ("-", "*", "1.") and outer quotes dropped.
 * Compared case-insensitively with collapsed whitespace; duplicates count once.
 */
export function parseItems(output: string): string[] {
  const text = output.trim();
  if (text.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed))
        return [...new Set(parsed.map((v) => key(typeof v === "string" ? v : JSON.stringify(v))))].filter(
          (v) => v !== "",
        );
    } catch {
      // Not JSON after all: read it as plain text below.
    }
  }
  const parts = text
    .split(/\r?\n|[,;]/)
    .map((p) => key(p.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "")))
    .filter((p) => p !== "");
  return [...new Set(parts)];
}

const harmonic = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/**
 * Scores one output against the expected items. An empty prediction has precision 1 only when
 * nothing was expected (else 0); nothing expected gives recall 1. `output` undefined: the request
 * failed, which predicts nothing.
 */
export function scoreSet(output: string | undefined, expected: readonly string[]): SetScore {
  const want = new Set(expected.map(key).filter((v) => v !== ""));
  const got = output === undefined ? [] : parseItems(output);
  const matched = got.filter((g) => want.has(g)).length;
  const precision = got.length ? matched / got.length : want.size ? 0 : 1;
  const recall = want.size ? matched / want.size : 1;
  return {
    predicted: got.length,
    expected: want.size,
    matched,
    precision,
    recall,
    f1: harmonic(precision, recall),
  };
}

/** Pools per-case set scores into micro and macro precision, recall and F1. */
export function summarizeSets(scores: readonly SetScore[]): SetReport {
  const sum = (f: (s: SetScore) => number) => scores.reduce((n, s) => n + f(s), 0);
  const mean = (f: (s: SetScore) => number) => (scores.length ? sum(f) / scores.length : 0);
  const predicted = sum((s) => s.predicted);
  const expected = sum((s) => s.expected);
  const matched = sum((s) => s.matched);
  const p = predicted ? matched / predicted : expected ? 0 : 1;
  const r = expected ? matched / expected : 1;
  return {
    cases: scores.length,
    micro: { precision: p, recall: r, f1: harmonic(p, r) },
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) },
  };
}

import type { RepeatReport, RepeatedCase } from "../record/task-metrics.js";
/**
 * The unbiased pass@k estimator (Chen et al. 2021, "Evaluating Large Language Models Trained on
 * Code"): the chance that at least one of k runs drawn without replacement from n, of which c
 * passed, passes: 1 - C(n-c, k) / C(n, k), computed as a product so it never overflows.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (k < 1 || k > n) return Number.NaN;
  if (n - c < k) return 1;
  let allFail = 1;
  for (let i = n - c + 1; i <= n; i++) allFail *= 1 - k / i;
  return 1 - allFail;
}

/**
 * pass^k (Yao et al. 2024, τ-bench): the chance that all of k runs drawn without replacement from n,
 * of which c passed, pass: C(c, k) / C(n, k). It falls with k when a case is flaky, which pass@k hides.
 */
export function passHatK(n: number, c: number, k: number): number {
  if (k < 1 || k > n) return Number.NaN;
  let all = 1;
  for (let i = 0; i < k; i++) all *= Math.max(0, c - i) / (n - i);
  return all;
}

/** A run of a case, as the report needs it: its verdict and output (undefined when it failed). */
export interface CaseRun {
  caseId: string;
  pass: boolean;
  output?: string;
}

/** Groups runs by case and reports consistency, pass@k and pass^k; undefined when nothing repeats. */
export function summarizeRepeats(runs: readonly CaseRun[]): RepeatReport | undefined {
  const byCase = new Map<string, CaseRun[]>();
  for (const r of runs) byCase.set(r.caseId, [...(byCase.get(r.caseId) ?? []), r]);
  const k = Math.max(0, ...[...byCase.values()].map((v) => v.length));
  if (k < 2) return undefined;
  const cases = [...byCase].map(([caseId, list]): RepeatedCase => {
    const passed = list.filter((r) => r.pass).length;
    const tally = new Map<string, number>();
    // A failed request has no output: each failure is its own answer, so failures never agree.
    list.forEach((r, i) => {
      const out = r.output === undefined ? `\u0000failed${i}` : r.output;
      tally.set(out, (tally.get(out) ?? 0) + 1);
    });
    return {
      caseId,
      runs: list.length,
      passed,
      consistency: Math.max(...tally.values()) / list.length,
      stable: passed === 0 || passed === list.length,
    };
  });
  const meanAt = (f: (n: number, c: number, j: number) => number, j: number) => {
    const eligible = cases.filter((c) => c.runs >= j);
    return eligible.reduce((s, c) => s + f(c.runs, c.passed, j), 0) / eligible.length;
  };
  const ks = Array.from({ length: k }, (_, i) => i + 1);
  return {
    k,
    cases,
    passAtK: ks.map((j) => meanAt(passAtK, j)),
    passHatK: ks.map((j) => meanAt(passHatK, j)),
    consistency: cases.reduce((s, c) => s + c.consistency, 0) / cases.length,
    stableRate: cases.filter((c) => c.stable).length / cases.length,
  };
}

import type { CaseOutcome } from "../../src/record/case-outcome.js";

/** A scored case outcome for tests: `outcome("t", "c1", true, "Paris")`. */
export function outcome(
  target: string,
  caseId: string,
  pass: boolean,
  output = pass ? "right" : "wrong",
  extra: Partial<CaseOutcome> = {},
): CaseOutcome {
  return {
    caseId,
    target,
    prompt: { name: "q", version: 1 },
    output,
    score: pass ? 1 : 0,
    pass,
    assertions: [],
    outputTokens: 1,
    ...extra,
  };
}

/** Outcomes for a paired table: `spec` lists [baselinePass, candidatePass] per case, ids c1..cn. */
export function pairedOutcomes(spec: Array<[boolean, boolean]>): {
  base: CaseOutcome[];
  cand: CaseOutcome[];
} {
  return {
    base: spec.map(([b], i) => outcome("base", `c${i + 1}`, b)),
    cand: spec.map(([, c], i) => outcome("cand", `c${i + 1}`, c)),
  };
}

/** `n` copies of one [baselinePass, candidatePass] pair. */
export const times = (n: number, pair: [boolean, boolean]): Array<[boolean, boolean]> =>
  Array.from({ length: n }, () => pair);

/** Outcomes for a paired table {both pass, baseline only, candidate only, both fail}. */
export function tableOutcomes(
  t: { bothPass: number; baselineOnly: number; candidateOnly: number; bothFail: number },
  names: { baseline?: string; candidate?: string } = {},
): { base: CaseOutcome[]; cand: CaseOutcome[] } {
  const { base, cand } = pairedOutcomes([
    ...times(t.bothPass, [true, true]),
    ...times(t.baselineOnly, [true, false]),
    ...times(t.candidateOnly, [false, true]),
    ...times(t.bothFail, [false, false]),
  ]);
  const rename = (list: CaseOutcome[], target: string | undefined) =>
    target === undefined ? list : list.map((o) => ({ ...o, target }));
  return { base: rename(base, names.baseline), cand: rename(cand, names.candidate) };
}

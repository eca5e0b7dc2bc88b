import { pairKey, type PairBy } from "./compare.js";

/** A case as pairing sees it: an outcome of a run, or a case a plan is about to send. */
export interface PairableCase {
  caseId: string;
  prompt: { name: string; version: number };
}

const natural = new Intl.Collator(undefined, { numeric: true });
const promptText = (p: PairableCase["prompt"]) => `${p.name} v${p.version}`;
const list = (items: string[]) =>
  items.slice(0, 5).join(", ") + (items.length > 5 ? `, ... (${items.length} in all)` : "");

/**
 * What keeps two sides' cases from pairing, as sentences a person can act on (empty when they
 * pair). `pairBy` undefined is the default pairing (by id and prompt) not chosen explicitly:
 *  - nothing pairs at all;
 *  - by case id alone, a case that ran under several prompts on one side (which one pairs?);
 *  - by default, cases whose id is on both sides but whose prompt changed (name or version): they
 *    would silently drop out of the comparison, so the user chooses: `--pair-by case` pairs them
 *    (a prompt A/B across runs), `--pair-by prompt` leaves them out, listed.
 */
export function pairingProblems(
  baseline: readonly PairableCase[],
  candidate: readonly PairableCase[],
  pairBy: PairBy | undefined,
): string[] {
  if (pairBy === "case") {
    const ambiguous = (side: readonly PairableCase[], name: string) => {
      const prompts = new Map<string, Set<string>>();
      for (const c of side)
        prompts.set(c.caseId, (prompts.get(c.caseId) ?? new Set()).add(promptText(c.prompt)));
      const several = [...prompts]
        .filter(([, p]) => p.size > 1)
        .map(([id, p]) => `${id} (${[...p].join(", ")})`);
      return several.length
        ? [`--pair-by case cannot pair cases that ran under several prompts in ${name}: ${list(several)}`]
        : [];
    };
    const problems = [...ambiguous(baseline, "the baseline"), ...ambiguous(candidate, "the candidate")];
    if (problems.length) return problems;
  }
  const keyOf = (c: PairableCase) => pairKey(c, pairBy ?? "prompt");
  const baseKeys = new Set(baseline.map(keyOf));
  const candKeys = new Set(candidate.map(keyOf));
  const matched = [...baseKeys].filter((k) => candKeys.has(k)).length;
  const changed = pairBy === undefined ? changedPrompts(baseline, candidate, baseKeys, candKeys) : [];
  const hint =
    "pair them by case id with --pair-by case (a prompt A/B), or leave them out with --pair-by prompt";
  if (changed.length > 0)
    return [
      `${changed.length === 1 ? "1 case" : `${changed.length} cases`} changed prompt: ${list(changed)}; ${hint}`,
    ];
  if (matched === 0) {
    return [
      pairBy === "case"
        ? "no case id is on both sides"
        : "no case is on both sides with the same id and prompt (name and version)",
    ];
  }
  return [];
}

/** Ids on both sides with a prompt (name and version) on each side that the other lacks. */
function changedPrompts(
  baseline: readonly PairableCase[],
  candidate: readonly PairableCase[],
  baseKeys: Set<string>,
  candKeys: Set<string>,
): string[] {
  const unpaired = (side: readonly PairableCase[], other: Set<string>) => {
    const out = new Map<string, string[]>();
    for (const c of side)
      if (!other.has(pairKey(c))) out.set(c.caseId, [...(out.get(c.caseId) ?? []), promptText(c.prompt)]);
    return out;
  };
  const oldOnly = unpaired(baseline, candKeys);
  const newOnly = unpaired(candidate, baseKeys);
  return [...oldOnly]
    .filter(([id]) => newOnly.has(id))
    .sort(([a], [b]) => natural.compare(a, b))
    .map(
      ([id, before]) =>
        `${id}: ${[...new Set(before)].join(", ")} → ${[...new Set(newOnly.get(id))].join(", ")}`,
    );
}

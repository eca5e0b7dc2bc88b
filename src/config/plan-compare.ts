import type { ConfigIssue } from "../errors.js";
import type { IssueAt } from "./issue-at.js";
import type { PlanCase } from "./plan-cases.js";
import type { Suite } from "./schema.js";

/**
 * Checks the suite's `compare:` before anything is sent: with `by: target` its baseline and
 * candidates are targets; with `by: prompt` they are prompts, and each candidate must share cases
 * with the baseline (a case, or `from:` entry, naming both), or there would be nothing to pair.
 */
export function compareIssues(
  compare: NonNullable<Suite["compare"]>,
  suite: Suite,
  cases: readonly PlanCase[],
  at: IssueAt,
  issues: ConfigIssue[],
): void {
  const { by, baseline, candidates } = compare;
  const known = by === "prompt" ? suite.prompts : suite.targets;
  const kind = by === "prompt" ? "prompt" : "target";
  const names = Object.keys(known);
  const unknown = (name: string) =>
    `unknown ${kind} "${name}"${names.length ? ` (${kind}s: ${names.join(", ")})` : ""}`;
  if (!Object.hasOwn(known, baseline)) issues.push(at(["compare", "baseline"], unknown(baseline)));
  candidates.forEach((c, i) => {
    const where = ["compare", "candidates", i] as const;
    if (!Object.hasOwn(known, c)) issues.push(at([...where], unknown(c)));
    else if (c === baseline) issues.push(at([...where], "a candidate cannot be its own baseline"));
    else if (by === "prompt" && Object.hasOwn(known, baseline)) {
      const under = (prompt: string) =>
        new Set(cases.filter((k) => k.prompt.name === prompt).map((k) => k.id));
      const base = under(baseline);
      if (![...under(c)].some((id) => base.has(id))) {
        issues.push(
          at(
            [...where],
            `no case runs under both "${baseline}" and "${c}": name both in a case's prompt, e.g. prompt: [${baseline}, ${c}]`,
          ),
        );
      }
    }
  });
}

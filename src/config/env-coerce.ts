/**
 * A whole-value `${VAR}` reference takes the type of its field: `rate: "${RATE:-5}"` is the number 5
 * (a quoted reference is the only kind flow-style YAML accepted before), `model: ${MODEL}` stays the
 * text "7" when MODEL=7. The schema says which fields want what; this answers its type mismatches at
 * reference paths and lets the suite be checked again.
 */
import type { z } from "zod";
import { formatPath, type FieldPath } from "./locate.js";
import { readAsYaml, type WholeReference } from "./interpolate-env.js";

type ZodIssue = z.core.$ZodIssue;

/** Every "expected <type>" issue, with union branches flattened under their union's path. */
function typeMismatches(issues: readonly ZodIssue[], base: FieldPath = []): Array<[string, string]> {
  return issues.flatMap((issue): Array<[string, string]> => {
    const path = [...base, ...(issue.path as FieldPath)];
    if (issue.code === "invalid_union") return issue.errors.flatMap((branch) => typeMismatches(branch, path));
    if (issue.code === "invalid_type") return [[formatPath(path), issue.expected]];
    return [];
  });
}

function getIn(root: unknown, path: FieldPath): unknown {
  let at = root;
  for (const step of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[step];
  }
  return at;
}

function setIn(root: unknown, path: FieldPath, value: unknown): void {
  let at = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
}

/**
 * Gives each whole reference the type its field expects, where its text reads as that type: a
 * number, a boolean, or (for a field of text) the text itself. Changes `suite` in place (the value
 * built from the YAML, never the user's file); returns whether anything changed.
 */
export function coerceEnvValues(
  suite: unknown,
  issues: readonly ZodIssue[],
  references: readonly WholeReference[],
): boolean {
  const expected = new Map<string, Set<string>>();
  for (const [path, type] of typeMismatches(issues)) {
    const set = expected.get(path) ?? new Set<string>();
    set.add(type);
    expected.set(path, set);
  }
  let changed = false;
  for (const ref of references) {
    const wants = expected.get(formatPath(ref.path));
    if (!wants) continue;
    const read = readAsYaml(ref.text);
    const value =
      (wants.has("number") && typeof read === "number") || (wants.has("boolean") && typeof read === "boolean")
        ? read
        : wants.has("string")
          ? ref.text
          : undefined;
    if (value === undefined || value === getIn(suite, ref.path)) continue;
    setIn(suite, ref.path, value);
    changed = true;
  }
  return changed;
}
